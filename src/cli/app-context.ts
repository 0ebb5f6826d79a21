import { ConsoleLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { openDatabase } from '../database/open-database.js';
import type { QuanzeConfig } from '../config/config.js';
import type { DatabaseEngine } from '../database/database.module.js';
import { CliError } from './cli-error.js';
import { DataDirInUseError } from '../database/embedded-postgres.js';

/** Warnings only: errors reach the operator once, as one line (cli.ts); the rest with --verbose. */
class WarningsOnlyLogger extends ConsoleLogger {
  constructor() {
    super('Quanze', { logLevels: ['warn'] });
  }
  override error(): void {}
  override fatal(): void {}
}

/** What a command gets: the Nest application context (no HTTP server) on the configured database. */
export interface CliContext {
  app: INestApplicationContext;
  dataSource: DataSource;
  config: QuanzeConfig;
  engine: DatabaseEngine;
  /** Prints a line for the operator (stdout). */
  say(line: string): void;
}

export interface ContextOptions {
  /** Apply pending migrations first: commands that read or write data need the current schema. */
  migrate?: boolean;
  /** Nest and service log lines (otherwise warnings and errors only). */
  verbose?: boolean;
}

/**
 * The one way a CLI command runs: with the server's configuration (loadConfig), on the server's
 * database (DATABASE_URL or the embedded engine in the data folder), the server's module graph
 * without listening; then the command; then everything closed, the embedded engine included.
 */
export async function withAppContext<T>(config: QuanzeConfig, options: ContextOptions, command: (ctx: CliContext) => Promise<T>): Promise<T> {
  let db: Awaited<ReturnType<typeof openDatabase>>;
  try {
    db = await openDatabase(config);
  } catch (e) {
    if (e instanceof DataDirInUseError) throw new CliError(e.message);
    throw e;
  }
  let app: INestApplicationContext | undefined;
  try {
    try {
      // No webhook dispatcher in a command: deliveries are the server's (a command may also run before migrations or after a revert).
      app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, webhooks: { ...config.webhooks, pollMs: 0 } }, db.url, db.engine), {
        logger: options.verbose ? ['log', 'warn', 'error'] : new WarningsOnlyLogger(),
        // Without this Nest calls process.abort() when a provider (the database connection) fails.
        abortOnError: false,
      });
    } catch (e) {
      throw new CliError(`cannot start on the database (${db.engine === 'embedded' ? `embedded, ${config.dataDir}` : 'DATABASE_URL'}): ${(e as Error).message}`);
    }
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const say = (line: string) => process.stdout.write(`${line}\n`);
    if (options.migrate) {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length) say(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    }
    return await command({ app, dataSource, config, engine: db.engine, say });
  } finally {
    await app?.close();
    await db.embedded?.stop();
  }
}
