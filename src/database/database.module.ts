import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source.js';
import { installReadRouting } from './read-routing.js';
import { ReadCache } from '../common/read-cache.js';

export const DATABASE_ENGINE = Symbol('DATABASE_ENGINE');
export type DatabaseEngine = 'embedded' | 'postgres';

/** TypeORM on the given URL: a PostgreSQL server, or the embedded engine's socket. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string, engine: DatabaseEngine, poolSize: number): DynamicModule {
    // PGlite is one backend: pglite-socket keeps a connection's messages together only inside a
    // transaction, so concurrent statements from several connections interleave and fail
    // ("portal does not exist"). One connection serialises them, which PGlite does anyway.
    const connections = engine === 'embedded' ? 1 : poolSize;
    return {
      module: DatabaseModule,
      // Read replicas (DATABASE_REPLICA_URLS) only with a server primary.
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [QUANZE_CONFIG],
          useFactory: (config: QuanzeConfig) => ({
            ...dataSourceOptions(url, connections, engine === 'postgres' ? (config.databaseReplicaUrls ?? []) : []),
            retryAttempts: 0,
          }),
          // With replicas, the routing (read-routing.ts) is installed before the first query:
          // start-up (migrations, first-start data) runs before Nest's init hooks would.
          dataSourceFactory: async (options?: DataSourceOptions) => {
            const dataSource = new DataSource(options!);
            installReadRouting(dataSource);
            return dataSource.initialize();
          },
        }),
      ],
      providers: [{ provide: DATABASE_ENGINE, useValue: engine }, ReadCache],
      exports: [DATABASE_ENGINE, ReadCache],
    };
  }
}
