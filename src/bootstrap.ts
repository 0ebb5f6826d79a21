import type { AddressInfo } from 'node:net';
import { ConsoleLogger, Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import type { QuanzeConfig } from './config/config.js';
import type { DatabaseEngine } from './database/database.module.js';
import { openDatabase, type EmbeddedStart, type OpenedDatabase } from './database/open-database.js';
import { SeedService } from './seed/seed.service.js';
import { publicReadsToReplicas } from './database/read-routing.js';
import { httpErrorHandler, rateLimitRequests } from './api/request-limits.middleware.js';
import { RateLimits } from './common/rate-limit.js';
import { trackHttpRequests } from './common/http-drain.js';
import { importJsonBodyOptions } from './modules/import-export/sheet-file.js';
import { warmUpSegmentation } from './modules/accountability/chinese-text.js';
import { SearchIndexService } from './modules/accountability/search-index.service.js';
import { StartupPhases } from './common/startup-phases.js';

/** Nest's own wiring lines (modules, routes) are noise for an operator; warnings and errors always show. */
class StartupQuietLogger extends ConsoleLogger {
  private static readonly WIRING = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'GraphQLModule', 'NestFactory', 'NestApplication']);
  override log(message: unknown, context?: string): void {
    if (context && StartupQuietLogger.WIRING.has(context)) return;
    super.log(message, context);
  }
}

/** For the entry point, which imports the app in one piece (src/main.ts). */
export { Logger };

/** Targets of docs/performance.md ("Start-up"): over them, the log says where the time went. */
const START_TARGET_MS: Record<EmbeddedStart, number> = { restart: 2000, 'first start from the image': 5000, 'first start': 5000 };

export interface RunningRegistry {
  app: INestApplication;
  engine: DatabaseEngine;
  /** Base URL when listening, e.g. http://127.0.0.1:3000 */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts Quanze: database, migrations, first-start data, first administrator, HTTP.
 * `database`: one opened already (the entry point opens it while the code loads; tests hand in a
 * prepared one) instead of opening the configured one; an embedded engine in it is stopped by `stop()`.
 */
export async function startRegistry(
  config: QuanzeConfig,
  options: {
    database?: OpenedDatabase | Promise<OpenedDatabase>;
    listen?: boolean;
    logger?: false | undefined;
    /** Create the first administrator (not in the first-start image, which every installation copies). */
    firstAdmin?: boolean;
    /** Phases measured so far (the entry point's: loading the code). */
    phases?: StartupPhases;
  } = {},
): Promise<RunningRegistry> {
  const phases = options.phases ?? new StartupPhases();
  const db = await (options.database ?? openDatabase(config, { fromImage: true }));
  const embedded = db.embedded;
  phases.mark('database');
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
    phases.mark('app');
    if (db.notice) Logger.log(db.notice, 'Database');
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length) Logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`, 'Database');
    // Search vectors computed with another search document are recomputed (in the background).
    await app.get(SearchIndexService).startUp();
    phases.mark('migrations');
    await app.get(SeedService).seedOnStart();
    phases.mark('first-start data');
    if (options.firstAdmin !== false) await app.get(AuthService).ensureFirstAdmin();
    // The segmenter's dictionaries and the IDF table load on first use (~0.8 s): in production,
    // before the first question rather than during it.
    if (config.production) warmUpSegmentation();
    let url = '';
    if (options.listen !== false) {
      await app.listen(config.port, config.host);
      const { port } = app.getHttpServer().address() as AddressInfo; // PORT=0: the one the OS picked
      url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    } else {
      await app.init();
    }
    phases.mark(options.listen !== false ? 'listening' : 'init');
    const start = db.start;
    const took = `${start ?? 'start'} in ${phases.total} ms`;
    if (start && phases.total > START_TARGET_MS[start]) Logger.warn(`Ready: ${took}, over the ${START_TARGET_MS[start]} ms target; where the time went: ${phases}`, 'Quanze');
    else Logger.log(`Ready: ${took} (${phases})`, 'Quanze');
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
