import path from 'node:path';
import { ConsoleLogger, Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import type { QuanzeConfig } from './config/config.js';
import type { DatabaseEngine } from './database/database.module.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './database/embedded-postgres.js';
import { SeedService } from './seed/seed.service.js';
import { publicReadsToReplicas } from './database/read-routing.js';
import { httpErrorHandler, rateLimitRequests } from './api/request-limits.middleware.js';
import { RateLimits } from './common/rate-limit.js';
import { trackHttpRequests } from './common/http-drain.js';
import { importJsonBodyOptions } from './modules/import-export/sheet-file.js';
import { warmUpSegmentation } from './modules/accountability/chinese-text.js';
import { SearchIndexService } from './modules/accountability/search-index.service.js';

/** Nest's own wiring lines (modules, routes) are noise for an operator; warnings and errors always show. */
class StartupQuietLogger extends ConsoleLogger {
  private static readonly WIRING = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'GraphQLModule', 'NestFactory', 'NestApplication']);
  override log(message: unknown, context?: string): void {
    if (context && StartupQuietLogger.WIRING.has(context)) return;
    super.log(message, context);
  }
}

export interface RunningRegistry {
  app: INestApplication;
  engine: DatabaseEngine;
  /** Base URL when listening, e.g. http://127.0.0.1:3000 */
  url: string;
  stop(): Promise<void>;
}

/** Where the database is: the configured server, or the embedded engine started in the data folder. */
export async function openDatabase(config: QuanzeConfig): Promise<{ url: string; engine: DatabaseEngine; embedded?: EmbeddedPostgres }> {
  if (config.databaseUrl) return { url: config.databaseUrl, engine: 'postgres' };
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'pgdata'), maxConnections: config.dbPoolSize + 2 });
  return { url: embedded.url, engine: 'embedded', embedded };
}

/**
 * Starts Quanze: database, migrations, first-start data, first administrator, HTTP.
 * `database` lets tests hand in a prepared database instead of opening the configured one.
 */
export async function startRegistry(
  config: QuanzeConfig,
  options: { database?: { url: string; engine: DatabaseEngine }; listen?: boolean; logger?: false | undefined } = {},
): Promise<RunningRegistry> {
  const db = options.database ?? (await openDatabase(config));
  const embedded = 'embedded' in db ? (db.embedded as EmbeddedPostgres | undefined) : undefined;
  try {
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, db.url, db.engine), {
      logger: options.logger === false ? false : new StartupQuietLogger(),
      bodyParser: false,
    });
    app.use(rateLimitRequests(app.get(RateLimits), config)); // before any body is read (src/api/request-limits.middleware.ts)
    // importList sends a file as base64: a larger JSON limit on /admin/graphql only (IMPORT_MAX_BYTES).
    app.useBodyParser('json', importJsonBodyOptions(config));
    app.useBodyParser('json', { limit: '100kb' });
    const drainHttp = trackHttpRequests(app.getHttpServer()); // stop(): requests in flight finish first
    // With read replicas, the public endpoint's reads go to them (src/database/read-routing.ts).
    if (config.databaseReplicaUrls?.length && db.engine === 'postgres') app.use('/graphql', publicReadsToReplicas);
    app.use(httpErrorHandler); // the body parser's refusals as JSON (413 PAYLOAD_TOO_LARGE…), never Express's HTML page
    app.set('trust proxy', config.trustProxy); // the client IP of rate limits, behind a reverse proxy
    app.disable('x-powered-by');
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) Logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`, 'Database');
    // Search vectors computed with another search document are recomputed (in the background).
    await app.get(SearchIndexService).startUp();
    await app.get(SeedService).seedOnStart();
    await app.get(AuthService).ensureFirstAdmin();
    // The segmenter's dictionaries and the IDF table load on first use (~0.8 s): in production,
    // before the first question rather than during it.
    if (config.production) warmUpSegmentation();
    let url = '';
    if (options.listen !== false) {
      await app.listen(config.port, config.host);
      url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    } else {
      await app.init();
    }
    return {
      app,
      engine: db.engine,
      url,
      async stop() {
        await drainHttp(10_000);
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}
