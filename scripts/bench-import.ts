/**
 * `npm run bench:import [-- --rows 10000] [-- --engines embedded,postgres]`: generates a list file of
 * 10,000 rows (CSV and .xlsx, from the demo county's responsibility list, one township's own bodies
 * swapped in) and times its import on each engine through the import service — the code behind all
 * three doors — on a fresh database with the demo data: a new list (every row a new item), the
 * .xlsx of the same rows, and the CSV again once the first draft is published (every row unchanged,
 * nothing written). Prints rows/s per run, with the time spent reading, validating and writing.
 *
 * Realistic rows (about 1.6 KB each) make a 10,000-row CSV of ~16 MB: the run raises IMPORT_MAX_BYTES
 * (default 10 MB) to 64 MB. The PostgreSQL engine uses DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/postgres)
 * and a database created for the run and dropped after it.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemActor } from '../src/auth/actor.js';
import { startRegistry, type RunningRegistry } from '../src/bootstrap.js';
import { readCsvRecords } from '../src/common/csv.js';
import { loadConfig } from '../src/config/config.js';
import { BodiesService } from '../src/modules/bodies/bodies.service.js';
import { ImportService, type ImportOutcome } from '../src/modules/import-export/import.service.js';
import { writeCsv, writeXlsx } from '../src/modules/import-export/sheet-writers.js';
import { recordToItemInput, type SheetItem } from '../src/modules/lists/list-sheet.js';
import { ListVersionsService } from '../src/modules/lists/list-versions.service.js';
import { demoFile } from '../src/seed/demo-files.js';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const ROWS = Number(arg('rows', '10000'));
const ENGINES = arg('engines', 'embedded,postgres').split(',');
const COUNTY = '320282';
const TOWNS = [
  { code: '320282101', name: '西渚镇' },
  { code: '320282104', name: '官林镇' },
];

/** `rows` items of a township's responsibility list, cycling through the demo list with distinct codes and names. */
export function generatedList(rows: number, town: { code: string; name: string }): SheetItem[] {
  const text = fs.readFileSync(demoFile('town-A-responsibility.csv'), 'utf8').replaceAll('张渚镇人民政府', `${town.name}人民政府`).replaceAll('张渚镇综合行政执法大队', `${town.name}综合行政执法大队`);
  const templates = readCsvRecords(text).map((r) => recordToItemInput('RESPONSIBILITY', r));
  const sectionCode = { BASIC: 'JB', COOPERATIVE: 'PH', RECLAIMED: 'SH' } as const;
  return Array.from({ length: rows }, (_, i) => {
    const t = templates[i % templates.length];
    const n = i + 1;
    return {
      itemCode: `${COUNTY}-${town.code.slice(6)}-${sectionCode[t.section!]}-${String(n).padStart(5, '0')}`,
      name: `${t.name}（${n}）`,
      description: `${t.description ?? ''}本事项为第${n}项。`,
      subItem: null,
      handlingUnit: null,
      section: t.section ?? null,
      category: null,
      source: null,
      accountableBodyName: t.accountableBodyName,
      townshipDuty: t.townshipDuty ?? null,
      villageDuty: t.villageDuty ?? null,
      cooperating: (t.cooperating ?? []).map((c) => ({ bodyName: c.bodyName, duty: c.duty })),
      legalBasis: t.legalBasis ?? null,
      stagedDuties: t.stagedDuties ?? [],
      accountabilityCircumstances: t.accountabilityCircumstances ?? [],
      exemptions: t.exemptions ?? [],
      keywords: t.keywords ?? [],
    };
  });
}

interface Run {
  engine: string;
  what: string;
  rows: number;
  outcome: ImportOutcome;
  ms: number;
}

