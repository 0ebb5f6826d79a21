import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Lexer, Source, TokenKind } from 'graphql';
import jwt from 'jsonwebtoken';
import { bearerToken } from '../auth/bearer-token.js';
import { errorAnswer } from '../common/error-response.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { errorBody } from './limit-errors.js';
import type { RateLimitCounter, RateLimits } from '../common/rate-limit.js';

const logger = new Logger('RequestLimits');

/** Tokens of a GraphQL source, counted up to `stopAbove`; null when it does not lex (the parser will say why). */
export function countTokens(source: string, stopAbove: number): number | null {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > stopAbove) break;
  } catch {
    return null;
  }
  return count;
}

const PUBLIC_PATHS = /^\/(graphql|exports\/)/;
/** The JSON body limit of everything but a logged-in user's request to /admin/graphql. */
const ANONYMOUS_BODY_MAX = 100 * 1024;
/** Whether a request's body is (or may be, when its length is not declared) larger than `max`. */
const bodyOver = (req: Request, max: number) => {
  const length = req.headers['content-length'];
  return length === undefined ? req.headers['transfer-encoding'] !== undefined : Number(length) > max;
};
const ADMIN_PATHS = /^\/admin\/(graphql|imports)(\/|$)/;

/**
 * Rate limits, first in line — before the body is read or parsed, so that a flood costs as
 * little as possible: per client IP on /graphql (and the export door), per user on
 * /admin/graphql (and the import door), per IP there without a valid token. Registered in
 * bootstrap.ts ahead of the body parsers.
 */
export function rateLimitRequests(limits: RateLimits, config: QuanzeConfig) {
  const adminKey = (req: Request): string => {
    const token = bearerToken(req.headers.authorization);
    if (token) {
      try {
        // signature and expiry checked, no database: the user a valid token names
        const claims = jwt.verify(token, config.jwtSecret, { algorithms: ['HS256'], issuer: 'quanze' }) as { sub?: string };
        if (claims.sub) return `user:${claims.sub}`;
      } catch {
        // an invalid token: counted by IP, and refused by the guard
      }
    }
    return `ip:${req.ip}`;
  };
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const admin = ADMIN_PATHS.test(req.path);
    if (!admin && !PUBLIC_PATHS.test(req.path)) return next();
    const key = admin ? adminKey(req) : `ip:${req.ip}`;
    // /admin/graphql takes bodies of several MB (an import as base64): from logged-in users only.
    if (admin && key.startsWith('ip:') && req.method === 'POST' && req.path.startsWith('/admin/graphql') && bodyOver(req, ANONYMOUS_BODY_MAX)) {
      res.status(413).setHeader('Cache-Control', 'private, no-store')
        .json(errorBody('PAYLOAD_TOO_LARGE', `未登录的请求体不能超过${ANONYMOUS_BODY_MAX / 1024} KB`, { max: ANONYMOUS_BODY_MAX }));
      return;
    }
    const [counter, setting, max]: [RateLimitCounter, string, number] = admin
      ? [limits.adminRequests, 'RATE_LIMIT_ADMIN_PER_MINUTE', config.api.requestsPerMinute.admin]
      : [limits.publicRequests, 'RATE_LIMIT_PUBLIC_PER_MINUTE', config.api.requestsPerMinute.public];
    let state;
    try {
      state = await counter.hit(key);
    } catch (e) {
      // A failing counter store must not take the API down with it: let the request through, say so.
      logger.error(`rate limit store failed: ${(e as Error).message}`);
      return next();
    }
    if (state.allowed) return next();
    res
      .status(429)
      .setHeader('Retry-After', String(state.retryAfterSeconds))
      .setHeader('Cache-Control', 'private, no-store')
      .json(errorBody('RATE_LIMITED', `请求过于频繁（每分钟最多${max}次），请${state.retryAfterSeconds}秒后再试`, { setting, max, retryAfterSeconds: state.retryAfterSeconds }));
  };
}

/**
 * On both GraphQL paths, once the body is parsed and before Apollo parses the query: the size
 * of the query text, in characters and in tokens (the JSON body itself is capped by the body
 * parser). Every answer is `private, no-store` unless the public endpoint's plugin says it may
 * be cached.
 */
@Injectable()
export class RequestLimitsMiddleware implements NestMiddleware {
  constructor(@Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const query = req.method === 'GET' ? req.query?.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query === 'string' && !this.sizeAllowed(query, res)) return;
    next();
  }

  private sizeAllowed(query: string, res: Response): boolean {
    const { maxQueryChars, maxTokens } = this.config.api;
    if (query.length > maxQueryChars) {
      res.status(413).json(errorBody('QUERY_TOO_LARGE', `查询语句长${query.length}个字符，超过上限${maxQueryChars}个`, { setting: 'QUERY_MAX_CHARS', max: maxQueryChars }));
      return false;
    }
    const tokens = countTokens(query, maxTokens);
    if (tokens !== null && tokens > maxTokens) {
      res.status(400).json(errorBody('QUERY_TOO_MANY_TOKENS', `查询语句的词法单元超过上限${maxTokens}个`, { setting: 'QUERY_MAX_TOKENS', max: maxTokens }));
      return false;
    }
    return true;
  }
}

/**
 * Errors of the body parser and anything else before the GraphQL middleware, answered as JSON
 * shaped like a GraphQL error (never Express's HTML page, which shows a stack outside production).
 */
export function httpErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const answer = errorAnswer(err);
  res.setHeader('Cache-Control', 'private, no-store');
  res.status(answer.status).json(errorBody(answer.code, answer.message, answer.details));
}
