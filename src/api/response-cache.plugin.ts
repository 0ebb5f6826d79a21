import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { RESPONSE_MAX_BYTES, type ReadCache } from '../common/read-cache.js';
import { todayInChina } from '../common/local-date.scalar.js';
import type { GraphQLRequestContext } from '../common/graphql-context.js';

/**
 * Whole answers of the public endpoint, kept in the read cache ('responses'): the public endpoint
 * shows published data only, the same for everyone, and it changes only when something is
 * published or an administrator writes. A repeated query is answered without executing it — a
 * whole list in force is ~35 ms of GraphQL execution (docs/performance.md).
 *
 * Key: the query text, operation name, variables and today's date (answers without `asOf` are
 * those in force today). Only answers without errors are kept, and only when no invalidation
 * happened while they were computed. Limits (size, depth, complexity, rate) are checked before
 * this hook, as for any request.
 */
export function publicResponseCachePlugin(cache: ReadCache): ApolloServerPlugin<GraphQLRequestContext> {
  return {
    async requestDidStart() {
      let key: string | null = null;
      let generation = 0;
      return {
        async responseForOperation(rc) {
          // No operation: the operationName names none in the document; Apollo answers 400 after this hook.
          if (!cache.enabled || rc.operation?.operation !== 'query') return null;
          key = createHash('sha256')
            .update(JSON.stringify([rc.source, rc.operationName ?? null, rc.request.variables ?? {}, todayInChina()]))
            .digest('base64');
          generation = cache.generation;
          const hit = cache.peek<FormattedExecutionResult>('responses', key);
          if (!hit) return null;
          key = null; // nothing to keep afterwards
          return { http: rc.response.http, body: { kind: 'single', singleResult: hit } };
        },
        async willSendResponse(rc) {
          const body = rc.response.body;
          if (!key || body.kind !== 'single' || body.singleResult.errors?.length || !body.singleResult.data) return;
          const bytes = JSON.stringify(body.singleResult).length * 2; // UTF-16 in memory
          if (bytes <= RESPONSE_MAX_BYTES) cache.keepIfCurrent(generation, 'responses', key, body.singleResult, bytes);
        },
      };
    },
  };
}

/** On the admin endpoint: any mutation may change what the public sees (a body's name, the legal catalogue…). */
export function dropPublicResponsesOnMutation(cache: ReadCache): ApolloServerPlugin<GraphQLRequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(rc) {
          if (rc.operation?.operation === 'mutation') cache.invalidate('responses');
        },
      };
    },
  };
}
