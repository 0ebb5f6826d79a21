import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source.js';

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
      imports: [TypeOrmModule.forRoot({ ...dataSourceOptions(url, connections), retryAttempts: 0 })],
      providers: [{ provide: DATABASE_ENGINE, useValue: engine }],
      exports: [DATABASE_ENGINE],
    };
  }
}
