/**
 * The ranked search's SQL alone, before and after its township-first rewrite, on a generated database:
 *   node dist/scripts/bench/search-sql.js postgres://…/quanze_bench_1m [--count 200] [--county]
 * Runs the same (question, township) pairs through both statements, alternating, one at a time,
 * and prints p50/p99 of each (ms, client-side, including the round trip) and whether they agree.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildSearchQuery } from '../../src/modules/accountability/accountability.service.js';
import { analyzeQuestion } from '../../src/modules/accountability/question-analyzer.js';

export const SEARCH_SQL_BEFORE = `
WITH versions AS (
  SELECT * FROM unnest($1::uuid[], $2::int[]) AS v(list_id, number)
), candidates AS MATERIALIZED (
  SELECT i.* FROM versions v
  JOIN list_item i ON i.list_id = v.list_id AND NOT i.pending
   AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)
), terms AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[]) AS t(term, q, qa, qab, qabc, weight, grp)
), hits AS (
  SELECT c.id, t.term, t.grp, t.weight * CASE
      WHEN c.search_vector @@ t.qa::tsquery THEN ($10::float8[])[1]
      WHEN c.search_vector @@ t.qab::tsquery THEN ($10::float8[])[2]
      WHEN c.search_vector @@ t.qabc::tsquery THEN ($10::float8[])[3]
      ELSE ($10::float8[])[4] END AS points,
    count(*) OVER (PARTITION BY t.term) AS df
  FROM candidates c JOIN terms t ON c.search_vector @@ t.q::tsquery
), matches AS (
  -- A term found in many of the candidate items tells them apart less (inverse document frequency).
  SELECT h.id, h.term, h.grp, h.points * ln(n.total::float8 / h.df + 1) / ln(n.total::float8 + 1) AS points
  FROM hits h CROSS JOIN (SELECT greatest(count(*), 2) AS total FROM candidates) n
), best_of_group AS (
  SELECT DISTINCT ON (id, grp) id, term, points FROM matches ORDER BY id, grp, points DESC
), scored AS (
  SELECT id, sum(points) AS score, array_agg(term ORDER BY points DESC, term) AS matched_terms
  FROM best_of_group GROUP BY id HAVING sum(points) >= $11 - 1e-9
)
SELECT c.id, c.list_id, c.item_code, c.name, c.description, c.sub_item, c.handling_unit, c.section, c.category, c.source,
  c.accountable_body_id, c.township_role, c.township_duty, c.village_duty, c.cooperating, c.legal_basis,
  c.staged_duties, c.accountability_circumstances, c.exemptions, c.keywords, s.score, s.matched_terms
FROM scored s JOIN candidates c ON c.id = s.id
ORDER BY s.score DESC, c.item_code
LIMIT $12`;

async function main() {
  const url = process.argv[2];
  const count = Number(process.argv[process.argv.indexOf('--count') + 1] || 200) || 200;
  const county = process.argv.includes('--county');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const synonyms = new Map((await client.query('SELECT term, expansions FROM search_synonym')).rows.map((r) => [r.term, r.expansions as string[]]));
  const read = (f: string) => JSON.parse(fs.readFileSync(path.resolve('test/accountability', f), 'utf8')) as { question: string }[];
  const questions = [...read('eval-set.json'), ...read('holdout-set.json')].map((c) => c.question);
  const regions = (
    await client.query(
      county
        ? `SELECT county_code AS code FROM duty_list GROUP BY county_code HAVING count(*) >= 4 ORDER BY md5(county_code) LIMIT 40`
        : `SELECT region_code AS code FROM (SELECT DISTINCT region_code FROM list_version WHERE status = 'PUBLISHED') t ORDER BY md5(region_code) LIMIT 200`,
    )
  ).rows.map((r) => String(r.code).trim());
  const times: Record<'before' | 'after', number[]> = { before: [], after: [] };
  let disagree = 0;
  for (let i = 0; i < count; i++) {
    const region = regions[i % regions.length];
    const prefix = region.endsWith('000000') ? region.slice(0, 6) : region.slice(0, 9);
    const versions = (
      await client.query(
        `SELECT list_id, number FROM list_version WHERE region_code BETWEEN $1 AND $2 AND status IN ('PUBLISHED','SUPERSEDED')
         AND effective_from <= current_date AND (effective_to IS NULL OR effective_to > current_date)`,
        [prefix.padEnd(12, '0'), prefix.padEnd(12, '9')],
      )
    ).rows.map((v) => ({ listId: v.list_id, number: v.number }));
    const terms = analyzeQuestion(questions[(i * 7) % questions.length], synonyms).terms;
    if (!terms.length || !versions.length) continue;
    const search = buildSearchQuery(terms, versions, 5);
    const order: ('before' | 'after')[] = i % 2 ? ['before', 'after'] : ['after', 'before'];
    const ids: Record<string, string> = {};
    for (const which of order) {
      const t0 = process.hrtime.bigint();
      const rows = (await client.query(which === 'before' ? SEARCH_SQL_BEFORE : search.sql, which === 'before' ? search.params.slice(0, 12) : search.params)).rows;
      times[which].push(Number(process.hrtime.bigint() - t0) / 1e6);
      ids[which] = rows.map((r) => `${r.id}:${Number(r.score).toFixed(6)}`).join(',');
    }
    if (ids.before !== ids.after) disagree++;
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const out = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { n: xs.length, p50: +pct(xs, 50).toFixed(2), p99: +pct(xs, 99).toFixed(2) }]));
  console.log(JSON.stringify({ url: url.replace(/^.*\//, ''), county, ...out, disagree }));
  await client.end();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
