/**
 * `npm run bench [-- --quick] [-- --json] [-- --tiers 100k,1m,10m] [-- --generate]`
 * (`--tiers county30x300 --workloads W7`: the county matrix of one 30-township county with 300 items per list)
 *
 * Quanze against the physical limit of its own stack, on generated databases
 * (`dataset:generate`, one database per tier on the PostgreSQL server):
 *
 * - Quanze in production mode (`startRegistry`, NODE_ENV=production), in a child process;
 *   a second instance with the read cache off when the build has one (READ_CACHE_ENTRIES=0);
 * - a bare `http` + `pg` server (scripts/bench/bare-server.ts) that, for every request body,
 *   replays exactly the statements Quanze sent for it (recorded once from the cache-less instance).
 *
 * Each workload is loaded with autocannon for a fixed time after a warm-up, the servers taking
 * turns (A B C, then C B A, …) so that drift of this shared machine falls on all of them. Two
 * loads per workload: 10 connections (throughput, loaded latency) and 1 connection (latency of a
 * single request). Latencies are taken from every response (µs precision, not autocannon's
 * 1 ms histogram). CPU time per request comes from process.cpuUsage() of each server, statements
 * per request from a counter on the `pg` driver in each server. The 1-minute load average is
 * recorded with every run. W8 compares the portal's /ask page with the same whoIsAccountable
 * over /graphql (p50 of one connection; runAskComparison).
 *
 * Results: docs/performance/<tier>.json, and the chart docs/performance/w1-p50.svg (W1 p50
 * against dataset size, from every tier's JSON present).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { parse as parseCsv } from 'csv-parse/sync';
import pg from 'pg';
import { formatCount, lineChartSvg } from './bench/chart.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const QUICK = flag('quick');
const JSON_OUT = flag('json');
const SERVER = option('server', process.env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432');
const TIER_NAMES = option('tiers', QUICK ? '100k' : '100k,1m,10m').split(',');
const DURATION = Number(option('duration', QUICK ? '2' : '5'));
const WARMUP = Number(option('warmup', QUICK ? '0.5' : '1'));
const ROUNDS = Number(option('rounds', '2'));
const CONNECTIONS = Number(option('connections', '10'));
const ONLY = option('workloads', 'W1,W2,W3,W4,W5,W6,W7,W8').split(',');
const OUT_DIR = path.resolve(option('out', 'docs/performance'));
const log = (line: string) => (JSON_OUT ? process.stderr : process.stdout).write(`${line}\n`);

/**
 * Tiers: item rows wanted → townships (≈ 612 item rows per township with 260 items and 3 versions);
 * `county30x300` is one county of 30 townships with 300 items per list (the county matrix, W7).
 */
const TIERS: Record<string, { rows: number; townships: number; generateArgs?: string[] }> = {
  '100k': { rows: 100_000, townships: 164 },
  '1m': { rows: 1_000_000, townships: 1634 },
  '10m': { rows: 10_000_000, townships: 16_340 },
  county30x300: { rows: 30 * 2 * 330, townships: 30, generateArgs: ['--one-county', '--items', '300', '--versions', '2'] },
};

/** Node flags of `npm run start:prod` (package.json), given to both servers. */
const NODE_FLAGS = ['--max-semi-space-size=32'];

const dbUrl = (name: string) => `${SERVER.replace(/\/$/, '')}/${name}`;

// ---------------------------------------------------------------- servers

