import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { RESPONSE_MAX_BYTES, type ReadCache } from '../common/read-cache.js';
import { todayInChina } from '../common/local-date.scalar.js';
import type { GraphQLRequestContext } from '../common/graphql-context.js';

/**
 * The HTTP bodies already serialised for a response's `data`: a cached answer is kept as its JSON
 * text, so that a hit costs a write, not a serialisation (a county matrix is ~4 MB of JSON, ~90 ms
 * of JSON.stringify per request; docs/performance.md, W7). Weak: an entry lives as long as the
 * response being sent.
 */
const serialisedBodies = new WeakMap<object, string>();

/** Apollo's own serialisation of a response (its `prettyJSONStringify`), fields in its order. */
function serialise(result: FormattedExecutionResult): string {
  return JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions }) + '\n';
}

/**
 * Apollo's `stringifyResult`: the body kept for this response's `data` when there is one (a cache
 * hit, or a miss that was just serialised to be kept), else the usual serialisation.
 */
export function stringifyResponse(result: FormattedExecutionResult): string {
  const kept = !result.errors && !result.extensions && result.data ? serialisedBodies.get(result.data) : undefined;
  return kept ?? serialise(result);
}

/**
 * Whole answers of the public endpoint, kept in the read cache ('responses') as their HTTP body:
 * the public endpoint shows published data only, the same for everyone, and it changes only when
 * something is published or an administrator writes. A repeated query is answered without
 * executing it — a whole list in force is ~35 ms of GraphQL execution (docs/performance.md) — nor
 * serialising it: the hit's `data` is a placeholder for which `stringifyResponse` writes the kept
 * text (plugins after this one see a response with data and without errors, which it is).
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
          const hit = cache.peek<string>('responses', key);
          if (hit === undefined) return null;
          key = null; // nothing to keep afterwards
          const data = {};
          serialisedBodies.set(data, hit);
          return { http: rc.response.http, body: { kind: 'single', singleResult: { data } } };
        },
        async willSendResponse(rc) {
          const body = rc.response.body;
          if (!key || body.kind !== 'single' || body.singleResult.errors?.length || body.singleResult.extensions || !body.singleResult.data) return;
          const text = serialise(body.singleResult);
          serialisedBodies.set(body.singleResult.data, text); // Apollo writes this text rather than serialising again
          const bytes = text.length * 2; // UTF-16 in memory
          if (bytes <= RESPONSE_MAX_BYTES) cache.keepIfCurrent(generation, 'responses', key, text, bytes);
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
