import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { entities } from './entities.js';
import { migrations } from '../../migrations/index.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

// Calendar dates stay 'YYYY-MM-DD' strings: no time zone can shift an effective date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/**
 * The one data source definition used by the app, the CLI (migrations) and the tests.
 * The schema comes from migrations only: `synchronize` is never on.
 */
export function dataSourceOptions(url: string, poolSize = 10, replicaUrls: string[] = []): DataSourceOptions {
  return {
    type: 'postgres',
    // With read replicas: writes and transactions on the primary, reads routed by read-routing.ts.
    ...(replicaUrls.length
      ? { replication: { master: { url, applicationName: 'quanze' }, slaves: replicaUrls.map((u) => ({ url: u, applicationName: 'quanze-replica-read' })) } }
      : { url }),
    entities,
    migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // PGlite has no uuid-ossp; we use the built-in gen_random_uuid() and create what we need in migrations.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
    logging: process.env.QUANZE_SQL_LOG === 'true' ? ['query', 'error'] : ['error'],
  };
}
