import { randomUUID } from 'node:crypto';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  type ExecutionContext,
  type ExceptionFilter,
  HttpException,
  Inject,
  Injectable,
  Logger,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ANONYMOUS, type Actor } from '../../auth/actor.js';
import { AuthService } from '../../auth/auth.service.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { DomainError, HTTP_STATUS, unauthenticated } from '../../common/domain-error.js';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableMessage, isDatabaseUnavailable } from '../../database/database-errors.js';
import { formatBytes } from './sheet-file.js';

/**
 * The REST doors of import and export authenticate themselves (the GraphQL permission guard
 * only guards GraphQL): a bearer token from `login`, checked like on /admin/graphql.
 */
const ANONYMOUS_ALLOWED = 'quanze:rest-anonymous-allowed';
/** The route also answers without a token (as the public); a token that is sent must be valid. */
export const AnonymousAllowed = () => SetMetadata(ANONYMOUS_ALLOWED, true);

export type RestRequest = Request & { quanzeActor?: Actor };
export const actorOf = (req: RestRequest): Actor => req.quanzeActor ?? ANONYMOUS;

@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RestRequest>();
    const header = req.headers.authorization;
    if (!header) {
      if (this.reflector.get<boolean>(ANONYMOUS_ALLOWED, context.getHandler())) return true;
      throw unauthenticated('请先登录：请求须带 Authorization: Bearer <token>（token 由 /admin/graphql 的 login 取得）');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('Authorization 头应为“Bearer <token>”');
    req.quanzeActor = await this.auth.actorFromToken(match[1]);
    return true;
  }
}

/**
 * Errors of the REST doors as JSON `{ error: { code, message, field? } }` with the HTTP status of
 * the code, the same codes and Chinese messages as GraphQL; a file over the size limit is 413
 * naming the limit; a database that cannot be reached 503 with Retry-After (as GraphQL answers);
 * anything unexpected 500 with a correlation id in the log, never a stack.
 */
@Catch()
@Injectable()
export class RestErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('REST');

  constructor(@Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, error } = this.describe(exception);
    if (res.headersSent) return;
    if (status === 503) res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    res.status(status).setHeader('cache-control', 'no-store').json({ error });
  }

  private describe(exception: unknown): { status: number; error: Record<string, unknown> } {
    if (exception instanceof DomainError) {
      const status = exception.details.limit ? 413 : HTTP_STATUS[exception.code];
      return { status, error: { code: exception.code, message: exception.message, ...exception.details } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 413) {
        const max = this.config.importMaxBytes;
        return {
          status,
          error: { code: 'BAD_USER_INPUT', field: 'file', limit: 'IMPORT_MAX_BYTES', maxBytes: max, message: `文件超过导入上限 ${formatBytes(max)}（IMPORT_MAX_BYTES）：请拆分文件后分别导入，或请系统管理员调整上限` },
        };
      }
      const response = exception.getResponse() as { message?: string | string[] };
      const message = Array.isArray(response.message) ? response.message.join('；') : (response.message ?? exception.message);
      const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
      return { status, error: { code, message: translate(message) } };
    }
    const correlationId = randomUUID();
    if (isDatabaseUnavailable(exception)) {
      this.logger.error(`[${correlationId}] database unavailable: ${(exception as Error)?.message ?? String(exception)}`);
      const message = databaseUnavailableMessage(correlationId);
      return { status: 503, error: { code: 'SERVICE_UNAVAILABLE', message, correlationId, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS } };
    }
    this.logger.error(`[${correlationId}] ${(exception as Error)?.stack ?? String(exception)}`);
    return { status: 500, error: { code: 'INTERNAL_SERVER_ERROR', message: `服务器内部错误，请稍后重试（错误编号 ${correlationId}）`, correlationId } };
  }
}

/** Multer's and Nest's English refusals, said for the clerk. */
function translate(message: string): string {
  if (/unexpected field/i.test(message)) return '上传字段不对：文件请放在名为 file 的字段中，每次一个文件';
  if (/too many (files|parts|fields)/i.test(message)) return '上传内容过多：每次只能上传一个文件（字段 file），以及 regionCode、kind 等字段';
  if (/multipart/i.test(message)) return `请以 multipart/form-data 上传（字段 regionCode、kind、file）：${message}`;
  return message;
}