interface Server {
  name: string;
  url: string;
  path: string;
  child: ChildProcess;
  call(message: Record<string, unknown>): Promise<Record<string, any>>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function startServer(name: string, script: string, env: Record<string, string>, urlPath: string): Promise<Server> {
  const port = await freePort();
  const child = fork(script, [], {
    env: { ...process.env, PORT: String(port), ...env },
    execArgv: [...process.execArgv, ...NODE_FLAGS], // both servers run as `npm run start:prod` does
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (m: Record<string, any>) => void>();
  let next = 1;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code} before it was ready`)));
    child.on('message', (m: Record<string, any>) => {
      if (m.ready) resolve(m.url);
      else pending.get(m.id)?.(m), pending.delete(m.id);
    });
  });
  child.removeAllListeners('exit');
  return {
    name,
    url,
    path: urlPath,
    child,
    call: (message) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        child.send({ ...message, id });
      }),
  };
}

async function stopServer(s: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      s.child.kill('SIGKILL');
      resolve();
    }, 5000);
    s.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    s.child.disconnect();
  });
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return res.json();
}

// ---------------------------------------------------------------- workloads

interface Workload {
  id: string;
  title: string;
  bodies: string[];
  /** Sanity check of one response; returns a short note (e.g. answers found). */
  check(response: any): boolean; // eslint-disable-line @typescript-eslint/no-explicit-any
  /**
   * Slow requests (W7: ~1.5 s first-time at load): one connection only and `seconds` per run.
   * With ten connections and 5 s runs no answer came back inside a run, and the requests
   * abandoned at its end kept the server busy through the next runs (no W7 figure at all).
   */
  slow?: { seconds: number };
}

const gql = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

const W1_QUERY = `query W1($q: String!, $r: String!) { whoIsAccountable(question: $q, regionCode: $r) { terms answers { score townshipRole matchedTerms
  item { itemCode name } accountableBody { name level } cooperating { duty body { name } } villageDuty
  version { number approvalDocNumber effectiveFrom effectiveTo } township { code name } citations { label text } } } }`;
const W3_QUERY = `query W3($r: String!, $k: ListKind!) { listVersionInForce(regionCode: $r, kind: $k) { id number status approvalDocNumber effectiveFrom
  items(first: 1000) { totalCount edges { node { itemCode name section category source townshipRole description townshipDuty villageDuty
    accountableBody { name level } cooperating { duty body { name } } citations { label resolved text } } } } } }`;
const W4_QUERY = `query W4($a: ID!, $b: ID!) { versionDiff(fromVersionId: $a, toVersionId: $b) { from { number } to { number } changes { itemCode name change fields { field before after } } } }`;
const W7_QUERY = `query W7($c: String!, $k: ListKind!) { countyMatrix(countyCode: $c, kind: $k) { countyName townships { code name versionNumber }
  matters { id name townshipCount flags { kind message } cells { townshipCode role itemCode accountableBody { name } versionNumber itemCount } } } }`;
const W5_QUERY = `query W5($r: String!, $k: ListKind!, $d: Date) { listVersionInForce(regionCode: $r, kind: $k, asOf: $d) { id number status approvalDocNumber
  effectiveFrom effectiveTo changeReason items(first: 20) { totalCount edges { node { itemCode name townshipRole } } } } }`;

function questions(): string[] {
  const read = (f: string) => JSON.parse(fs.readFileSync(path.resolve('test/accountability', f), 'utf8')) as { question: string }[];
  return [...read('eval-set.json'), ...read('holdout-set.json')].map((c) => c.question);
}

async function buildWorkloads(url: string): Promise<Workload[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT setseed(0.42)');
    const q = (sql: string) => client.query(sql).then((r) => r.rows);
    const towns = (await q(`SELECT region_code AS code FROM (SELECT DISTINCT region_code FROM list_version WHERE status = 'PUBLISHED') t ORDER BY md5(region_code) LIMIT 200`)).map((r) => r.code.trim());
    const counties = (await q(`SELECT county_code AS code FROM duty_list GROUP BY county_code HAVING count(*) >= 4 ORDER BY md5(county_code) LIMIT 40`)).map((r) => r.code.trim());
    const pairs = await q(`SELECT a.id AS a, b.id AS b FROM list_version a JOIN list_version b ON b.list_id = a.list_id AND b.number = a.number + 1
      WHERE a.status = 'SUPERSEDED' AND b.status IN ('PUBLISHED', 'SUPERSEDED') ORDER BY md5(a.id::text) LIMIT 100`);
    const past = await q(`SELECT region_code AS code, kind, (effective_from + 10)::text AS d FROM list_version WHERE number = 1 AND status = 'SUPERSEDED'
      ORDER BY md5(id::text) LIMIT 100`);
    // W7: the matrix of the county with the most townships with lists (the whole of tier county30x300)
    const [biggest] = await q(`SELECT county_code AS code FROM duty_list GROUP BY county_code ORDER BY count(DISTINCT region_code) DESC, county_code LIMIT 1`);
    const qs = questions();
    const kinds = ['POWER', 'RESPONSIBILITY'];
    return [
      {
        id: 'W1', title: 'whoIsAccountable in one township',
        bodies: Array.from({ length: 200 }, (_, i) => gql(W1_QUERY, { q: qs[(i * 7) % qs.length], r: towns[i % towns.length] })),
        check: (r: any) => Array.isArray(r?.data?.whoIsAccountable?.answers),
      },
      {
        id: 'W2', title: 'whoIsAccountable in a whole county',
        bodies: Array.from({ length: 100 }, (_, i) => gql(W1_QUERY, { q: qs[(i * 11) % qs.length], r: counties[i % counties.length] })),
        check: (r: any) => Array.isArray(r?.data?.whoIsAccountable?.answers),
      },
      {
        id: 'W3', title: 'a whole list in force with bodies and citations',
        bodies: Array.from({ length: 100 }, (_, i) => gql(W3_QUERY, { r: towns[i % towns.length], k: kinds[(i >> 1) % 2] })),
        check: (r: any) => (r?.data?.listVersionInForce?.items?.edges?.length ?? 0) > 0,
      },
      {
        id: 'W4', title: 'versionDiff of consecutive versions',
        bodies: pairs.map((p) => gql(W4_QUERY, { a: p.a, b: p.b })),
        check: (r: any) => Array.isArray(r?.data?.versionDiff?.changes),
      },
      {
        id: 'W5', title: 'listVersionInForce on a past date',
        bodies: past.map((p) => gql(W5_QUERY, { r: p.code.trim(), k: p.kind, d: p.d })),
        check: (r: any) => r?.data?.listVersionInForce?.number === 1,
      },
      {
        id: 'W7', title: 'countyMatrix of the largest county (matter × township)',
        bodies: biggest ? kinds.map((k) => gql(W7_QUERY, { c: biggest.code.trim(), k })) : [],
        check: (r: any) => (r?.data?.countyMatrix?.townships?.length ?? 0) > 0 && (r?.data?.countyMatrix?.matters?.length ?? 0) > 0,
        slow: { seconds: Math.max(DURATION, 20) },
      },
    ].filter((w) => ONLY.includes(w.id) && w.bodies.length > 0);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- measuring

interface Run {
  ok: number;
  bad: number;
  seconds: number;
  latencies: number[];
  cpuMicros: number;
  statements: number;
  load: number[];
}

async function load(server: Server, bodies: string[], connections: number, seconds: number, keep: boolean): Promise<Run> {
  let i = 0;
  return measure(server, seconds, keep, {
    url: server.url + server.path,
    connections,
    timeout: 60, // s; autocannon's default (10 s) is below a loaded W7 answer with ten connections
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
}

/** Runs autocannon with `options` for `seconds`; with `keep`, the latencies and the server's CPU and statements. */
async function measure(server: Server, seconds: number, keep: boolean, options: Record<string, unknown>): Promise<Run> {
  const before = keep ? await server.call({ cmd: 'stats' }) : null;
  const load0 = os.loadavg()[0];
  const latencies: number[] = [];
  const instance = autocannon({ ...options, duration: seconds });
  if (keep) instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => status === 200 && latencies.push(ms));
  const result: any = await instance;
  const after = keep ? await server.call({ cmd: 'stats' }) : null;
  return {
    ok: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
    latencies,
    cpuMicros: keep ? after!.cpuMicros - before!.cpuMicros : 0,
    statements: keep ? after!.statements - before!.statements : 0,
    load: [load0, os.loadavg()[0]],
  };
}

interface Summary {
  server: string;
  connections: number;
  requests: number;
  failed: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuMsPerReq: number;
  statementsPerReq: number;
  loadAvg: number[];
}

function summarise(server: string, connections: number, runs: Run[]): Summary {
  const lat = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] : NaN);
  const ok = runs.reduce((s, r) => s + r.ok, 0);
  return {
    server,
    connections,
    requests: ok,
    failed: runs.reduce((s, r) => s + r.bad, 0),
    reqPerSec: ok / runs.reduce((s, r) => s + r.seconds, 0),
    p50: pct(50),
    p99: pct(99),
    cpuMsPerReq: runs.reduce((s, r) => s + r.cpuMicros, 0) / 1000 / ok,
    statementsPerReq: runs.reduce((s, r) => s + r.statements, 0) / ok,
    loadAvg: runs.flatMap((r) => r.load),
  };
}

// ---------------------------------------------------------------- W8: the portal's /ask against whoIsAccountable

/**
 * The same questions in the same townships asked as the portal's page (GET /ask, HTML rendered on
 * the server over the same services) and as `whoIsAccountable` over /graphql (the W1 query),
 * one connection at a time, alternating: the p50 of the page should stay within 1.3× the query's
 * (issue 14). With the read cache (quanze) and without it (quanze-nocache).
 */
async function runAskComparison(url: string, quanze: Server, nocache: Server) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const towns = await client
    .query(`SELECT region_code AS code FROM (SELECT DISTINCT region_code FROM list_version WHERE status = 'PUBLISHED') t ORDER BY md5(region_code) LIMIT 200`)
    .then((r) => r.rows.map((x) => String(x.code).trim()));
  await client.end();
  const qs = questions();
  const asks = Array.from({ length: 200 }, (_, i) => ({ q: qs[(i * 7) % qs.length], r: towns[i % towns.length] }));
  const paths = asks.map((a) => `/ask?${new URLSearchParams({ region: a.r, q: a.q }).toString()}`);
  const bodies = asks.map((a) => gql(W1_QUERY, { q: a.q, r: a.r }));
  const page = await fetch(quanze.url + paths[0]);
  if (page.status !== 200 || !(page.headers.get('content-type') ?? '').includes('text/html')) throw new Error(`W8: /ask answered ${page.status}`);
  const summaries: Summary[] = [];
  for (const s of [quanze, nocache]) {
    const pageRuns: Run[] = [];
    const gqlRuns: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const pair = [
        async () => {
          await loadPages(s, paths, WARMUP, false);
          pageRuns.push(await loadPages(s, paths, DURATION, true));
        },
        async () => {
          await load(s, bodies, 1, WARMUP, false);
          gqlRuns.push(await load(s, bodies, 1, DURATION, true));
        },
      ];
      for (const run of round % 2 === 0 ? pair : pair.reverse()) await run();
    }
    summaries.push(summarise(`${s.name} /ask`, 1, pageRuns), summarise(`${s.name} /graphql`, 1, gqlRuns));
  }
  const p50 = (name: string) => summaries.find((x) => x.server === name)!.p50;
  const ratios = { askOverGraphql: p50('quanze /ask') / p50('quanze /graphql'), askOverGraphqlNoCache: p50('quanze-nocache /ask') / p50('quanze-nocache /graphql') };
  log(`\n### W8 /ask (page) against whoIsAccountable (/graphql), one connection: ${asks.length} distinct questions`);
  log('| server | req/s | p50 ms | p99 ms | CPU ms/req | SQL/req | failed |');
  log('|---|---|---|---|---|---|---|');
  for (const r of summaries) log(`| ${r.server} | ${r.reqPerSec.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuMsPerReq.toFixed(3)} | ${r.statementsPerReq.toFixed(2)} | ${r.failed} |`);
  log(`W8 p50 /ask ÷ /graphql: ${ratios.askOverGraphql.toFixed(2)}× (target ≤ 1.3×; no cache ${ratios.askOverGraphqlNoCache.toFixed(2)}×)`);
  return { title: '/ask page against whoIsAccountable over /graphql', distinctRequests: asks.length, summaries, ratios };
}

/** One connection of GET requests over the paths, like `load` for POST bodies. */
async function loadPages(server: Server, paths: string[], seconds: number, keep: boolean): Promise<Run> {
  let i = 0;
  return measure(server, seconds, keep, {
    url: server.url,
    connections: 1,
    method: 'GET',
    headers: { accept: 'text/html' },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
}

// ---------------------------------------------------------------- W6: import of a 10,000-row file

/** CSV field quoting (RFC 4180). */
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * A 10,000-row responsibility list for a generated township: the demo list's rows with the demo
 * county's and town's names replaced by the township's own (its bodies exist, named so by the
 * generator), repeated with distinct item codes and names.
 */
function importFile(town: { code: string; name: string }, county: string, rows: number): string {
  const text = fs.readFileSync(path.resolve('src/seed/demo/town-A-responsibility.csv'), 'utf8').replace(/^\uFEFF/, '');
  const lines = parseCsv(text, { relax_column_count: true }) as string[][];
  const [header, ...records] = lines;
  const short = town.name.replace(/(街道办事处|街道|镇|乡)$/, '');
  const rename = (v: string) =>
    v.replace(/无锡市宜兴/g, county).replace(/宜兴市公安局张渚派出所/g, `${county}公安局${short}派出所`).replace(/宜兴市/g, county).replace(/张渚镇/g, town.name);
  const out = [header.map(csvField).join(',')];
  const codeAt = header.indexOf('事项编码');
  const nameAt = header.indexOf('事项名称');
  for (let i = 0; i < rows; i++) {
    const r = records[i % records.length].map(rename);
    r[codeAt] = `${town.code.slice(0, 6)}-${town.code.slice(6, 9)}-IM-${String(i + 1).padStart(5, '0')}`;
    r[nameAt] = `${r[nameAt]}（${i + 1}）`;
    out.push(r.map(csvField).join(','));
  }
  return `${out.join('\r\n')}\r\n`;
}

async function runImports(url: string, quanze: Server, count: number, rows: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let towns: { code: string; name: string; county: string }[];
  try {
    // Townships whose responsibility list has no open version (an import makes a new draft).
    towns = (
      await client.query(
        `SELECT r.code, r.name, c.name AS county FROM duty_list l JOIN region r ON r.code = l.region_code
         LEFT JOIN region c ON c.code = l.county_code
         WHERE l.kind = 'RESPONSIBILITY' AND NOT EXISTS (SELECT 1 FROM list_version v WHERE v.list_id = l.id AND v.status NOT IN ('PUBLISHED', 'SUPERSEDED'))
         ORDER BY md5(r.code) LIMIT $1`,
        [count + 1],
      )
    ).rows.map((r) => ({ code: r.code.trim(), name: r.name, county: r.county }));
  } finally {
    await client.end();
  }
  const login = await post(`${quanze.url}/admin/graphql`, JSON.stringify({ query: 'mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }', variables: { u: 'bench-admin', p: 'bench-admin-password' } }));
  const token = login?.data?.login?.token;
  if (!token) throw new Error(`W6: login failed: ${JSON.stringify(login)}`);
  const upload = async (town: { code: string; name: string; county: string }, n: number) => {
    const form = new FormData();
    form.set('regionCode', town.code);
    form.set('kind', 'RESPONSIBILITY');
    form.set('changeReason', '乡镇申请');
    form.set('allowMassRemoval', 'true'); // the file replaces the township's whole list: every item in force goes
    form.set('file', new Blob([importFile(town, town.county, n)], { type: 'text/csv' }), `${town.name}责任清单.csv`);
    const before = await quanze.call({ cmd: 'stats' });
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${quanze.url}/admin/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const body: any = await res.json();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const after = await quanze.call({ cmd: 'stats' });
    if (res.status !== 201) throw new Error(`W6: import answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    // The draft goes again (not timed): a benchmark draft must not stay in the tier and skew later runs' searches and imports.
    const discarded = await post(`${quanze.url}/admin/graphql`, JSON.stringify({
      query: 'mutation($v:ID!,$r:String!){ discardDraft(versionId:$v, reason:$r) }', variables: { v: body.version?.id, r: '基准测试导入，测后撤销' },
    }), { authorization: `Bearer ${token}` });
    if (discarded?.data?.discardDraft !== true) throw new Error(`W6: discarding the benchmark draft failed: ${JSON.stringify(discarded).slice(0, 500)}`);
    return { rows: body.itemsImported as number, seconds, cpuMs: (after.cpuMicros - before.cpuMicros) / 1000, statements: after.statements - before.statements };
  };
  await upload(towns[0], 200); // warm-up: JIT, prepared catalogue
  const runs = [];
  for (const town of towns.slice(1, count + 1)) runs.push(await upload(town, rows));
  const total = runs.reduce((s, r) => s + r.seconds, 0);
  const summary = {
    imports: runs.length,
    rowsPerImport: rows,
    rowsPerSec: runs.reduce((s, r) => s + r.rows, 0) / total,
    secondsPerImport: runs.map((r) => +r.seconds.toFixed(2)),
    cpuMsPerRow: runs.reduce((s, r) => s + r.cpuMs, 0) / runs.reduce((s, r) => s + r.rows, 0),
    statementsPerImport: runs.map((r) => r.statements),
    loadAvg: os.loadavg()[0],
  };
  log(`\n### W6 import of a ${rows}-row file (POST /admin/imports, csv): ${summary.rowsPerSec.toFixed(0)} rows/s (${summary.secondsPerImport.join(', ')} s), ` +
    `${summary.cpuMsPerRow.toFixed(3)} ms Quanze CPU per row, ${summary.statementsPerImport.join(', ')} statements; load ${summary.loadAvg.toFixed(1)}; bare server: not measured (writes)`);
  return summary;
}

// ---------------------------------------------------------------- a tier

async function databaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: dbUrl('postgres') });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await c.end();
  }
}

