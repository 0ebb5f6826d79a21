import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { badInput } from '../../common/domain-error.js';
import { parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { ITEM_COLUMNS, itemRowToModel } from '../lists/item.repository.js';
import { ListReadService, PUBLIC_SCOPE, type ReadScope } from '../lists/list-read.service.js';
import { ReadCache } from '../../common/read-cache.js';
import { normalizeRegionCode } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import type { ListVersionModel } from '../lists/list.model.js';
import type { AccountabilityResultModel } from './accountability.model.js';
import { analyzeQuestion, isConceptGroup, type AnalyzedQuestion, type QueryTerm } from './question-analyzer.js';
import { SynonymsService } from './synonyms.service.js';

/**
 * Ranking. A term's contribution is its weight times where it matched: name or keywords (A)
 * count most, the description (B) less, duties (C) and legal basis (D) least. An answer must
 * reach MIN_SCORE (one meaningful word in a name, or a synonym in a description) and keep within
 * RELATIVE_CUTOFF of the best, so an unrelated question gets no answers rather than the least bad.
 */
export const FIELD_FACTORS = { A: 1, B: 0.6, C: 0.3, D: 0.15 } as const;
export const MIN_SCORE = 1.2;
export const RELATIVE_CUTOFF = 0.3;
/**
 * In a "do we have this duty" question, a RECLAIMED item (the matter taken back by a county
 * department) ranks by this share of its score: the township's own LEAD or COOPERATE item of the
 * matter comes first, unless the reclaimed matter matches the question at least twice as well
 * (it is what is asked).
 */
export const DUTY_CHECK_RECLAIMED_FACTOR = 0.5;
/**
 * The share of the question an answer must account for (`questionCoverage`). A question whose main
 * words no item has (住房公积金怎么提取, 信用卡逾期了) is about a matter on none of these lists: a
 * neighbouring item that shares one word of it (住房, 逾期) is no answer. A weak guard: right first
 * answers of long colloquial questions cover as little as 10 % (docs/accountability.md says how it
 * was calibrated); questions about matters handled elsewhere are told apart by the lexicon.
 */
export const MIN_COVERAGE = 0.08;
/** Answers given when `first` is not, and at most: a ranked answer, not a listing. */
export const DEFAULT_ANSWERS = 5;
const MAX_FIRST = 20;

const quote = (token: string) => `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const tsquery = (term: QueryTerm, weights = '') => term.tokens.map((t) => quote(t) + (weights ? `:${weights}` : '')).join(' & ');

@Injectable()
export class AccountabilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly reads: ListReadService,
    private readonly synonyms: SynonymsService,
    private readonly readCache: ReadCache,
  ) {}

  async whoIsAccountable(
    scope: ReadScope,
    question: string,
    regionInput: string,
    asOfInput: string | null | undefined,
    firstInput: number | null | undefined,
    knownAt?: Date | null,
    cached = true,
  ): Promise<AccountabilityResultModel> {
    // Public answers come from published versions only: kept until a publication or a synonym change.
    if (cached && scope === PUBLIC_SCOPE) {
      // 320282100 and 320282100000 are the same question.
      const key = JSON.stringify([question, normalizeRegionCode(regionInput) ?? regionInput, asOfInput ?? todayInChina(), firstInput ?? null, knownAt?.toISOString() ?? null]);
      return this.readCache.get('answers', key, () => this.whoIsAccountable(scope, question, regionInput, asOfInput, firstInput, knownAt, false));
    }
    const first = firstInput ?? DEFAULT_ANSWERS;
    if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST) throw badInput('first', `first 应为1至${MAX_FIRST}之间的整数`, { max: MAX_FIRST });
    const asOf = asOfInput ?? todayInChina();
    if (!parseLocalDate(asOf)) throw badInput('asOf', `日期“${asOf}”无效`);
    const analyzed = analyzeQuestion(question, await this.synonyms.synonymMap());
    const region = await this.regions.requireRegion(regionInput, 'regionCode');
    if (region.level !== 'TOWNSHIP' && region.level !== 'COUNTY')
      throw badInput('regionCode', `请指定乡镇（街道）或县（市、区），“${region.name}”是${region.level === 'VILLAGE' ? '村级' : '市级以上'}区划`);
    const result: AccountabilityResultModel = {
      question: analyzed.question,
      regionCode: region.code,
      asOf,
      intent: analyzed.intent,
      terms: analyzed.terms.map((t) => t.term),
      answers: [],
      emptyReason: 'NO_MATCH',
      removedIn: null,
      removedItem: null,
    };
    const versions = await this.reads.versionsInForceWithin(scope, region.code, asOf, knownAt);
    if (!versions.length) return { ...result, emptyReason: 'NO_LIST_IN_FORCE' };
    if (!analyzed.terms.length) return result;
    const search = buildSearchQuery(analyzed.terms, versions, first, 'inForce', analyzed.intent === 'DUTY_CHECK' ? DUTY_CHECK_RECLAIMED_FACTOR : 1);
    const rows: Record<string, any>[] = await this.dataSource.query(search.sql, search.params);
    const covering = rows.filter((r) => answers(analyzed, r.matched_terms));
    const best = covering[0] ? Number(covering[0].score) : 0;
    const byList = new Map(versions.map((v) => [v.listId, v]));
    result.answers = covering
      .filter((r) => Number(r.score) >= best * RELATIVE_CUTOFF)
      .map((r) => {
        const item = itemRowToModel(r);
        const version = byList.get(r.list_id)!;
        return {
          // The answer repeats what of the item it shows beside it: role, bodies, village duty.
          ...item,
          item,
          version,
          itemId: item.id,
          townshipCode: version.regionCode,
          score: Math.round(Number(r.score) * 1000) / 1000,
          matchedTerms: r.matched_terms,
        };
      });
    if (result.answers.length) return { ...result, emptyReason: null };
    return this.explainEmpty(scope, result, analyzed, versions);
  }

  /**
   * No answer from the lists in force: was the matter on an earlier version of one of them and
   * taken off since? The same ranked search over the items removed before the version in force
   * (their last state); the best one names the version that removed it. One more statement, and
   * one for that version, only when the answer is empty.
   */
  private async explainEmpty(scope: ReadScope, result: AccountabilityResultModel, analyzed: AnalyzedQuestion, versions: ListVersionModel[]): Promise<AccountabilityResultModel> {
    const search = buildSearchQuery(analyzed.terms, versions, 1, 'removed');
    const [row]: Record<string, any>[] = await this.dataSource.query(search.sql, search.params);
    if (!row || !answers(analyzed, row.matched_terms)) return result;
    const removedIn = await this.reads.versionByNumber(scope, row.list_id, Number(row.to_version));
    if (!removedIn) return result;
    return { ...result, emptyReason: 'REMOVED_IN_VERSION', removedIn, removedItem: itemRowToModel(row) };
  }
}

/**
 * How much of the question an item's matched terms account for, 0…1: each group of the question's
 * terms (a concept of the lexicon, a synonym, a word with its parts) weighs its strongest term, and
 * counts by the strongest of its terms the item matched (a word's part counts for its own, lower
 * weight). Duty words and filler were removed before: what is left is what the question is about.
 */
export function questionCoverage(terms: readonly QueryTerm[], matchedTerms: readonly string[]): number {
  const matched = new Set(matchedTerms);
  const groups = new Map<string, { max: number; found: number }>();
  for (const t of terms) {
    const g = groups.get(t.group) ?? { max: 0, found: 0 };
    g.max = Math.max(g.max, t.weight);
    if (matched.has(t.term)) g.found = Math.max(g.found, t.weight);
    groups.set(t.group, g);
  }
  let total = 0;
  let found = 0;
  for (const g of groups.values()) {
    total += g.max;
    found += Math.min(g.found, g.max);
  }
  return total ? found / total : 0;
}

/**
 * Whether an item that scored enough answers the question at all: it accounts for at least
 * MIN_COVERAGE of it, and a question about a matter handled elsewhere (公积金, 驾照…) is answered
 * only through one of its concepts.
 */
export function answers(analyzed: Pick<AnalyzedQuestion, 'terms' | 'elsewhere'>, matchedTerms: readonly string[]): boolean {
  if (questionCoverage(analyzed.terms, matchedTerms) < MIN_COVERAGE - 1e-9) return false;
  if (!analyzed.elsewhere) return true;
  const matched = new Set(matchedTerms);
  return analyzed.terms.some((t) => isConceptGroup(t.group) && matched.has(t.term));
}

/** The ranked search over the items of the given versions, as one SQL statement and its parameters. */
export function buildSearchQuery(
  terms: QueryTerm[], versions: Pick<ListVersionModel, 'listId' | 'number'>[], first: number, rows: 'inForce' | 'removed' = 'inForce', reclaimedFactor = 1,
) {
  const tokenTerms = terms.flatMap((t) => t.tokens.map(() => t.term));
  const tokens = terms.flatMap((t) => t.tokens);
  return {
    sql: rows === 'inForce' ? SEARCH_SQL : REMOVED_SEARCH_SQL,
    params: [
      versions.map((v) => v.listId),
      versions.map((v) => v.number),
      terms.map((t) => t.term),
      terms.map((t) => t.tokens.length),
      tokenTerms,
      tokens,
      [...new Set(tokens)],
      terms.map((t) => t.weight),
      terms.map((t) => t.group),
      [FIELD_FACTORS.A, FIELD_FACTORS.B, FIELD_FACTORS.C, FIELD_FACTORS.D],
      MIN_SCORE,
      first,
      terms.map((t) => `(${tsquery(t)})`).join(' | '),
      reclaimedFactor,
    ],
  };
}

/**
 * The township's rows first (btree on list and version range, a few hundred rows), then the
 * text match on those rows only: steady latency whatever the size of the table.
 *
 * A list item's search_vector is a few kB and TOASTed (compressed), and every `@@` on a stored
 * value decompresses it again: the rows in scope are tested once against all the terms OR'ed
 * together ($13); the vectors of the few that match are then read once each (unnest), keeping
 * only the lexemes of the question's tokens ($7) with the best field each is found in. A term
 * matches an item when all its tokens do, in the field of its weakest token — what
 * `vector @@ 'a:A & b:A'` (then AB, ABC, any) said, without testing each term against each vector.
 * The scope keeps ids and vectors only (a county's thousands of rows stay in memory); the
 * answers' columns are read by primary key at the end.
 */
const IN_FORCE_SCOPE = `
  SELECT i.id, i.search_vector FROM versions v
  JOIN list_item i ON i.list_id = v.list_id AND NOT i.pending
   AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)`;

/** The last state of each item that a version up to the one in force took off the list (absent from the version in force). */
const REMOVED_SCOPE = `
  SELECT DISTINCT ON (i.list_id, i.item_code) i.id, i.search_vector FROM versions v
  JOIN list_item i ON i.list_id = v.list_id AND NOT i.pending AND i.to_version <= v.number
  WHERE NOT EXISTS (SELECT 1 FROM list_item o WHERE o.list_id = i.list_id AND o.item_code = i.item_code AND NOT o.pending
    AND o.from_version <= v.number AND (o.to_version IS NULL OR o.to_version > v.number))
  ORDER BY i.list_id, i.item_code, i.to_version DESC`;

const searchSql = (scope: string, extraColumns: string) => `
WITH versions AS (
  SELECT * FROM unnest($1::uuid[], $2::int[]) AS v(list_id, number)
), scope AS MATERIALIZED (${scope}
), total AS MATERIALIZED (
  SELECT greatest(count(*), 2) AS total FROM scope
), candidates AS MATERIALIZED (
  SELECT id, search_vector FROM scope WHERE search_vector @@ $13::tsquery
), lexemes AS MATERIALIZED (
  -- field of a lexeme: 1 (A, name and keywords) … 4 (D, legal basis), its best position.
  SELECT c.id, u.lexeme, (SELECT min(CASE w WHEN 'A' THEN 1 WHEN 'B' THEN 2 WHEN 'C' THEN 3 ELSE 4 END) FROM unnest(u.weights) w) AS field
  FROM candidates c CROSS JOIN LATERAL unnest(c.search_vector) u
  WHERE u.lexeme = ANY($7::text[])
), terms AS (
  SELECT * FROM unnest($3::text[], $4::int[], $8::float8[], $9::text[]) AS t(term, ntokens, weight, grp)
), term_tokens AS (
  SELECT * FROM unnest($5::text[], $6::text[]) AS x(term, token)
), term_hits AS (
  -- a (term, token) pair and an (item, lexeme) pair are each unique: count(*) is the tokens found.
  SELECT l.id, tt.term, max(l.field) AS field, count(*) AS found
  FROM term_tokens tt JOIN lexemes l ON l.lexeme = tt.token
  GROUP BY l.id, tt.term
), hits AS (
  SELECT h.id, t.term, t.grp, t.weight * ($10::float8[])[h.field] AS points, count(*) OVER (PARTITION BY t.term) AS df
  FROM term_hits h JOIN terms t ON t.term = h.term AND h.found = t.ntokens
), matches AS (
  -- A term found in many of the items in scope tells them apart less (inverse document frequency).
  SELECT h.id, h.term, h.grp, h.points * ln(n.total::float8 / h.df + 1) / ln(n.total::float8 + 1) AS points
  FROM hits h CROSS JOIN total n
), best_of_group AS (
  SELECT DISTINCT ON (id, grp) id, term, points FROM matches ORDER BY id, grp, points DESC
), scored AS (
  SELECT id, sum(points) AS score, array_agg(term ORDER BY points DESC, term) AS matched_terms
  FROM best_of_group GROUP BY id HAVING sum(points) >= $11 - 1e-9
), top AS (
  -- $14: the share of its score a RECLAIMED item keeps (a "do we have this duty" question).
  SELECT s.id, s.score * CASE WHEN i.township_role = 'RECLAIMED' THEN $14::float8 ELSE 1 END AS score, s.matched_terms
  FROM scored s JOIN list_item i ON i.id = s.id
  ORDER BY 2 DESC, i.item_code LIMIT $12
)
SELECT ${ITEM_COLUMNS}, i.list_id, ${extraColumns}t.score, t.matched_terms
FROM top t JOIN list_item i ON i.id = t.id
ORDER BY t.score DESC, i.item_code`;

const SEARCH_SQL = searchSql(IN_FORCE_SCOPE, '');
const REMOVED_SEARCH_SQL = searchSql(REMOVED_SCOPE, 'i.to_version, ');
