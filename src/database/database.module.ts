import { type DynamicModule, Global, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source.js';
import { installReadRouting } from './read-routing.js';
import { ReadCache } from '../common/read-cache.js';

export const DATABASE_ENGINE = Symbol('DATABASE_ENGINE');
export type DatabaseEngine = 'embedded' | 'postgres';

/** TypeORM on the given URL: a PostgreSQL server, or the embedded engine's socket. */
@Global()
@Module({})
export class DatabaseModule implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** With replicas: public reads to them, the rest on the primary (read-routing.ts). */
  onModuleInit(): void {
    installReadRouting(this.dataSource);
  }

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
        }),
      ],
      providers: [{ provide: DATABASE_ENGINE, useValue: engine }, ReadCache],
      exports: [DATABASE_ENGINE, ReadCache],
    };
  }
}