/** Tiers asked for whose database is missing (without --generate): the run says so and fails. */
const missingTiers: string[] = [];

async function prepareTier(tier: string): Promise<string | null> {
  const name = `quanze_bench_${tier}`;
  if (await databaseExists(name)) return dbUrl(name);
  if (!flag('generate')) {
    missingTiers.push(tier);
    log(`tier ${tier}: database ${name} missing on ${SERVER}; to build it and run: npm run bench -- ${[...args, '--generate'].join(' ')}`);
    return null;
  }
  const c = new pg.Client({ connectionString: dbUrl('postgres') });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  log(`tier ${tier}: generating ${name} (${TIERS[tier].townships} townships)…`);
  execFileSync('node', ['dist/src/cli.js', 'dataset:generate', '--townships', String(TIERS[tier].townships), ...(TIERS[tier].generateArgs ?? [])], {
    stdio: ['ignore', JSON_OUT ? 'ignore' : 'inherit', 'inherit'],
    env: { ...process.env, DATABASE_URL: dbUrl(name) },
  });
  return dbUrl(name);
}

async function tableSizes(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const [row] = (
      await c.query(`SELECT (SELECT count(*) FROM list_item)::bigint AS items, (SELECT count(*) FROM item_citation)::bigint AS citations,
        (SELECT count(*) FROM duty_list)::int AS lists, (SELECT count(DISTINCT region_code) FROM duty_list)::int AS townships,
        pg_size_pretty(pg_database_size(current_database())) AS size, current_setting('server_version') AS pg`)
    ).rows;
    return { items: Number(row.items), citations: Number(row.citations), lists: row.lists, townships: row.townships, size: row.size, pg: row.pg };
  } finally {
    await c.end();
  }
}

