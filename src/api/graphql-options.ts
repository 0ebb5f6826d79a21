import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import type { ValidationRule } from 'graphql';
import { ANONYMOUS } from '../auth/actor.js';
import { formatGraphQLError } from './error-formatting.js';
import type { Endpoint, GraphQLRequestContext } from './graphql-context.js';
import { RequestLoaders } from './request-loaders.js';

/** Apollo options shared by both endpoints; each gets its own path, modules and rules. */
export function graphqlOptions(
  endpoint: Endpoint,
  path: string,
  include: Function[],
  options: { introspection: boolean; validationRules?: ValidationRule[] },
): ApolloDriverConfig {
  return {
    path,
    include,
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: options.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    validationRules: options.validationRules ?? [],
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
    formatError: formatGraphQLError,
    context: ({ req }: { req: Request }): GraphQLRequestContext => ({
      req,
      endpoint,
      actor: { ...ANONYMOUS },
      loaders: new RequestLoaders(),
    }),
  };
}
