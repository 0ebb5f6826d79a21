import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import type { ValidationRule } from 'graphql';
import { ANONYMOUS } from '../auth/actor.js';
import type { AuthService } from '../auth/auth.service.js';
import type { QuanzeConfig } from '../config/config.js';
import { DEFAULT_ANSWERS } from '../modules/accountability/accountability.service.js';
import { DEFAULT_TASK_REQUESTS } from '../modules/admission/admission.service.js';
import { DEFAULT_ITEMS_PAGE } from '../modules/lists/item.repository.js';
import { apiLimitsPlugin, noIntrospectionRule } from './api-limits.plugin.js';
import { formatGraphQLError } from './error-formatting.js';
import type { Endpoint, GraphQLRequestContext } from '../common/graphql-context.js';
import { aliasLimitRule, depthLimitRule } from './query-shape.rules.js';
import { RequestLoaders } from '../common/request-loaders.js';
import { dropPublicResponsesOnMutation, publicResponseCachePlugin, stringifyResponse } from './response-cache.plugin.js';
import type { ReadCache } from '../common/read-cache.js';
import { questionLogPlugin } from '../modules/accountability/question-log.plugin.js';
import type { QuestionLogService } from '../modules/accountability/question-log.service.js';

/** The services' own defaults of `first`, for the complexity estimate when a query gives none. */
import { DEFAULT_INSTRUMENTS } from '../modules/legal/legal.resolver.js';

const FIRST_DEFAULTS = { 'Query.whoIsAccountable': DEFAULT_ANSWERS, 'ListVersion.items': DEFAULT_ITEMS_PAGE, 'Query.taskRequests': DEFAULT_TASK_REQUESTS, 'Query.legalInstruments': DEFAULT_INSTRUMENTS };
/**
 * Typical sizes of lists without `first`, for the estimate (others count LIST_ESTIMATE = 10):
 * a region has up to ~20 children; an item cites a few articles and names a few cooperating bodies.
 */
const LIST_ESTIMATES = {
  'Query.regions': 20,
  'Region.children': 20,
  'ListItem.citations': 3,
  'ListItem.cooperating': 3,
  'AccountabilityAnswer.citations': 3,
  'AccountabilityAnswer.cooperating': 3,
  'TaskTarget.matches': 5,
  'TaskTarget.listVersions': 2,
  'VerdictMatch.citations': 3,
  'LegalInstrument.versions': 3,
};

/**
 * Apollo options shared by both endpoints; each gets its own path, modules and rules.
 * Limits (docs/security.md): query size and rate limits in RequestLimitsMiddleware, depth and
 * aliases as validation rules, page caps and complexity in apiLimitsPlugin, batching off,
 * introspection and "did you mean" suggestions off on /graphql in production and, on
 * /admin/graphql, introspection for logged-in users only.
 */
export function graphqlOptions(
  endpoint: Endpoint,
  path: string,
  include: Function[],
  config: QuanzeConfig,
  options: { introspection: boolean; validationRules?: ValidationRule[]; auth?: AuthService; readCache: ReadCache; questionLog?: QuestionLogService },
): ApolloDriverConfig {
  const limits = config.api;
  return {
    path,
    include,
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    // Apollo's own switch would answer with its name in the message; ours says it in Chinese with a code.
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Our plugin answers 429/503 for refused requests without data; Nest would reset them to 200.
    preserveHttpStatusForExecutionErrors: false,
    hideSchemaDetailsFromClientErrors: config.production,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [
      ...(options.introspection ? [] : [noIntrospectionRule]),
      depthLimitRule(limits.maxDepth),
      aliasLimitRule(limits.maxAliases),
      ...(options.validationRules ?? []),
    ],
    // A cached public response is written as the text kept, not serialised again (response-cache.plugin.ts).
    stringifyResult: stringifyResponse,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      apiLimitsPlugin({ endpoint, limits, cost: { firstDefaults: FIRST_DEFAULTS, listEstimates: LIST_ESTIMATES }, auth: options.auth }),
      endpoint === 'public' ? publicResponseCachePlugin(options.readCache) : dropPublicResponsesOnMutation(options.readCache),
      // Public questions to the log, cache hits included, after the answer (docs/accountability.md).
      ...(options.questionLog ? [questionLogPlugin(options.questionLog)] : []),
    ],
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
