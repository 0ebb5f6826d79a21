import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ROLES } from './auth/user.entity.js';
import type { CliContext } from './cli/app-context.js';
import { CliError } from './cli/cli-error.js';
import { migrationNames } from './cli/migration-file.js';
import { DomainError } from './common/domain-error.js';
import { ConfigError, loadConfig } from './config/config.js';

/**
 * `npm run cli -- <command>`: operator tasks on the server's configuration and database.
 * This file declares the commands (options, help); their bodies are in cli/commands.ts, loaded
 * with the application only when a command runs, so `--help` and argument errors answer at once.
 * Failures are one line on stderr, exit code 1 (2 for a configuration error).
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

type Commands = typeof import('./cli/commands.js');
type CommandName = { [K in keyof Commands]: Commands[K] extends (ctx: CliContext, ...args: never[]) => Promise<void> ? K : never }[keyof Commands];

/**
 * A commander action that opens the application context, runs the named command, and closes.
 * `migrate`: apply pending migrations first (commands that read or write data).
 */
function runs(name: CommandName, { migrate }: { migrate: boolean }) {
  return async (...args: unknown[]) => {
    const config = loadConfig(); // a configuration error stops before anything heavy loads
    const [{ withAppContext }, commands] = await Promise.all([import('./cli/app-context.js'), import('./cli/commands.js')]);
    const command = commands[name] as (ctx: CliContext, ...args: unknown[]) => Promise<void>;
    await withAppContext(config, { migrate, verbose: !!program.opts().verbose }, (ctx) => command(ctx, ...args));
  };
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

// ---------------------------------------------------------------- migrations and schema

program.command('migration:run').description('apply the pending migrations').action(runs('migrationRun', { migrate: false }));

program.command('migration:revert').description('revert the last applied migration').action(runs('migrationRevert', { migrate: false }));

program.command('migration:show').description('list the migrations: [X] applied, [ ] pending').action(runs('migrationShow', { migrate: false }));

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
  .action(runs('migrationGenerate', { migrate: false }));

program
  .command('schema:check')
  .description('fail (exit 1, printing the SQL) when the entities and the applied migrations disagree')
  .action(runs('schemaCheck', { migrate: false }));

// ---------------------------------------------------------------- data

program
  .command('user:create')
  .description('create a user')
  .requiredOption('--username <username>', '3–64 letters, digits or _ . @ -')
  .addOption(
    new Option('--password <password>', 'at least 10 characters (QUANZE_PASSWORD keeps it out of the shell history)')
      .env('QUANZE_PASSWORD')
      .makeOptionMandatory(),
  )
  .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
  .option('--region <code>', 'region scope, 2–12-digit code (every role but ADMIN)')
  .action(runs('userCreate', { migrate: true }));

program
  .command('regions:load')
  .description('load the shipped 2023 division codes, province to township (existing rows are kept)')
  .action(runs('regionsLoad', { migrate: true }));

program
  .command('regions:villages')
  .description('load the villages (村/居委会) of one county from the shipped extract')
  .argument('<countyCode>', 'county code, e.g. 320282')
  .action(runs('regionsVillages', { migrate: true }));

program
  .command('legal:import')
  .description('import a legal catalogue CSV (the columns of legal.csv: 法规名称,简称,位阶,制定机关,文号,施行日期,条款,条文) in one transaction')
  .argument('<file>', 'CSV file, UTF-8')
  .action(runs('legalImport', { migrate: true }));

program
  .command('dataset:generate')
  .description('fill the database with a generated registry for benchmarks: real township codes, bodies per county, versioned lists of both kinds (COPY, indexes rebuilt after)')
  .requiredOption('--townships <n>', 'townships to give lists (whole counties, seeded order)', wholeNumber)
  .option('--items <n>', 'items per list in its first version', wholeNumber, 260)
  .option('--versions <n>', 'published versions per list (some lists one fewer, a few with an open draft)', wholeNumber, 3)
  .option('--seed <n>', 'seed of the choice of townships and of the lists', wholeNumber, 1)
  .action(runs('datasetGenerate', { migrate: true }));

program
  .command('audit:verify')
  .description('walk the audit hash chain; exit 1 naming the first broken event, else print the head hash to publish outside the database')
  .action(runs('auditVerify', { migrate: false }));

// ---------------------------------------------------------------- search

program
  .command('search:reindex')
  .description('recompute the search vectors of every list item (published ones included) with the current search document, in short batches (safe on a live server)')
  .option('--region <code>', 'only the lists of this region (a township, or every township of a county…)')
  .action(runs('searchReindex', { migrate: true }));

// ---------------------------------------------------------------- spreadsheets

program
  .command('import:folder')
  .description('import every .csv/.xlsx of a folder, each into a new draft of its township\'s list (each file all or nothing), with a progress bar and a summary table')
  .argument('<dir>', 'folder of list files; a file names its township by code (320282100-责任清单.xlsx) or, with --county, by name (张渚镇权力清单.csv)')
  .addOption(new Option('--kind <kind>', 'list kind of every file (default: from the file name, 权力/责任)').choices(['POWER', 'RESPONSIBILITY']))
  .option('--county <code>', 'county whose township names the file names may use, e.g. 320282')
  .option('--change-reason <reason>', '立改废释, 职责准入, 乡镇申请 or 其他 (default)')
  .option('--as <username>', 'act as this user (audit trail, region scope); default: the CLI as administrator')
  .option('--dry-run', 'run each import and roll it back: report what it would do, write nothing')
  .option('--replace-open-draft', "discard a list's open (unpublished) version and replace it with the file's draft")
  .option('--allow-mass-removal', 'accept a file that removes more than half of the items in force')
  .option('--report <file>', 'write every problem of every file to this CSV (文件,行,列,说明)')
  .action(runs('importFolder', { migrate: true }));

program
  .command('bodies:import')
  .description('import a county\'s bodies (主体名称, 主体类型, 区划代码, optional 别名) from a .csv or .xlsx, all or nothing; bodies that exist with the same kind and region are left as they are')
  .argument('<file>', 'the .csv or .xlsx file')
  .option('--as <username>', 'act as this user (audit trail, region scope); default: the CLI as administrator')
  .option('--dry-run', 'validate the file, write nothing')
  .action(runs('bodiesImport', { migrate: true }));

program
  .command('export:version')
  .description('write a version of a list as .xlsx (title row, styled header, frozen panes) or .csv (UTF-8 with BOM)')
  .argument('[versionId]', 'the version id; or use --region and --kind')
  .option('--region <code>', 'township code')
  .addOption(new Option('--kind <kind>', 'list kind').choices(['POWER', 'RESPONSIBILITY']))
  .option('--number <n>', 'version number (default: the latest)', wholeNumber)
  .addOption(new Option('--format <format>', 'file format').choices(['xlsx', 'csv']).default('xlsx'))
  .option('--out <file>', 'where to write (default: 宜兴市张渚镇责任清单-第2版.xlsx style, in the current folder)')
  .addOption(new Option('--layout <layout>', 'xlsx layout: table (one sheet) or parts (基本履职/配合履职/上级部门收回, responsibility lists)').choices(['table', 'parts']).default('table'))
  .action(runs('exportVersion', { migrate: true }));

program
  .command('export:revisions')
  .description('write the 修订对照表 (item, field, before, after, reason) between two versions of one list as .xlsx')
  .argument('<fromVersionId>', 'the earlier version')
  .argument('<toVersionId>', 'the later version')
  .option('--out <file>', 'where to write (default: 宜兴市张渚镇责任清单修订对照表-第1版至第2版.xlsx style)')
  .action(runs('exportRevisions', { migrate: true }));

program
  .command('template')
  .description('write the blank responsibility-list template (.xlsx: 基本履职事项, 配合履职事项, 上级部门收回事项 with their columns and notes), as GET /exports/template.xlsx serves it')
  .argument('[file]', 'where to write', '乡镇（街道）履行职责事项清单模板.xlsx')
  .action(runs('writeTemplate', { migrate: false }));

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
  console.error(`quanze: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof CliError) && program.opts().verbose && error instanceof Error) console.error(error.stack);
  return 1;
}

// Exit explicitly once the command has closed everything: a stray handle must not keep the CLI alive.
program.parseAsync(process.argv).then(
  () => process.exit(0),
  (error) => process.exit(report(error)),
);
