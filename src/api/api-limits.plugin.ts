import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { ValidationRule } from 'graphql';
import type { AuthService } from '../auth/auth.service.js';
import { bearerToken } from '../auth/bearer-token.js';
import { DomainError } from '../common/domain-error.js';
import type { ApiLimits } from '../config/config.js';
import type { Endpoint, GraphQLRequestContext } from '../common/graphql-context.js';
import { limitError } from './limit-errors.js';
import { MAX_QUERY_NODES, operationCost, type CostOptions } from './query-cost.js';
import { MAX_SHORT_VALUE, oversizedVariable } from './variable-shape.js';

const LABEL: Record<Endpoint, string> = { public: '公开接口', admin: '管理接口' };
const SETTING = {
  page: { public: 'PAGE_MAX_PUBLIC', admin: 'PAGE_MAX_ADMIN' },
  complexity: { public: 'QUERY_MAX_COMPLEXITY_PUBLIC', admin: 'QUERY_MAX_COMPLEXITY_ADMIN' },
} as const;

export interface ApiLimitsPluginOptions {
  endpoint: Endpoint;
  limits: ApiLimits;
  cost: Pick<CostOptions, 'firstDefaults' | 'listEstimates'>;
  /** On /admin/graphql: introspection for logged-in users only, checked with this. */
  auth?: Pick<AuthService, 'actorFromToken'>;
}

/** Refuses `__schema`/`__type` (not `__typename`): the public endpoint's introspection switch in production. */
export const noIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type')
      context.reportError(limitError('INTROSPECTION_DISABLED', '本接口不提供内省（introspection）', {}, 400, [node]));
  },
});

/**
 * The per-request part of the API's limits, after Apollo has parsed and validated the document
 * (depth and aliases are validation rules, query size and rate limits come earlier, in
 * RequestLimitsMiddleware) and before anything executes:
 * - variables of short types (enums, IDs, numbers, dates) no longer than MAX_SHORT_VALUE;
 * - every `first` against the endpoint's page cap (BAD_USER_INPUT naming the cap);
 * - the complexity estimate against the endpoint's limit (QUERY_TOO_COMPLEX with the estimate);
 * - introspection on /admin/graphql for a valid token only.
 * And on the way out: HTTP 429/503 for RATE_LIMITED/SERVICE_UNAVAILABLE answers, and the
 * Cache-Control of public GET answers.
 */
export function apiLimitsPlugin(options: ApiLimitsPluginOptions): ApolloServerPlugin<GraphQLRequestContext> {
  const { endpoint, limits } = options;
  const pageMax = limits.pageMax[endpoint];
  const maxComplexity = limits.maxComplexity[endpoint];
  const costOptions: CostOptions = { ...options.cost, defaultFirst: pageMax };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const operation = rc.operation;
          if (!operation) return;
          const oversized = oversizedVariable(rc.schema, operation, rc.request.variables);
          if (oversized)
            throw limitError('BAD_USER_INPUT', `变量 ${oversized} 的值过长（枚举、编号、数字和日期不超过${MAX_SHORT_VALUE}个字符）`, { field: oversized, max: MAX_SHORT_VALUE });
          const cost = operationCost(rc.schema, rc.document, operation.name?.value, rc.request.variables, costOptions);
          if (cost.introspection && endpoint === 'admin' && options.auth) await requireLogin(rc.request.http?.headers.get('authorization'), rc.contextValue, options.auth);
          const tooLarge = cost.pages.find((p) => p.first > pageMax);
          if (tooLarge)
            throw limitError('BAD_USER_INPUT', `first 不能超过${pageMax}（${LABEL[endpoint]}每页上限），${tooLarge.field} 收到 ${tooLarge.first}`, {
              field: 'first',
              setting: SETTING.page[endpoint],
              max: pageMax,
            });
          if (cost.complexity === null || cost.complexity > maxComplexity)
            throw limitError(
              'QUERY_TOO_COMPLEX',
              cost.complexity === null
                ? `查询的字段过多（展开片段后超过${MAX_QUERY_NODES}个），无法估计复杂度；请减少列表的数量或嵌套`
                : `查询复杂度估计为${cost.complexity}，超过上限${maxComplexity}；请减少列表的数量或嵌套`,
              { setting: SETTING.complexity[endpoint], max: maxComplexity, complexity: cost.complexity ?? Number.MAX_SAFE_INTEGER },
            );
        },
        async willSendResponse(rc) {
          httpStatusOfErrors(rc);
          cacheHeaders(rc, endpoint, limits.publicCacheSeconds);
        },
      };
    },
  };
}

async function requireLogin(header: string | undefined, context: GraphQLRequestContext, auth: Pick<AuthService, 'actorFromToken'>): Promise<void> {
  const token = bearerToken(header);
  const refuse = () => limitError('UNAUTHENTICATED', '内省（introspection）仅对已登录用户开放，请先登录', {}, 401);
  if (!token) throw refuse();
  try {
    context.actor = await auth.actorFromToken(token);
  } catch (e) {
    if (e instanceof DomainError) throw refuse();
    throw e;
  }
}

/**
 * 503 with Retry-After when the database could not be reached for any part of the answer (it is
 * incomplete: monitors and load balancers should see it), 429 with Retry-After for a refused
 * request without data (a throttled login).
 */
function httpStatusOfErrors(rc: GraphQLRequestContextWillSendResponse<GraphQLRequestContext>): void {
  const body = rc.response.body;
  if (body.kind !== 'single' || !body.singleResult.errors?.length) return;
  const errors = body.singleResult.errors;
  const unavailable = errors.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
  const limited = !body.singleResult.data && errors.find((e) => e.extensions?.code === 'RATE_LIMITED');
  const error = unavailable ?? limited;
  if (!error) return;
  rc.response.http.status = unavailable ? 503 : 429;
  const retryAfter = error.extensions?.retryAfterSeconds;
  if (typeof retryAfter === 'number') rc.response.http.headers.set('retry-after', String(retryAfter));
}

/**
 * Public GET queries answered without error are the same for everyone (published data only):
 * `public, max-age`, with the ETag and 304 that Express adds. Everything else — the admin
 * endpoint, a request carrying a token, POST, errors — is `private, no-store`.
 */
function cacheHeaders(rc: GraphQLRequestContextWillSendResponse<GraphQLRequestContext>, endpoint: Endpoint, maxAge: number): void {
  const http = rc.request.http;
  const body = rc.response.body;
  const cacheable =
    endpoint === 'public' &&
    maxAge > 0 &&
    http?.method === 'GET' &&
    !http.headers.get('authorization') &&
    rc.operation?.operation === 'query' &&
    body.kind === 'single' &&
    !body.singleResult.errors?.length;
  rc.response.http.headers.set('cache-control', cacheable ? `public, max-age=${maxAge}` : 'private, no-store');
}
