/**
 * The ranked search's SQL alone, before and after issue 21's rewrite (vectors read from the narrow,
 * untoasted `item_search` instead of `list_item`; the search as PL/pgSQL functions with a cached
 * generic plan), on a generated database:
 *   node dist/scripts/bench/search-sql.js postgres://…/quanze_bench_100k [--count 200] [--county]
 *     [--region <township code>] [--prepared] [--log /var/log/postgresql/postgresql-15-main.log]
 * Runs the same (question, region) pairs through both statements, alternating, one at a time, and
 * prints per statement p50/p99 of the round trip (ms, client side) and p50 of the server's own
 * phases, and how many answers differ (ids and scores; must be 0).
 * The phases come from the server's statement log when `--log` names its file and the user may
 * set log_min_duration_statement (a superuser): parse, bind (which plans an unnamed statement)
 * and execute, as PostgreSQL logs them; without it, from EXPLAIN (ANALYZE, TIMING OFF) of each
 * statement: planning and execution. `--prepared` sends the new statement as a named prepared
 * statement (parsed once per connection). `--region` asks every question in one township (the
 * "typical" and "largest" townships of issue 21); without it, 200 townships (or 40 counties) in turn.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { buildSearchQuery } from '../../src/modules/accountability/accountability.service.js';
import { ITEM_COLUMNS } from '../../src/modules/lists/item.repository.js';
import { analyzeQuestion } from '../../src/modules/accountability/question-analyzer.js';

/** The statement before the rewrite: the same ranking, its vectors read (and decompressed) from list_item. */
export const SEARCH_SQL_BEFORE = `
WITH versions AS (
  SELECT * FROM unnest($1::uuid[], $2::int[]) AS v(list_id, number)
), scope AS MATERIALIZED (
  SELECT i.id, i.search_vector FROM versions v
  JOIN list_item i ON i.list_id = v.list_id AND NOT i.pending
   AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)
), total AS MATERIALIZED (
  SELECT greatest(count(*), 2) AS total FROM scope
), candidates AS MATERIALIZED (
  SELECT id, search_vector FROM scope WHERE search_vector @@ $13::tsquery
), lexemes AS MATERIALIZED (
  SELECT c.id, u.lexeme, (SELECT min(CASE w WHEN 'A' THEN 1 WHEN 'B' THEN 2 WHEN 'C' THEN 3 ELSE 4 END) FROM unnest(u.weights) w) AS field
  FROM candidates c CROSS JOIN LATERAL unnest(c.search_vector) u
  WHERE u.lexeme = ANY($7::text[])
), terms AS (
  SELECT * FROM unnest($3::text[], $4::int[], $8::float8[], $9::text[]) AS t(term, ntokens, weight, grp)
), term_tokens AS (
  SELECT * FROM unnest($5::text[], $6::text[]) AS x(term, token)
), term_hits AS (
  SELECT l.id, tt.term, max(l.field) AS field, count(*) AS found
  FROM term_tokens tt JOIN lexemes l ON l.lexeme = tt.token
  GROUP BY l.id, tt.term
), hits AS (
  SELECT h.id, t.term, t.grp, t.weight * ($10::float8[])[h.field] AS points, count(*) OVER (PARTITION BY t.term) AS df
  FROM term_hits h JOIN terms t ON t.term = h.term AND h.found = t.ntokens
), matches AS (
  SELECT h.id, h.term, h.grp, h.points * ln(n.total::float8 / h.df + 1) / ln(n.total::float8 + 1) AS points
  FROM hits h CROSS JOIN total n
), best_of_group AS (
  SELECT DISTINCT ON (id, grp) id, term, points FROM matches ORDER BY id, grp, points DESC
), scored AS (
  SELECT id, sum(points) AS score, array_agg(term ORDER BY points DESC, term) AS matched_terms
  FROM best_of_group GROUP BY id HAVING sum(points) >= $11 - 1e-9
), top AS (
  SELECT s.id, s.score * CASE WHEN i.township_role = 'RECLAIMED' THEN $14::float8 ELSE 1 END AS score, s.matched_terms
  FROM scored s JOIN list_item i ON i.id = s.id
  ORDER BY 2 DESC, i.item_code LIMIT $12
)
SELECT ${ITEM_COLUMNS}, i.list_id, t.score, t.matched_terms
FROM top t JOIN list_item i ON i.id = t.id
ORDER BY t.score DESC, i.item_code`;

type Which = 'before' | 'after';
const TAG: Record<Which, string> = { before: '/* search-sql before */', after: '/* search-sql after */' };

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);
const round = (x: number) => +x.toFixed(3);

