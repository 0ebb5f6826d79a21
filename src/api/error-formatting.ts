import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { errorAnswer } from '../common/error-response.js';
import { isLimitError } from './limit-errors.js';

/** Codes produced by GraphQL/Apollo itself before any resolver runs; passed through as they are. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** The error at the bottom of a chain of wrappers (resolver errors, validation errors, plugin errors). */
function rootCause(error: unknown): unknown {
  let e = error;
  while (e instanceof GraphQLError && e.originalError && e.originalError !== e) e = e.originalError;
  return e;
}

/**
 * Every GraphQL error as `{ message, extensions: { code, ... } }`: the API's limits keep their
 * code and the limit's details; GraphQL's own codes (parse and validation failures) pass through;
 * everything else is answered as `errorAnswer` says (common/error-response.ts), the same mapping
 * as the REST doors.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = rootCause(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (isLimitError(original)) {
    const { http: _http, ...extensions } = original.extensions as Record<string, unknown>;
    return { ...base, message: original.message, extensions };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (original instanceof GraphQLError && code && PROTOCOL_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  const answer = errorAnswer(original);
  return { ...base, message: answer.message, extensions: { code: answer.code, ...answer.details } };
}
