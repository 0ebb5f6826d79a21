import { HttpException, Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import { DomainError } from '../common/domain-error.js';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableMessage, isDatabaseUnavailable, isUnstorableText } from '../database/database-errors.js';
import { isLimitError } from './limit-errors.js';

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

/** The error at the bottom of a chain of wrappers (resolver errors, validation errors, plugin errors). */
function rootCause(error: unknown): unknown {
  let e = error;
  while (e instanceof GraphQLError && e.originalError && e.originalError !== e) e = e.originalError;
  return e;
}

/**
 * Maps every error to a code a client can branch on. Domain errors keep their message (written
 * for a clerk) and field; the API's limits keep their code and the limit's details; a database
 * that cannot be reached is SERVICE_UNAVAILABLE; anything else unexpected becomes
 * INTERNAL_SERVER_ERROR. Both of the last two carry a correlation id that is also in the log
 * line, and never a stack, SQL or file path.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = rootCause(error);
  const base = { locations: formatted.locations, path: formatted.path };
  if (original instanceof DomainError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (isLimitError(original)) {
    const { http: _http, ...extensions } = original.extensions as Record<string, unknown>;
    return { ...base, message: original.message, extensions };
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
  if (isUnstorableText(original)) {
    // A backstop: text the database cannot store (NUL…) that a service let through; the services refuse it first.
    return { ...base, message: '输入含有无法保存的无效字符（如空字符）', extensions: { code: 'BAD_USER_INPUT' } };
  }
  const correlationId = randomUUID();
  if (isDatabaseUnavailable(original)) {
    logger.error(`[${correlationId}] database unavailable: ${(original as Error)?.message ?? String(original)}`);
    return {
      ...base,
      message: databaseUnavailableMessage(correlationId),
      extensions: { code: 'SERVICE_UNAVAILABLE', correlationId, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    };
  }
  logger.error(`[${correlationId}] ${(original as Error)?.stack ?? String(original)}`);
  return { ...base, message: `服务器内部错误，请稍后重试（错误编号 ${correlationId}）`, extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId } };
}