async function main() {
  const argv = process.argv.slice(2);
  const url = argv[0];
  const opt = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
  const count = Number(opt('count') ?? 200) || 200;
  const county = argv.includes('--county');
  const prepared = argv.includes('--prepared');
  const logFile = opt('log');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
  let logStart = 0;
  if (logFile) {
    await client.query('SET log_min_duration_statement = 0');
    logStart = fs.statSync(logFile).size;
  }
  const synonyms = new Map((await client.query('SELECT term, expansions FROM search_synonym')).rows.map((r) => [r.term, r.expansions as string[]]));
  const read = (f: string) => JSON.parse(fs.readFileSync(path.resolve('test/accountability', f), 'utf8')) as { question: string }[];
  const questions = [...read('eval-set.json'), ...read('holdout-set.json')].map((c) => c.question);
  const regions = opt('region')
    ? [opt('region')!]
    : (
        await client.query(
          county
            ? `SELECT county_code AS code FROM duty_list GROUP BY county_code HAVING count(*) >= 4 ORDER BY md5(county_code) LIMIT 40`
            : `SELECT region_code AS code FROM (SELECT DISTINCT region_code FROM list_version WHERE status = 'PUBLISHED') t ORDER BY md5(region_code) LIMIT 200`,
        )
      ).rows.map((r) => String(r.code).trim());
  const times: Record<Which, number[]> = { before: [], after: [] };
  const explained: Record<Which, { plan: number[]; exec: number[] }> = { before: { plan: [], exec: [] }, after: { plan: [], exec: [] } };
  let disagree = 0;
  let inScope = 0;
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
    if (i === 0)
      inScope = Number((await client.query(`SELECT count(*) FROM unnest($1::uuid[], $2::int[]) v(list_id, number) JOIN item_search i ON i.list_id = v.list_id
        AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)`, [search.params[0], search.params[1]])).rows[0].count);
    const order: Which[] = i % 2 ? ['before', 'after'] : ['after', 'before'];
    const ids: Partial<Record<Which, string>> = {};
    for (const which of order) {
      const text = `${TAG[which]}${which === 'before' ? SEARCH_SQL_BEFORE : search.sql}`;
      const t0 = process.hrtime.bigint();
      const rows = (await client.query(which === 'after' && prepared ? { name: 'search', text, values: search.params } : { text, values: search.params })).rows;
      times[which].push(Number(process.hrtime.bigint() - t0) / 1e6);
      ids[which] = rows.map((r) => `${r.id}:${Number(r.score).toFixed(6)}`).join(',');
      if (!logFile) {
        const [plan] = (await client.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${text}`, search.params)).rows[0]['QUERY PLAN'];
        explained[which].plan.push(plan['Planning Time']);
        explained[which].exec.push(plan['Execution Time']);
      }
    }
    if (ids.before !== ids.after) disagree++;
  }
  await client.end();
  const out: Record<string, any> = { db: url.replace(/^.*\//, ''), regions: opt('region') ?? (county ? '40 counties' : '200 townships'), rowsInScope: opt('region') ? inScope : undefined, prepared, disagree };
  for (const which of ['before', 'after'] as Which[]) {
    out[which] = { n: times[which].length, roundTripP50: round(pct(times[which], 50)), roundTripP99: round(pct(times[which], 99)) };
    if (!logFile) Object.assign(out[which], { planP50: round(pct(explained[which].plan, 50)), executeP50: round(pct(explained[which].exec, 50)), source: 'EXPLAIN ANALYZE' });
  }
  if (logFile) {
    // "… [pid] …  LOG:  duration: 0.512 ms  parse search: /* search-sql after */WITH …"
    const phases: Record<Which, Record<string, number[]>> = { before: {}, after: {} };
    const text = fs.readFileSync(logFile).subarray(logStart).toString('utf8'); // a byte offset
    const line = new RegExp(`\\[${pid}\\].*duration: ([0-9.]+) ms\\s+(parse|bind|execute) [^:]*: (/\\* search-sql (before|after) \\*/)`);
    for (const l of text.split('\n')) {
      const m = line.exec(l);
      if (m) ((phases[m[4] as Which][m[2]] ??= []) as number[]).push(Number(m[1]));
    }
    for (const which of ['before', 'after'] as Which[])
      Object.assign(out[which], { source: 'statement log', ...Object.fromEntries(Object.entries(phases[which]).map(([k, xs]) => [`${k}P50`, round(pct(xs, 50))])) });
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
