import fs from 'node:fs';
import path from 'node:path';
import { MigrationExecutor, type DataSource } from 'typeorm';
import { systemActor } from '../auth/actor.js';
import { UsersService } from '../auth/users.service.js';
import { UserEntity, type Role } from '../auth/user.entity.js';
import { readCsvRecords } from '../common/csv.js';
import { schemaDrift } from '../database/schema-drift.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { ExportService, type ExportFormat, type ExportLayout } from '../modules/import-export/export.service.js';
import { importFolder as runFolderImport, problemsCsv, summaryTable, type FolderImportOptions } from '../modules/import-export/folder-import.js';
import { SearchIndexService } from '../modules/accountability/search-index.service.js';
import { ImportService } from '../modules/import-export/import.service.js';
import { BodiesImportService } from '../modules/import-export/bodies-import.service.js';
import { LegalService } from '../modules/legal/legal.service.js';
import { RegionsService } from '../modules/regions/regions.service.js';
import { readCatalogueCsv } from '../seed/seed.service.js';
import type { CliContext } from './app-context.js';
import { CliError } from './cli-error.js';
import { progressBar } from './progress.js';
import { migrationNames, migrationSource, pendingSchemaChanges, projectMigrationsDir } from './migration-file.js';

/**
 * What each CLI command does, given the application context (src/cli.ts declares the commands,
 * their options and help, and loads this module only when a command runs).
 */

async function refusePendingMigrations(dataSource: DataSource): Promise<void> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  if (pending.length)
    throw new CliError(`${pending.length} migration(s) not applied (${pending.map((m) => m.name).join(', ')}): run migration:run first`);
}

async function requireRegionsLoaded(regions: RegionsService): Promise<void> {
  if (await regions.isEmpty()) throw new CliError('no regions are loaded yet: run regions:load first');
}

// ---------------------------------------------------------------- migrations and schema

/** Applies the pending migrations, then recomputes the search index if they (or the code) changed the search document. */
export async function migrationRun({ app, dataSource, say }: CliContext): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  say(applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations.');
  const reindexed = await app.get(SearchIndexService).reindexIfStale({ onProgress: progressBar(process.stderr, '检索索引') });
  if (reindexed !== null) say(`Search index recomputed with the current search document: ${reindexed} rows.`);
}

export async function migrationRevert({ dataSource, say }: CliContext): Promise<void> {
  const [last] = await new MigrationExecutor(dataSource).getExecutedMigrations(); // newest first
  if (!last) throw new CliError('no migration has been applied: nothing to revert');
  await dataSource.undoLastMigration({ transaction: 'each' });
  say(`Reverted ${last.name}`);
}

export async function migrationShow({ dataSource, say }: CliContext): Promise<void> {
  const applied = new Set((await new MigrationExecutor(dataSource).getExecutedMigrations()).map((m) => m.name));
  const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  for (const name of known) say(`[${applied.has(name) ? 'X' : ' '}] ${name}`);
  for (const name of applied) if (!known.includes(name)) say(`[?] ${name} (applied, but not in migrations/index.ts)`);
  say(`${known.filter((n) => !applied.has(n)).length} pending`);
}

export async function migrationGenerate({ dataSource, say }: CliContext, name: string, options: { dir?: string }): Promise<void> {
  await refusePendingMigrations(dataSource);
  const { up, down } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) throw new CliError('no changes: the entities and the migrations agree, nothing to generate');
  const { className, fileName } = migrationNames(name, Date.now());
  const file = path.join(options.dir ? path.resolve(options.dir) : projectMigrationsDir(), fileName);
  fs.writeFileSync(file, migrationSource(className, up, down), { flag: 'wx' });
  say(`Wrote ${file} (${up.length} statement(s) up, ${down.length} down). Review it, then add it to migrations/index.ts:`);
  say(`  import { ${className} } from './${fileName.replace(/\.ts$/, '.js')}';`);
  say(`  export const migrations = [..., ${className}];`);
}

