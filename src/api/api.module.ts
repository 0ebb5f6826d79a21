import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Global, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule } from '../auth/auth.module.js';
import { AuthService } from '../auth/auth.service.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { AdminOperationsModule } from './admin-operations.module.js';
import { AdminSchemaScope } from '../common/admin-schema-scope.js';
import { graphqlOptions } from './graphql-options.js';
import { AccountabilityModule } from '../modules/accountability/accountability.module.js';
import { QuestionLogService } from '../modules/accountability/question-log.service.js';
import { NoMutationsRule } from './public-mutation.rule.js';
import { memoryCounters, RATE_LIMIT_COUNTERS, RateLimits } from '../common/rate-limit.js';
import { RequestLimitsMiddleware } from './request-limits.middleware.js';
import { SharedQueriesModule } from './shared-queries.module.js';
import { ReadCache } from '../common/read-cache.js';

/**
 * The API's rate-limit counters, in this process's memory. For several instances, provide
 * RATE_LIMIT_COUNTERS with a shared store (see rate-limit.ts).
 */
@Global()
@Module({
  providers: [{ provide: RATE_LIMIT_COUNTERS, useValue: memoryCounters }, RateLimits],
  exports: [RateLimits],
})
export class RateLimitModule {}

/**
 * Two GraphQL endpoints over one service layer: `/graphql` (public, read-only, published data)
 * and `/admin/graphql` (authenticated). Paths must not nest: Express mounts by prefix.
 */
@Module({
  imports: [
    RateLimitModule,
    SharedQueriesModule,
    AdminOperationsModule,
    AdminSchemaScope,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [AccountabilityModule],
      inject: [QUANZE_CONFIG, ReadCache, QuestionLogService],
      useFactory: (config: QuanzeConfig, readCache: ReadCache, questionLog: QuestionLogService) =>
        graphqlOptions('public', '/graphql', [SharedQueriesModule], config, {
          introspection: !config.production,
          validationRules: [NoMutationsRule],
          readCache,
          questionLog,
        }),
    }),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [AuthModule],
      inject: [QUANZE_CONFIG, AuthService, ReadCache],
      useFactory: (config: QuanzeConfig, auth: AuthService, readCache: ReadCache) =>
        graphqlOptions('admin', '/admin/graphql', [SharedQueriesModule, AdminOperationsModule, AdminSchemaScope], config, {
          introspection: true,
          auth,
          readCache,
        }),
    }),
  ],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Rate limits come earlier, before the body parser (rateLimitRequests, registered in bootstrap.ts).
    consumer.apply(RequestLimitsMiddleware).forRoutes('graphql', 'admin/graphql');
  }
}