async function runTier(tier: string) {
  const url = await prepareTier(tier);
  if (!url) return null;
  const sizes = await tableSizes(url);
  log(`\n## tier ${tier}: ${sizes.items} item rows, ${sizes.citations} citations, ${sizes.lists} lists in ${sizes.townships} townships (${sizes.size})`);
  const common = {
    DATABASE_URL: url,
    NODE_ENV: 'production',
    JWT_SECRET: 'benchmark-secret-benchmark-secret-0123456789',
    QUANZE_DEMO_DATA: 'false',
    QUANZE_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-bench-')),
    ADMIN_USERNAME: 'bench-admin',
    ADMIN_PASSWORD: 'bench-admin-password',
    DB_POOL_SIZE: '10',
    // The benchmark is the only client: request limits of the public API (rate, page size,
    // complexity) are lifted so that they do not become what is measured.
    RATE_LIMIT_PUBLIC_PER_MINUTE: '10000000',
    PAGE_MAX_PUBLIC: '1000',
    QUERY_MAX_COMPLEXITY_PUBLIC: '10000000',
    IMPORT_MAX_BYTES: String(50 * 1024 * 1024), // a 10,000-row list is ~16 MB of CSV
  };
  const dist = path.resolve('dist/scripts/bench');
  const servers: Server[] = [];
  try {
    servers.push(await startServer('quanze', path.join(dist, 'quanze-server.js'), common, '/graphql'));
    servers.push(await startServer('quanze-nocache', path.join(dist, 'quanze-server.js'), { ...common, READ_CACHE_ENTRIES: '0' }, '/graphql'));
    servers.push(await startServer('bare', path.join(dist, 'bare-server.js'), common, '/'));
    const [quanze, nocache, bare] = servers;
    const workloads = await buildWorkloads(url);
    const results: Record<string, any> = {};
    for (const w of workloads) {
      // Record what Quanze sends for each body (cache off), and check the answers.
      const plans: [string, { text: string; values: unknown[] }[]][] = [];
      let passed = 0;
      for (const body of w.bodies) {
        await nocache.call({ cmd: 'capture' });
        const response = await post(nocache.url + '/graphql', body);
        const { statements } = await nocache.call({ cmd: 'captured' });
        if (response.errors) throw new Error(`${w.id}: ${JSON.stringify(response.errors).slice(0, 300)}`);
        if (w.check(response)) passed++;
        plans.push([body, statements]);
      }
      await bare.call({ cmd: 'plans', plans });
      const sqlTime = await statementTimes(url, plans);
      const statementCounts = plans.map(([, s]) => s.length);
      const answered = w.id === 'W1' || w.id === 'W2'
        ? await Promise.all(w.bodies.slice(0, 50).map((b) => post(quanze.url + '/graphql', b))).then((rs) => rs.filter((r) => (r?.data?.whoIsAccountable?.answers?.length ?? 0) > 0).length / 50)
        : null;
      log(`\n### ${w.id} ${w.title}: ${w.bodies.length} distinct requests, ${passed} pass the check, Quanze sends ${Math.min(...statementCounts)}–${Math.max(...statementCounts)} statements (cache off)` +
        (answered !== null ? `, ${Math.round(answered * 100)}% of questions answered` : ''));
      const modes = w.slow ? [1] : [CONNECTIONS, 1];
      const seconds = w.slow?.seconds ?? DURATION;
      const summaries: Summary[] = [];
      for (const connections of modes) {
        const runs = new Map<string, Run[]>(servers.map((s) => [s.name, []]));
        for (let round = 0; round < ROUNDS; round++) {
          const order = round % 2 === 0 ? servers : [...servers].reverse();
          for (const s of order) {
            await load(s, w.bodies, connections, WARMUP, false);
            runs.get(s.name)!.push(await load(s, w.bodies, connections, seconds, true));
          }
        }
        for (const s of servers) summaries.push(summarise(s.name, connections, runs.get(s.name)!));
      }
      const pick = (server: string, c: number) => summaries.find((x) => x.server === server && x.connections === c) ?? { reqPerSec: NaN, p50: NaN };
      const ratios = {
        throughput: pick('quanze', CONNECTIONS).reqPerSec / pick('bare', CONNECTIONS).reqPerSec,
        throughputNoCache: pick('quanze-nocache', CONNECTIONS).reqPerSec / pick('bare', CONNECTIONS).reqPerSec,
        p50: pick('quanze', 1).p50 / pick('bare', 1).p50,
        p50NoCache: pick('quanze-nocache', 1).p50 / pick('bare', 1).p50,
      };
      results[w.id] = { title: w.title, distinctRequests: w.bodies.length, statementsCaptured: [Math.min(...statementCounts), Math.max(...statementCounts)], answered, sqlTime, summaries, ratios };
      printTable(w.id, summaries, ratios, sqlTime);
    }
    if (ONLY.includes('W8')) results.W8 = await runAskComparison(url, quanze, nocache);
    if (ONLY.includes('W6')) {
      const hasImport = fs.existsSync(path.resolve('dist/src/modules/import-export/import.service.js'));
      if (hasImport) results.W6 = await runImports(url, quanze, QUICK ? 1 : 3, 10_000);
      else {
        results.W6 = { notMeasured: 'this build has no import module' };
        log('\n### W6: not measured (this build has no import module)');
      }
    }
    const out = {
      tier, sizes, when: new Date().toISOString(), quick: QUICK, duration: DURATION, warmup: WARMUP, rounds: ROUNDS, connections: CONNECTIONS,
      machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: sizes.pg },
      workloads: results,
    };
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, `${tier}${QUICK ? '-quick' : ''}.json`), `${JSON.stringify(out, null, 1)}\n`);
    return out;
  } finally {
    for (const s of servers) await stopServer(s);
  }
}