export async function schemaCheck({ dataSource, say }: CliContext): Promise<void> {
  await refusePendingMigrations(dataSource);
  const drift = await schemaDrift(dataSource);
  if (drift.length) {
    for (const sql of drift) say(`${sql};`);
    throw new CliError(`schema drift: the entities need ${drift.length} statement(s) (above) that no migration makes; add a migration (migration:generate)`);
  }
  say('The entities and the migrations agree.');
}

// ---------------------------------------------------------------- users

export async function userCreate({ app, say }: CliContext, options: { username: string; password: string; role: Role; region?: string }): Promise<void> {
  if (options.region) await requireRegionsLoaded(app.get(RegionsService));
  const user = await app.get(UsersService).createUser(systemActor('cli'), { ...options, regionCode: options.region ?? null });
  say(`Created user ${user.username} (${user.role}${user.regionCode ? `, region ${user.regionCode}` : ''})`);
}

// ---------------------------------------------------------------- regions

export async function regionsLoad({ app, dataSource, say }: CliContext): Promise<void> {
  const count = await dataSource.transaction((em) => app.get(RegionsService).loadExtract(em));
  say(`Loaded the region extract: ${count} regions, province to township.`);
}

export async function regionsVillages({ app, dataSource, say }: CliContext, countyCode: string): Promise<void> {
  const regions = app.get(RegionsService);
  await requireRegionsLoaded(regions);
  const county = await regions.requireRegion(countyCode, 'countyCode');
  const count = await dataSource.transaction((em) => regions.loadVillages(county.code, em));
  if (count === 0) throw new CliError(`the extract has no villages under ${county.code} ${county.name}: give a county code such as 320282`);
  say(`Loaded ${count} villages of ${county.name} (${county.code}).`);
}

// ---------------------------------------------------------------- legal catalogue

export const CATALOGUE_COLUMNS = ['法规名称', '简称', '位阶', '制定机关', '文号', '施行日期', '条款', '条文'];

export async function legalImport({ app, dataSource, say }: CliContext, file: string): Promise<void> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const raw = readCsvRecords(text);
  if (raw.length === 0) throw new CliError(`${file} has no rows`);
  if (!('法规名称' in raw[0] && '位阶' in raw[0]))
    throw new CliError(`${file} is not a catalogue CSV: expected a header row ${CATALOGUE_COLUMNS.join(',')}`);
  // Refuse what importCatalogue would store wrongly (a provision silently dropped) or fail on in SQL.
  const rows = readCatalogueCsv(text);
  rows.forEach((row, i) => {
    const line = `第${i + 2}行`;
    if (!row.title) throw new CliError(`${line}「法规名称」为空`);
    if (raw[i]['条款'] && row.article === null) throw new CliError(`${line}「条款」“${raw[i]['条款']}”无法解析，应如“第六十五条”“第三十七条第二款”`);
    if (row.effectiveFrom && !/^\d{4}-\d{2}-\d{2}$/.test(row.effectiveFrom)) throw new CliError(`${line}「施行日期」“${row.effectiveFrom}”应为 YYYY-MM-DD`);
  });
  const result = await dataSource.transaction((em) => app.get(LegalService).importCatalogue(rows, em));
  say(`Imported ${file}: ${rows.length} rows, ${result.instruments} instruments, ${result.provisions} provisions.`);
}

// ---------------------------------------------------------------- audit

const BREAK_EXPLANATION = {
  MISSING: 'the event is missing (deleted, or the sequence renumbered)',
  HASH_MISMATCH: 'its content no longer matches its hash (edited)',
  PREVIOUS_HASH_MISMATCH: 'it does not follow the event before it (reordered or replaced)',
} as const;

/** Walks the hash chain; exit 1 naming the first broken event, else prints the head hash for publication. */
export async function auditVerify({ app, say }: CliContext): Promise<void> {
  const result = await app.get(AuditService).verify();
  if (result.broken) {
    throw new CliError(
      `audit chain BROKEN at seq ${result.broken.seq}: ${BREAK_EXPLANATION[result.broken.problem]}; ` +
        `the ${result.headSeq} events before it verify, ending in hash ${result.headHash ?? '(none)'}`,
    );
  }
  say(`audit chain intact: ${result.events} events`);
  say(`head seq ${result.headSeq} hash ${result.headHash ?? '(empty chain)'}`);
}

