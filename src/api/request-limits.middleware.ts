import { Inject, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Kind, Lexer, parse, Source, TokenKind } from 'graphql';
import jwt from 'jsonwebtoken';
import { bearerToken } from '../auth/bearer-token.js';
import { Permission, ROLE_PERMISSIONS } from '../auth/permissions.js';
import type { Role } from '../auth/user.entity.js';
import { errorAnswer, setErrorHeaders } from '../common/error-response.js';
import { QUANZE_CONFIG, type PublicRouteClass, type QuanzeConfig } from '../config/config.js';
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

/**
 * The class of a public route, for its rate limit per client IP: `questions` (the public GraphQL
 * endpoint: who is accountable, lists, history), `exports` (spreadsheet downloads), `pages` (the
 * portal, and any other path); null for what is limited elsewhere or not at all (the admin doors,
 * /health, static assets). A portal page that asks a question belongs to `questions`: add its path here.
 */
export function publicRouteClass(path: string): PublicRouteClass | null {
  if (/^\/(graphql|ask|feedback)(\/|$)/.test(path)) return 'questions';
  if (path.startsWith('/exports/')) return 'exports';
  if (/^\/(admin|health|assets)(\/|$)/.test(path)) return null;
  return 'pages';
}
const ROUTE_CLASS_LABEL: Record<PublicRouteClass, string> = { pages: '页面', questions: '查询', exports: '导出' };
/** The JSON body limit of everything but a logged-in user's request to /admin/graphql. */
const ANONYMOUS_BODY_MAX = 100 * 1024;
/**
 * The JSON body limit of a logged-in user's request to /admin/graphql that is not an inline import:
 * the largest request there is a saveItem with every field at its length limit (1.33 million
 * characters, 4.0 MB in UTF-8 Chinese). importList carries a file (IMPORT_MAX_BYTES as base64).
 */
export const ADMIN_BODY_MAX = 4 * 1024 * 1024;
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
  /** The user a valid token names: signature and expiry checked, no database (the guard checks the rest). */
  const tokenClaims = (req: Request): { sub: string; role?: Role } | null => {
    const token = bearerToken(req.headers.authorization);
    if (!token) return null;
    try {
      const claims = jwt.verify(token, config.jwtSecret, { algorithms: ['HS256'], issuer: 'quanze' }) as { sub?: string; role?: Role };
      return claims.sub ? { sub: claims.sub, role: claims.role } : null;
    } catch {
      return null; // an invalid token: counted by IP, and refused by the guard
    }
  };
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const admin = ADMIN_PATHS.test(req.path);
    const routeClass = admin ? null : publicRouteClass(req.path);
    if (!admin && !routeClass) return next();
    const claims = admin ? tokenClaims(req) : null;
    const key = claims ? `user:${claims.sub}` : `ip:${req.ip}`;
    // /admin/graphql takes bodies of several MB (an import as base64) from users who may import only.
    if (admin && req.method === 'POST' && req.path.startsWith('/admin/graphql')) {
      const importer = !!claims?.role && !!ROLE_PERMISSIONS[claims.role]?.has(Permission.EDIT_LISTS);
      const bodyMax = !claims ? ANONYMOUS_BODY_MAX : importer ? Infinity : ADMIN_BODY_MAX;
      if (bodyOver(req, bodyMax)) {
        const message = claims ? `请求体不能超过${bodyMax / 1024 / 1024} MB` : `未登录的请求体不能超过${bodyMax / 1024} KB`;
        res.status(413).setHeader('Cache-Control', 'private, no-store').json(errorBody('PAYLOAD_TOO_LARGE', message, { max: bodyMax }));
        return;
      }
    }
    const [counter, setting, max, what]: [RateLimitCounter, string, number, string] = admin || !routeClass
      ? [limits.adminRequests, 'RATE_LIMIT_ADMIN_PER_MINUTE', config.api.requestsPerMinute.admin, '']
      : [limits.publicRoutes[routeClass], config.api.publicRoutes[routeClass].setting, config.api.publicRoutes[routeClass].perMinute, ROUTE_CLASS_LABEL[routeClass]];
    let state;
    try {
      state = await counter.hit(key);
    } catch (e) {
      // A failing counter store must not take the API down with it: let the request through, say so.
      logger.error(`rate limit store failed: ${(e as Error).message}`);
      return next();
    }
    if (state.allowed) return next();
    const message = `${what}请求过于频繁（每分钟最多${max}次），请${state.retryAfterSeconds}秒后再试`;
    res.status(429).setHeader('Retry-After', String(state.retryAfterSeconds)).setHeader('Cache-Control', 'private, no-store');
    // A browser on the portal (a page, /ask, the answer page's form) gets a sentence, not JSON.
    if (routeClass === 'pages' || (req.path !== '/graphql' && req.accepts(['json', 'html']) === 'html')) res.type('text/plain; charset=utf-8').send(`${message}。`);
    else res.json(errorBody('RATE_LIMITED', message, { setting, max, retryAfterSeconds: state.retryAfterSeconds, ...(routeClass ? { routeClass } : {}) }));
  };
}

/** Mutations that carry files inline as base64 (their bodies may reach IMPORT_MAX_BYTES as base64). */
const INLINE_IMPORTS = new Set(['importList', 'importLegalCatalogue']);

/** Whether a request's operation is an inline import (every root field importList or importLegalCatalogue): its body may carry a file. */
export function isInlineImport(body: { query?: unknown; operationName?: unknown } | undefined, maxTokens: number): boolean {
  if (typeof body?.query !== 'string') return false;
  let operations;
  try {
    operations = parse(body.query, { maxTokens }).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return false;
  }
  const operation = typeof body.operationName === 'string' ? operations.find((o) => o.name?.value === body.operationName) : operations.length === 1 ? operations[0] : undefined;
  const fields = operation?.operation === 'mutation' ? operation.selectionSet.selections : [];
  return fields.length > 0 && fields.every((f) => f.kind === Kind.FIELD && INLINE_IMPORTS.has(f.name.value));
}

/** Bytes of a JSON body as received, recorded by the body parser of /admin/graphql (`verify`). */
export type MeasuredRequest = Request & { jsonBodyBytes?: number };

/**
 * On both GraphQL paths, once the body is parsed and before Apollo parses the query: the size
 * of the query text, in characters and in tokens, and on /admin/graphql a body larger than
 * ADMIN_BODY_MAX that is not an inline import (the body parser there lets an importer's body
 * reach IMPORT_MAX_BYTES as base64). Every answer is `private, no-store` unless the public
 * endpoint's plugin says it may be cached.
 */
@Injectable()
export class RequestLimitsMiddleware implements NestMiddleware {
  constructor(@Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const query = req.method === 'GET' ? req.query?.query : (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query === 'string' && !this.sizeAllowed(query, res)) return;
    if (((req as MeasuredRequest).jsonBodyBytes ?? 0) > ADMIN_BODY_MAX && !isInlineImport(req.body, this.config.api.maxTokens)) {
      res.status(413).json(errorBody('PAYLOAD_TOO_LARGE', `请求体不能超过${ADMIN_BODY_MAX / 1024 / 1024} MB（导入清单 importList、法规目录 importLegalCatalogue 除外）`, { max: ADMIN_BODY_MAX }));
      return;
    }
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
  setErrorHeaders(res, answer);
  res.status(answer.status).json(errorBody(answer.code, answer.message, answer.details));
}