/**
 * The statements' own time, apart from the servers: each request's captured statements (reads
 * only) replayed one at a time on one connection under EXPLAIN (ANALYZE, TIMING OFF), twice, the
 * second run kept. Per request: the sum of their execution and planning times, and the slowest
 * statement (for W1/W2 the search); p50 over at most 100 requests.
 */
async function statementTimes(url: string, plans: [string, { text: string; values: unknown[] }[]][]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const exec: number[] = [], plan: number[] = [], slowest: number[] = [];
  try {
    for (const [, statements] of plans.slice(0, 100)) {
      let e = 0, p = 0, m = 0;
      for (const st of statements) {
        if (!/^\s*(SELECT|WITH)\b/i.test(st.text) || /\b(INSERT|UPDATE|DELETE)\b/i.test(st.text)) continue;
        let explained: any;
        for (let run = 0; run < 2; run++) explained = (await client.query(`EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${st.text}`, st.values)).rows[0]['QUERY PLAN'][0];
        e += explained['Execution Time'];
        p += explained['Planning Time'];
        m = Math.max(m, explained['Execution Time']);
      }
      exec.push(e), plan.push(p), slowest.push(m);
    }
  } finally {
    await client.end();
  }
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return { execP50: p50(exec), planP50: p50(plan), slowestExecP50: p50(slowest) };
}