// ---------------------------------------------------------------- dataset

/**
 * Generates a registry at scale for benchmarks. The generator is a benchmark tool
 * (scripts/bench/dataset-generator.ts, compiled by `npm run cli` and `npm run bench`), loaded only here.
 */
export async function datasetGenerate(
  { app, dataSource, engine, say }: CliContext,
  options: { townships: number; items: number; versions: number; seed: number },
): Promise<void> {
  if (engine === 'embedded') say('note: the embedded engine is meant for small datasets; benchmarks use a PostgreSQL server (DATABASE_URL)');
  let DatasetGenerator: typeof import('../../scripts/bench/dataset-generator.js').DatasetGenerator;
  try {
    ({ DatasetGenerator } = await import('../../scripts/bench/dataset-generator.js'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new CliError('the dataset generator is not compiled: run it as `npm run cli -- dataset:generate …` (which compiles scripts/bench)');
  }
  const generator = new DatasetGenerator(dataSource, app.get(RegionsService), app.get(LegalService), app.get(AuditService), say);
  say(`Generating ${options.townships} townships × 2 lists × ${options.items} items, ${options.versions} versions (seed ${options.seed})…`);
  const r = await generator.generate(options);
  say(
    `Generated ${r.townships} townships in ${r.counties} counties: ${r.bodies} new bodies, ${r.lists} lists, ${r.versions} versions, ` +
      `${r.itemRows} item rows, ${r.citationRows} citation rows (${r.distinctTexts} distinct texts) in ${r.seconds.total.toFixed(1)} s` +
      (r.indexesRebuilt ? ', indexes rebuilt after the load' : ''),
  );
}

// ---------------------------------------------------------------- search

/** Recomputes the search vectors of every item row (of a region), in short batches: safe while the server runs. */
export async function searchReindex({ app, say }: CliContext, options: { region?: string }): Promise<void> {
  const search = app.get(SearchIndexService);
  const region = options.region ? await app.get(RegionsService).requireRegion(options.region, 'regionCode') : null;
  const started = Date.now();
  const rows = await search.reindex({ regionCode: region?.code, onProgress: progressBar(process.stderr, '检索索引') });
  say(`Search index recomputed${region ? ` for ${region.name} (${region.code})` : ''}: ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

// ---------------------------------------------------------------- spreadsheets (import/export)

/** The actor a spreadsheet command acts as: a named user (`--as`, with that user's scope) or the CLI itself (ADMIN). */
async function commandActor(dataSource: DataSource, username?: string) {
  if (!username) return systemActor('cli');
  const user = await dataSource.getRepository(UserEntity).findOneBy({ username });
  if (!user) throw new CliError(`no user named ${username}`);
  return { userId: user.id, username: user.username, role: user.role, regionCode: user.regionCode };
}

/** Imports every .csv/.xlsx of a folder, each into a new draft of its township's list (see folder-import.ts). */
export async function importFolder(
  { app, dataSource, say }: CliContext,
  dir: string,
  options: FolderImportOptions & { as?: string; report?: string },
): Promise<void> {
  const regions = app.get(RegionsService);
  await requireRegionsLoaded(regions);
  const actor = await commandActor(dataSource, options.as);
  let results;
  try {
    results = await runFolderImport(dir, options, { actor, imports: app.get(ImportService), regions, progress: progressBar(process.stderr, '导入') });
  } catch (e) {
    if (e instanceof Error && /^cannot read the folder/.test(e.message)) throw new CliError(e.message);
    throw e;
  }
  if (!results.length) throw new CliError(`no .csv or .xlsx files in ${dir}`);
  say(summaryTable(results));
  for (const r of results.filter((x) => x.reason || x.outcome?.errors.length)) {
    say('');
    say(`${r.file}：`);
    if (r.reason) say(`  ${r.reason}`);
    const errors = r.outcome?.errors ?? [];
    for (const e of errors.slice(0, 20)) say(`  ${e.message}`);
    if (errors.length > 20) say(`  …另有 ${errors.length - 20} 条${options.report ? '' : '（加 --report <file.csv> 导出全部）'}`);
  }
  if (options.report) {
    fs.writeFileSync(options.report, problemsCsv(results));
    say(`\nAll problems written to ${options.report}`);
  }
  const failed = results.filter((r) => r.status !== 'IMPORTED' && r.status !== 'VALID').length;
  if (failed) throw new CliError(`${failed} of ${results.length} file(s) not imported (see above); the others were`);
}

/** Writes a version of a list as .xlsx or .csv (any status: the CLI reads as the registry). */
/** `bodies:import FILE`: the county's catalogue of bodies, as `importBodies` reads it; exit 1 with every bad row when the file has errors. */
export async function bodiesImport({ app, dataSource, say }: CliContext, file: string, options: { as?: string; dryRun?: boolean }): Promise<void> {
  await requireRegionsLoaded(app.get(RegionsService));
  const actor = await commandActor(dataSource, options.as);
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const outcome = await app.get(BodiesImportService).importBodies(actor, { fileName: path.basename(file), content, dryRun: !!options.dryRun });
  for (const w of outcome.warnings) say(`  ${w.message}`);
  if (outcome.errors.length) {
    for (const e of outcome.errors) say(`  ${e.message}`);
    throw new CliError(`${file}: ${outcome.errors.length} problem(s), nothing imported`);
  }
  say(`${options.dryRun ? 'Dry run: would create' : 'Created'} ${outcome.created} bodies, ${outcome.unchanged} unchanged, ${outcome.aliasesAdded} alias(es) added`);
}

export async function exportVersion(
  { app, dataSource, say }: CliContext,
  versionId: string | undefined,
  options: { region?: string; kind?: string; number?: number; format: ExportFormat; out?: string; layout?: ExportLayout },
): Promise<void> {
  let id = versionId;
  if (!id) {
    if (!options.region || !options.kind) throw new CliError('give a version id, or --region and --kind (and --number, default the latest version)');
    const code = app.get(RegionsService).parseCode(options.region, 'region');
    const [row] = await dataSource.query(
      `SELECT id FROM list_version WHERE region_code = $1 AND kind = $2 ${options.number ? 'AND number = $3' : ''} ORDER BY number DESC LIMIT 1`,
      options.number ? [code, options.kind, options.number] : [code, options.kind],
    );
    if (!row) throw new CliError(`no ${options.kind} list version${options.number ? ` ${options.number}` : ''} for ${code}`);
    id = row.id as string;
  }
  const exported = await app.get(ExportService).exportVersion({ actor: systemActor('cli'), publishedOnly: false }, id, options.format, options.layout ?? 'table');
  const out = options.out ?? exported.fileName;
  fs.writeFileSync(out, exported.body);
  say(`Wrote ${out} (${exported.body.length} bytes): v${exported.version.number} ${exported.version.status}, ${exported.version.kind}`);
}

/** Writes the 修订对照表 between two versions of one list (any status: the CLI reads as the registry). */
export async function exportRevisions({ app, say }: CliContext, fromId: string, toId: string, options: { out?: string }): Promise<void> {
  const exported = await app.get(ExportService).exportRevision({ actor: systemActor('cli'), publishedOnly: false }, fromId, toId);
  const out = options.out ?? exported.fileName;
  fs.writeFileSync(out, exported.body);
  say(`Wrote ${out} (${exported.body.length} bytes): v${exported.from.number} → v${exported.to.number}`);
}

/** Writes the blank responsibility-list template. */
export async function writeTemplate({ app, say }: CliContext, file: string): Promise<void> {
  const template = await app.get(ExportService).template();
  fs.writeFileSync(file, template.body);
  say(`Wrote ${file} (${template.body.length} bytes): 基本履职事项, 配合履职事项, 上级部门收回事项`);
}
