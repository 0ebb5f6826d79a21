/**
 * `npm run eval:accountability`: starts Quanze on a fresh embedded database with the demo data
 * (or on DATABASE_URL), asks every question of test/accountability/eval-set.json over HTTP, and
 * prints hit@1, hit@3 and no-match accuracy, beside a plain substring search over item names.
 *
 * Options (after `--`): `--holdout` (holdout-set.json), `--set FILE` (another set of that folder, e.g.
 * blind-set.json, measured once), `--misses` (list them), `--explain` (each miss's terms and its first answers' matched terms), `--json`, and
 * `--no-keywords`: the same questions over the demo lists with their 关键词 column removed — the
 * keywords of every item are blanked in this fresh database (its own copy, thrown away after) and
 * the search vectors recomputed, as if the lists had been imported from sheets without that column.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { startRegistry } from '../src/bootstrap.js';
import { SearchIndexService } from '../src/modules/accountability/search-index.service.js';
import { loadConfig } from '../src/config/config.js';
import { evaluate, formatFigures, loadEvalSet, substringRank, WHO_IS_ACCOUNTABLE, type EvalCase } from '../test/accountability/evaluation.js';

/** `--explain`: what a missed question was read as, and what its first answers matched. */
const EXPLAIN = `query($q: String!, $r: String!, $d: Date) {
  whoIsAccountable(question: $q, regionCode: $r, asOf: $d, first: 5) { terms answers { score matchedTerms item { itemCode } } }
}`;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-eval-'));
  const config = loadConfig({ ...process.env, QUANZE_DATA_DIR: dataDir, PORT: '0', QUANZE_DEMO_DATA: 'true', RATE_LIMIT_QUESTIONS_PER_MINUTE: '1000000' });
  const registry = await startRegistry(config, { logger: false });
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${registry.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  try {
    if (process.argv.includes('--no-keywords')) await removeKeywords(registry.app.get(DataSource), registry.app.get(SearchIndexService));
    const named = process.argv.indexOf('--set');
    const setName = named > 0 ? process.argv[named + 1] : process.argv.includes('--holdout') ? 'holdout-set.json' : 'eval-set.json';
    const cases = loadEvalSet(setName);
    const started = Date.now();
    const search = await evaluate(cases, async (c: EvalCase) =>
      (await gql(WHO_IS_ACCOUNTABLE, { q: c.question, r: c.regionCode, d: c.asOf ?? null })).whoIsAccountable.answers.map((a: any) => a.item.itemCode),
    );
    const perQuestion = (Date.now() - started) / cases.length;
    const itemsInForce = async (c: EvalCase) => {
      const towns = c.regionCode.endsWith('000000')
        ? (await gql('query($p:String!){ regions(parentCode:$p){ code } }', { p: c.regionCode })).regions.map((r: any) => r.code)
        : [c.regionCode];
      const items: { itemCode: string; name: string }[] = [];
      for (const town of towns)
        for (const kind of ['POWER', 'RESPONSIBILITY']) {
          // Pages of the public endpoint's size (PAGE_MAX_PUBLIC, 100 by default), cursor after cursor.
          for (let after: string | null = null; ; ) {
            const v: any = (
              await gql(
                'query($r:String!,$k:ListKind!,$d:Date,$a:String){ listVersionInForce(regionCode:$r, kind:$k, asOf:$d){ items(first:100, after:$a){ edges { node { itemCode name } } pageInfo { hasNextPage endCursor } } } }',
                { r: town, k: kind, d: c.asOf ?? null, a: after },
              )
            ).listVersionInForce;
            if (!v) break;
            items.push(...v.items.edges.map((e: any) => e.node));
            if (!v.items.pageInfo.hasNextPage) break;
            after = v.items.pageInfo.endCursor;
          }
        }
      return items;
    };
    const baseline = await evaluate(cases, async (c) => substringRank(c.question, await itemsInForce(c)));
    console.log(`${setName}${process.argv.includes('--no-keywords') ? ' (lists without 关键词)' : ''}: ${cases.length} questions, ${perQuestion.toFixed(1)} ms per question over HTTP`);
    console.log(formatFigures('whoIsAccountable      ', search));
    console.log(formatFigures('substring over names  ', baseline));
    if (process.argv.includes('--misses')) for (const m of search.misses) console.log(`  miss: ${m.question}  expected ${m.expected.join('|') || '(nothing)'}  got ${m.got.join(', ') || '(nothing)'}`);
    if (process.argv.includes('--explain'))
      for (const m of search.misses) {
        const c = cases.find((x) => x.question === m.question)!;
        const r = (await gql(EXPLAIN, { q: c.question, r: c.regionCode, d: c.asOf ?? null })).whoIsAccountable;
        console.log(`  ${m.question}  expected ${m.expected.join('|') || '(nothing)'}\n    terms: ${r.terms.join(' ')}`);
        for (const a of r.answers.slice(0, 3)) console.log(`    ${a.item.itemCode} ${a.score} ${a.matchedTerms.join(' ')}`);
      }
    if (process.argv.includes('--json')) console.log(JSON.stringify({ search, baseline }));
  } finally {
    await registry.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The lists as if imported without their 关键词 column: every item's keywords blanked in this
 * evaluation's own database, the immutability trigger of published rows set aside for that one
 * statement (session_replication_role), then the search vectors recomputed.
 */
async function removeKeywords(dataSource: DataSource, searchIndex: SearchIndexService) {
  await dataSource.transaction(async (em) => {
    await em.query(`SET LOCAL session_replication_role = replica`);
    await em.query(`UPDATE list_item SET keywords = '{}' WHERE cardinality(keywords) > 0`);
  });
  await searchIndex.reindex();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
