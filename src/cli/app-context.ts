import fs from 'node:fs';
import path from 'node:path';
import type { INestApplicationContext, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from '../app.module.js';
import { openDatabase } from '../bootstrap.js';
import { loadConfig, type QuanzeConfig } from '../config/config.js';
import type { DatabaseEngine } from '../database/database.module.js';

/** A failure the CLI reports as one line (exit code 1 unless told otherwise). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
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
 * The one way a CLI command runs: the server's configuration (loadConfig), the server's database
 * (DATABASE_URL or the embedded engine in the data folder), the server's module graph without
 * listening; then the command; then everything closed, the embedded engine included.
 */
export async function withAppContext<T>(options: ContextOptions, command: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig();
  if (!config.databaseUrl) refuseIfEmbeddedInUse(config.dataDir);
  const db = await openDatabase(config);
  let app: INestApplicationContext | undefined;
  try {
    // Errors reach the operator as one line (see cli.ts); Nest's own error logs only with --verbose.
    const levels: LogLevel[] = options.verbose ? ['log', 'warn', 'error'] : ['warn'];
    try {
      app = await NestFactory.createApplicationContext(AppModule.forRoot(config, db.url, db.engine), {
        logger: levels,
        // Without this Nest calls process.abort() when a provider (the database connection) fails.
        abortOnError: false,
      });
    } catch (e) {
      throw new CliError(`cannot open the database (${db.engine === 'embedded' ? `embedded, ${config.dataDir}` : 'DATABASE_URL'}): ${(e as Error).message}`);
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

/**
 * PGlite does not lock its data folder: a second process opening it while the server runs would
 * corrupt it. An open PGlite keeps `postmaster.pid` in the folder (removed when it closes).
 */
function refuseIfEmbeddedInUse(dataDir: string): void {
  const pidFile = path.join(dataDir, 'pgdata', 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    throw new CliError(
      `the embedded database in ${path.join(dataDir, 'pgdata')} is in use (is Quanze running?): stop it first. ` +
        `If no Quanze process is running (a crash left the file behind), delete ${pidFile}.`,
    );
  }
}
