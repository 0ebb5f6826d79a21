import { IntrinsicException } from '@nestjs/common';

/**
 * Domain errors carry a code that the API maps to GraphQL `extensions.code`, and a message a
 * county clerk can act on (in Chinese). `field` names the input field at fault.
 */
export type DomainErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'VERSION_CONFLICT'
  | 'RATE_LIMITED';

/** The HTTP status of each code, for the REST doors and the pages. */
export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  RATE_LIMITED: 429,
};

// IntrinsicException: an expected refusal, answered to the client; Nest does not log it as an error with its stack.
export class DomainError extends IntrinsicException {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { field?: string; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new DomainError('BAD_USER_INPUT', message, { field, ...extra });
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const forbidden = (message = '无权执行此操作') => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message = '请先登录') => new DomainError('UNAUTHENTICATED', message);
export const conflict = (message: string, extra: Record<string, unknown> = {}) =>
  new DomainError('CONFLICT', message, extra);
