import { randomUUID } from 'node:crypto';
import { HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableMessage, isDatabaseUnavailable, isUnstorableText } from '../database/database-errors.js';
import { DomainError, HTTP_STATUS } from './domain-error.js';

/**
 * What a client is told about an error, whichever door it came through: the HTTP status, a code
 * to branch on, a message a county clerk can act on (Chinese) and the details (`field`, the limit
 * at fault…). GraphQL (`extensions`), the REST doors (`{ error }`) and Express's own error handler
 * (`{ errors: [...] }`) and the pages (src/web/web-error.filter.tsx) only shape it.
 */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

const CODE_OF_STATUS: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE' };

const logger = new Logger('Errors');

/**
 * Domain errors keep their code, message and details (a refused upload limit is 413); Nest's HTTP
 * exceptions and the body parser's refusals map by status; text the database cannot store is the
 * caller's input; a database that cannot be reached is SERVICE_UNAVAILABLE (503); anything else is
 * INTERNAL_SERVER_ERROR (500). The last two carry a correlation id that is also in the log line
 * (with the stack), and never a stack, SQL or file path.
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof DomainError) {
    const status = error.details.limit ? 413 : HTTP_STATUS[error.code];
    return { status, code: error.code, message: error.message, details: { ...error.details } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse() as { message?: string | string[] };
    const message = Array.isArray(response.message) ? response.message.join('；') : (response.message ?? error.message);
    return { status, code: CODE_OF_STATUS[status] ?? 'BAD_REQUEST', message, details: {} };
  }
  const parser = error as { type?: string; status?: number; statusCode?: number; limit?: number } | undefined;
  if (parser?.type === 'entity.too.large')
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: `请求体超过上限（${Math.round((parser.limit ?? 0) / 1024)} KB）`, details: { max: parser.limit } };
  if (parser?.type === 'entity.parse.failed') return { status: 400, code: 'BAD_REQUEST', message: '请求体不是有效的 JSON', details: {} };
  const status = parser?.status ?? parser?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, code: 'BAD_REQUEST', message: '请求无效', details: {} };
  if (isUnstorableText(error)) {
    // A backstop: text the database cannot store (NUL…) that a service let through; the services refuse it first.
    return { status: 400, code: 'BAD_USER_INPUT', message: '输入含有无法保存的无效字符（如空字符）', details: {} };
  }
  const correlationId = randomUUID();
  if (isDatabaseUnavailable(error)) {
    logger.error(`[${correlationId}] database unavailable: ${(error as Error)?.message ?? String(error)}`);
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: databaseUnavailableMessage(correlationId),
      details: { correlationId, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    };
  }
  logger.error(`[${correlationId}] ${(error as Error)?.stack ?? String(error)}`);
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', message: `服务器内部错误，请稍后重试（错误编号 ${correlationId}）`, details: { correlationId } };
}

/** The headers an error answer carries outside GraphQL (the REST doors, Express): Retry-After when it says when to try again. */
export function setErrorHeaders(res: Response, answer: ErrorAnswer): void {
  res.setHeader('Cache-Control', 'private, no-store');
  const retryAfter = answer.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
}
