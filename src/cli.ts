import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { MigrationExecutor, type DataSource } from 'typeorm';
import { AuthService } from './auth/auth.service.js';
import { ROLES, type Role } from './auth/user.entity.js';
import { CliError, withAppContext, type CliContext } from './cli/app-context.js';
import { migrationNames, migrationSource, pendingSchemaChanges, projectMigrationsDir } from './cli/migration-file.js';
import { readCsvRecords } from './common/csv.js';
import { DomainError } from './common/domain-error.js';
import { ConfigError } from './config/config.js';
import { schemaDrift } from './database/schema-drift.js';
import { LegalService } from './modules/legal/legal.service.js';
import { normalizeRegionCode, RegionsService } from './modules/regions/regions.service.js';
import { readCatalogueCsv } from './seed/seed.service.js';

/**
 * `npm run cli -- <command>`: operator tasks on the server's configuration and database.
 * Every command runs through withAppContext (open, run, close); failures are one line on
 * stderr with exit code 1 (2 for a configuration error).
 */
const program = new Command('quanze')
  .description('Quanze 权责 operator commands, on the same configuration and database as the server')
  .option('-v, --verbose', 'show the application log lines')
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Configuration (as the server): DATABASE_URL selects a PostgreSQL server; without it the embedded
database in QUANZE_DATA_DIR (./data) is used, and the server must not be running on it.`,
  );

const run = <T>(migrate: boolean, command: (ctx: CliContext) => Promise<T>) =>
  withAppContext({ migrate, verbose: !!program.opts().verbose }, command);

async function refusePendingMigrations(dataSource: DataSource): Promise<void> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  if (pending.length)
    throw new CliError(`${pending.length} migration(s) not applied (${pending.map((m) => m.name).join(', ')}): run migration:run first`);
}

const noRegionsYet = () => new CliError('no regions are loaded yet: run regions:load first');

function regionCodeArg(value: string): string {
  const code = normalizeRegionCode(value);
  if (!code) throw new InvalidArgumentError('expected a 2, 4, 6, 9 or 12-digit region code, e.g. 320282');
  return code;
}

// ---------------------------------------------------------------- migrations and schema

program
  .command('migration:run')
  .description('apply the pending migrations')
  .action(() =>
    run(false, async ({ dataSource, say }) => {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      say(applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations.');
    }),
  );

program
  .command('migration:revert')
  .description('revert the last applied migration')
  .action(() =>
    run(false, async ({ dataSource, say }) => {
      const last = (await new MigrationExecutor(dataSource).getExecutedMigrations())[0];
      if (!last) throw new CliError('no migration has been applied: nothing to revert');
      await dataSource.undoLastMigration({ transaction: 'each' });
      say(`Reverted ${last.name}`);
    }),
  );

program
  .command('migration:show')
  .description('list the migrations, [X] applied, [ ] pending')
  .action(() =>
    run(false, async ({ dataSource, say }) => {
      const applied = new Set((await new MigrationExecutor(dataSource).getExecutedMigrations()).map((m) => m.name));
      const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
      for (const name of known) say(`[${applied.has(name) ? 'X' : ' '}] ${name}`);
      for (const name of applied) if (!known.includes(name)) say(`[?] ${name} (applied, but not in migrations/index.ts)`);
      say(`${known.filter((n) => !applied.has(n)).length} pending`);
    }),
  );

program
  .command('migration:generate')
  .description('write a migration with the SQL that brings the migrated database to the entities')
  .argument('<name>', 'what it does, e.g. ListVersions or list-versions', (name: string) => {
    try {
      migrationNames(name, 0);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
    return name;
  })
  .option('--dir <dir>', 'folder to write to (default: the project migrations/)')
  .action((name: string, options: { dir?: string }) =>
    run(false, async ({ dataSource, say }) => {
      await refusePendingMigrations(dataSource);
      const { up, down } = await pendingSchemaChanges(dataSource);
      if (up.length === 0) throw new CliError('no changes: the entities and the migrations agree, nothing to generate');
      const { className, fileName } = migrationNames(name, Date.now());
      const file = path.join(options.dir ? path.resolve(options.dir) : projectMigrationsDir(), fileName);
      fs.writeFileSync(file, migrationSource(className, up, down), { flag: 'wx' });
      say(`Wrote ${path.relative(process.cwd(), file)} (${up.length} statement(s) up, ${down.length} down). Review it, then add it to migrations/index.ts:`);
      say(`  import { ${className} } from './${fileName.replace(/\.ts$/, '.js')}';`);
      say(`  export const migrations = [..., ${className}];`);
    }),
  );

program
  .command('schema:check')
  .description('fail (exit 1, printing the SQL) when the entities and the applied migrations disagree')
  .action(() =>
    run(false, async ({ dataSource, say }) => {
      await refusePendingMigrations(dataSource);
      const drift = await schemaDrift(dataSource);
      if (drift.length) {
        for (const sql of drift) say(`${sql};`);
        throw new CliError(`schema drift: the entities need ${drift.length} statement(s) (above) that no migration makes; add a migration (migration:generate)`);
      }
      say('The entities and the migrations agree.');
    }),
  );

// ---------------------------------------------------------------- users

program
  .command('user:create')
  .description('create a user')
  .requiredOption('--username <username>', '3–64 letters, digits or _ . @ -')
  .option('--password <password>', 'at least 10 characters (or set QUANZE_PASSWORD, to keep it out of the shell history)')
  .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
  .option('--region <code>', 'region scope, 2–12-digit code (every role but ADMIN)')
  .action((options: { username: string; password?: string; role: Role; region?: string }) => {
    const password = options.password ?? process.env.QUANZE_PASSWORD;
    if (!password) throw new CliError('--password (or the QUANZE_PASSWORD variable) is required');
    return run(true, async ({ app, say }) => {
      if (options.region && (await app.get(RegionsService).isEmpty())) throw noRegionsYet();
      const user = await app.get(AuthService).createUser({ username: options.username, password, role: options.role, regionCode: options.region ?? null });
      say(`Created user ${user.username} (${user.role}${user.regionCode ? `, region ${user.regionCode}` : ''})`);
    });
  });

// ---------------------------------------------------------------- regions

program
  .command('regions:load')
  .description('load the shipped 2023 division codes, province to township (existing rows are kept)')
  .action(() =>
    run(true, async ({ app, dataSource, say }) => {
      const count = await dataSource.transaction((em) => app.get(RegionsService).loadExtract(em));
      say(`Loaded the region extract: ${count} regions, province to township.`);
    }),
  );

program
  .command('regions:villages')
  .description("load the villages (村/居委会) of one county from the shipped extract")
  .argument('<countyCode>', 'county code, e.g. 320282', regionCodeArg)
  .action((countyCode: string) =>
    run(true, async ({ app, dataSource, say }) => {
      const regions = app.get(RegionsService);
      if (await regions.isEmpty()) throw noRegionsYet();
      const county = await regions.requireRegion(countyCode, 'countyCode');
      const count = await dataSource.transaction((em) => regions.loadVillages(county.code, em));
      if (count === 0) throw new CliError(`the extract has no villages under ${county.code} ${county.name}: give a county code such as 320282`);
      say(`Loaded ${count} villages of ${county.name} (${county.code}).`);
    }),
  );

// ---------------------------------------------------------------- legal catalogue

const CATALOGUE_COLUMNS = ['法规名称', '简称', '位阶', '制定机关', '文号', '施行日期', '条款', '条文'];

program
  .command('legal:import')
  .description(`import a legal catalogue CSV (columns ${CATALOGUE_COLUMNS.join(',')}), in one transaction`)
  .argument('<file>', 'CSV file, UTF-8')
  .action((file: string) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const raw = readCsvRecords(text);
    const missing = ['法规名称', '位阶'].filter((c) => raw.length && !(c in raw[0]));
    if (raw.length === 0 || missing.length) throw new CliError(`${file} is not a catalogue CSV: expected a header row ${CATALOGUE_COLUMNS.join(',')}`);
    const rows = readCatalogueCsv(text);
    rows.forEach((row, i) => {
      const line = `第${i + 2}行`;
      if (!row.title) throw new CliError(`${line}「法规名称」为空`);
      if (raw[i]['条款'] && row.article === null) throw new CliError(`${line}「条款」“${raw[i]['条款']}”无法解析，应如“第六十五条”“第三十七条第二款”`);
      if (row.effectiveFrom && !/^\d{4}-\d{2}-\d{2}$/.test(row.effectiveFrom)) throw new CliError(`${line}「施行日期」“${row.effectiveFrom}”应为 YYYY-MM-DD`);
    });
    return run(true, async ({ app, dataSource, say }) => {
      const result = await dataSource.transaction((em) => app.get(LegalService).importCatalogue(rows, em));
      say(`Imported ${file}: ${rows.length} rows, ${result.instruments} instruments, ${result.provisions} provisions.`);
    });
  });

// ---------------------------------------------------------------- errors and exit codes

/** Domain errors name an input field; tell the operator which option it came from. */
const OPTION_OF: Record<string, string> = { username: '--username', password: '--password', role: '--role', regionCode: '--region', countyCode: '<countyCode>' };

function report(error: unknown): number {
  if (error instanceof ConfigError) {
    console.error(error.message);
    return 2;
  }
  if (error instanceof DomainError) {
    const field = error.details.field;
    console.error(`quanze: ${error.message}${field ? ` (${OPTION_OF[field] ?? field})` : ''}`);
    return 1;
  }
  if (error instanceof CliError) {
    console.error(`quanze: ${error.message}`);
    return error.exitCode;
  }
  console.error(`quanze: ${error instanceof Error ? error.message : String(error)}`);
  if (program.opts().verbose && error instanceof Error && error.stack) console.error(error.stack);
  return 1;
}

// Exit explicitly once the command has closed everything: a stray handle must not keep the CLI alive.
program.parseAsync(process.argv).then(
  () => process.exit(0),
  (error) => process.exit(report(error)),
);
