import { HttpException, Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error.js';

const logger = new Logger('GraphQL');

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

/**
 * Maps every error to a code a client can branch on. Domain errors keep their message (written
 * for a clerk) and field; anything unexpected becomes INTERNAL_SERVER_ERROR with a correlation id
 * that is also in the log line, and never a stack, SQL or file path.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof HttpException) {
    // ValidationPipe failures: name the fields at fault.
    const response = original.getResponse() as { message?: string | string[] };
    const messages = Array.isArray(response.message) ? response.message : [response.message ?? original.message];
    const status = original.getStatus();
    const code = status === 400 ? 'BAD_USER_INPUT' : status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
    return { ...base, message: messages.join('；'), extensions: { code } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && PROTOCOL_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  const correlationId = randomUUID();
  logger.error(`[${correlationId}] ${(original as Error)?.stack ?? String(original)}`);
  return { ...base, message: `服务器内部错误，请稍后重试（错误编号 ${correlationId}）`, extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId } };
}