function printTable(id: string, rows: Summary[], ratios: Record<string, number>, sqlTime: { execP50: number; planP50: number; slowestExecP50: number }) {
  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
  // The statements' own time belongs to the servers that send them (Quanze with the cache off, bare).
  const sql = (r: Summary) => (r.server === 'quanze' ? '–' : `${f(sqlTime.execP50)} (${f(sqlTime.planP50)})`);
  log('| server | conns | req/s | p50 ms | p99 ms | CPU ms/req | SQL/req | SQL exec (plan) ms | load avg | failed |');
  log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    log(`| ${r.server} | ${r.connections} | ${f(r.reqPerSec, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.cpuMsPerReq, 3)} | ${f(r.statementsPerReq, 2)} | ${sql(r)} | ${f(Math.min(...r.loadAvg), 1)}–${f(Math.max(...r.loadAvg), 1)} | ${r.failed} |`);
  log(`${id} statements' own time per request (EXPLAIN ANALYZE, p50): execution ${f(sqlTime.execP50)} ms, planning ${f(sqlTime.planP50)} ms, slowest statement ${f(sqlTime.slowestExecP50)} ms`);
  log(`${id} ratios: throughput ${f(ratios.throughput)}× bare (no cache ${f(ratios.throughputNoCache)}×), single-request p50 ${f(ratios.p50)}× bare (no cache ${f(ratios.p50NoCache)}×)`);
}