async function withEngine<T>(engine: string, work: (registry: RunningRegistry) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-bench-'));
  let server: string | null = null;
  let database: string | null = null;
  const env: Record<string, string | undefined> = { ...process.env, QUANZE_DATA_DIR: dataDir, QUANZE_DEMO_DATA: 'true', IMPORT_MAX_ROWS: String(Math.max(ROWS, 20_000)), IMPORT_MAX_BYTES: String(64 * 1024 * 1024) };
  delete env.DATABASE_URL;
  if (engine === 'postgres') {
    server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    database = `quanze_bench_${process.pid}`;
    await adminQuery(server, `CREATE DATABASE ${database}`);
    const url = new URL(server);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
  }
  const registry = await startRegistry(loadConfig(env), { listen: false, logger: false });
  try {
    return await work(registry);
  } finally {
    await registry.stop();
    if (server && database) await adminQuery(server, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function adminQuery(server: string, sql: string) {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function main() {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-bench-files-'));
  const files = await Promise.all(
    TOWNS.map(async (town, i) => {
      const items = generatedList(ROWS, town);
      const file =
        i === 0
          ? { name: `${town.code}-责任清单.csv`, body: writeCsv('RESPONSIBILITY', items) }
          : { name: `${town.code}-责任清单.xlsx`, body: await writeXlsx({ township: `宜兴市${town.name}`, kind: 'RESPONSIBILITY', versionNumber: 1, statusLabel: '草稿', approvalDocNumber: null, effectiveFrom: null, effectiveTo: null }, items) };
      fs.writeFileSync(path.join(outDir, file.name), file.body);
      return { town, ...file };
    }),
  );
  for (const f of files) console.log(`generated ${path.join(outDir, f.name)}: ${ROWS} rows, ${(f.body.length / 1024 / 1024).toFixed(1)} MB`);

  const actor = systemActor('bench');
  const runs: Run[] = [];
  for (const engine of ENGINES) {
    await withEngine(engine, async (registry) => {
      const imports = registry.app.get(ImportService);
      const bodies = registry.app.get(BodiesService);
      for (const { town } of files) {
        await bodies.createBody(actor, `${town.name}人民政府`, '人民政府', town.code);
        await bodies.createBody(actor, `${town.name}综合行政执法大队`, '执法机构', town.code);
      }
      const timed = async (what: string, f: (typeof files)[number]) => {
        const started = performance.now();
        const outcome = await imports.importList(actor, { regionCode: f.town.code, kind: 'RESPONSIBILITY', fileName: f.name, content: f.body });
        const ms = performance.now() - started;
        if (outcome.errors.length) throw new Error(`${what}: ${outcome.errors.length} errors, first: ${outcome.errors[0].message}`);
        runs.push({ engine, what, rows: outcome.itemsImported, outcome, ms });
        console.log(`${engine}: ${what}: ${outcome.itemsImported} rows in ${(ms / 1000).toFixed(2)} s = ${Math.round(outcome.itemsImported / (ms / 1000))} rows/s`);
        return outcome;
      };
      const first = await timed('CSV, new list', files[0]);
      await timed('xlsx, new list', files[1]);
      // Publish the CSV's draft, then import the same file again: every row is the row in force.
      const versions = registry.app.get(ListVersionsService);
      const reviewer = systemActor('bench-reviewer');
      await versions.submitForReview(actor, first.version!.id);
      await versions.approveVersion(reviewer, first.version!.id, null);
      await versions.publishVersion(actor, first.version!.id, '2030-01-01', '宜政发〔2030〕1号');
      await timed('CSV again, unchanged', files[0]);
    });
  }

  console.log('');
  console.log('engine    file                   rows   seconds   rows/s   read   validate   write  (s)');
  for (const r of runs) {
    const t = r.outcome.timings;
    console.log(
      `${r.engine.padEnd(9)} ${r.what.padEnd(22)} ${String(r.rows).padStart(5)} ${(r.ms / 1000).toFixed(2).padStart(9)} ${String(Math.round(r.rows / (r.ms / 1000))).padStart(8)}` +
        ` ${(t.readMs / 1000).toFixed(2).padStart(6)} ${(t.validateMs / 1000).toFixed(2).padStart(10)} ${(t.writeMs / 1000).toFixed(2).padStart(7)}`,
    );
  }
  fs.rmSync(outDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
