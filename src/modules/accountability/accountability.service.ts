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
import { conceptLexicon } from './concept-lexicon.js';
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
    const analyzed = analyzeCached(question, await this.synonyms.synonymMap());
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
 * A question's analysis, kept per synonym table and lexicon (a changed table is a new map object):
 * the same question asked in many townships (or with the answer cache off) is segmented and
 * expanded once — that was ~12 % of a first-time answer's CPU. Bounded; forgotten wholesale when full.
 */
const analyses = new WeakMap<object, WeakMap<object, Map<string, AnalyzedQuestion>>>();
const MAX_ANALYSES = 2000;
function analyzeCached(question: string, synonyms: ReadonlyMap<string, string[]>): AnalyzedQuestion {
  const lexicon = conceptLexicon();
  let bySynonyms = analyses.get(synonyms);
  if (!bySynonyms) analyses.set(synonyms, (bySynonyms = new WeakMap()));
  let byQuestion = bySynonyms.get(lexicon);
  if (!byQuestion) bySynonyms.set(lexicon, (byQuestion = new Map()));
  let analyzed = byQuestion.get(question);
  if (!analyzed) {
    analyzed = analyzeQuestion(question, synonyms, lexicon);
    if (byQuestion.size >= MAX_ANALYSES) byQuestion.clear();
    byQuestion.set(question, analyzed);
  }
  return analyzed;
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
 * The ranked search is two PL/pgSQL functions of migration ItemSearchFunctions1796313360000 (the
 * statement and why it is written so are there): the township's rows first, read from the narrow,
 * untoasted `item_search`; one `@@` per row in scope; the question's tokens tested with their field
 * on the few that match; IDF, groups and the minimum score; the top `first` by score, then code.
 * A function because its plan is then cached per connection as a generic plan
 * (`SET plan_cache_mode = force_generic_plan` on the function alone): sent as a statement, the ~15
 * CTEs were parsed and planned at every question (~0.4 + ~0.9 ms); this call costs ~0.1 + ~0.2 ms.
 * The answers' columns are read here by primary key, so the functions do not depend on the item's
 * columns.
 */
const searchSql = (fn: string, extraColumns: string) => `
SELECT ${ITEM_COLUMNS}, i.list_id, ${extraColumns}t.item_score AS score, t.item_terms AS matched_terms
FROM ${fn}($1::uuid[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::float8[],
  $11::float8, $12::int, $13::tsquery, $14::float8) t
JOIN list_item i ON i.id = t.item_id
ORDER BY t.item_score DESC, i.item_code`;

const SEARCH_SQL = searchSql('quanze_search_in_force', '');
const REMOVED_SEARCH_SQL = searchSql('quanze_search_removed', 'i.to_version, ');
