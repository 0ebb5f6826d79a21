import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { AdminOperationsModule } from './admin-operations.module.js';
import { AdminSchemaScope } from './admin-schema-scope.js';
import { graphqlOptions } from './graphql-options.js';
import { NoMutationsRule } from './public-mutation.rule.js';
import { SharedQueriesModule } from './shared-queries.module.js';

/**
 * Two GraphQL endpoints over one service layer: `/graphql` (public, read-only, published data)
 * and `/admin/graphql` (authenticated). Paths must not nest: Express mounts by prefix.
 */
@Module({
  imports: [
    SharedQueriesModule,
    AdminOperationsModule,
    AdminSchemaScope,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [QUANZE_CONFIG],
      useFactory: (config: QuanzeConfig) =>
        graphqlOptions('public', '/graphql', [SharedQueriesModule], {
          introspection: !config.production,
          validationRules: [NoMutationsRule],
        }),
    }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [QUANZE_CONFIG],
      useFactory: () =>
        graphqlOptions('admin', '/admin/graphql', [SharedQueriesModule, AdminOperationsModule, AdminSchemaScope], {
          introspection: true,
        }),
    }),
  ],
})
export class ApiModule {}