function writeChart() {
  if (!fs.existsSync(OUT_DIR)) return;
  const tiers = Object.keys(TIERS)
    .map((t) => path.join(OUT_DIR, `${t}.json`))
    .filter((f) => fs.existsSync(f))
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')))
    .filter((r) => r.workloads?.W1);
  if (!tiers.length) return;
  const point = (server: string) =>
    tiers.map((r) => {
      const s = r.workloads.W1.summaries.find((x: Summary) => x.server === server && x.connections === 1);
      return { x: r.sizes.items, y: s.p50, label: `${s.p50.toFixed(2)} ms` };
    });
  const svg = lineChartSvg('W1 whoIsAccountable (one township): p50 of a single request', 'list_item rows (log scale)', 'p50 latency, ms', [
    { name: 'Quanze', color: '#c0392b', points: point('quanze') },
    { name: 'Quanze, cache off', color: '#e67e22', points: point('quanze-nocache') },
    { name: 'bare http + pg', color: '#2c3e50', points: point('bare') },
  ]);
  fs.writeFileSync(path.join(OUT_DIR, 'w1-p50.svg'), svg);
  log(`\nchart: ${path.relative(process.cwd(), path.join(OUT_DIR, 'w1-p50.svg'))} (${tiers.map((t) => formatCount(t.sizes.items)).join(', ')})`);
}

async function main() {
  log(`Quanze benchmark: ${QUICK ? 'quick, ' : ''}tiers ${TIER_NAMES.join(', ')}; ${DURATION} s per run after ${WARMUP} s warm-up, ${ROUNDS} rounds, ${CONNECTIONS} and 1 connection(s)`);
  log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const all = [];
  for (const tier of TIER_NAMES) {
    if (!TIERS[tier]) throw new Error(`unknown tier ${tier} (known: ${Object.keys(TIERS).join(', ')})`);
    const r = await runTier(tier);
    if (r) all.push(r);
  }
  if (!QUICK) writeChart();
  // Every workload: the read workloads' ratios and summaries, W6 (import) as measured (rows/s, CPU per row, statements).
  const workloadJson = ([id, w]: [string, any]) => [id, 'summaries' in w ? { title: w.title, ratios: w.ratios, summaries: w.summaries } : w];
  if (JSON_OUT && all.length) process.stdout.write(`${JSON.stringify(all.map((r) => ({ tier: r.tier, sizes: r.sizes, workloads: Object.fromEntries(Object.entries(r.workloads).map(workloadJson)) })), null, 1)}\n`);
  if (missingTiers.length) {
    log(`\nnot measured: tier(s) ${missingTiers.join(', ')} (no database; see above)`);
    process.exit(2);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
