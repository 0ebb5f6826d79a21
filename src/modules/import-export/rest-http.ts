import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  type ExecutionContext,
  type ExceptionFilter,
  HttpException,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ANONYMOUS, type Actor } from '../../auth/actor.js';
import { AuthService } from '../../auth/auth.service.js';
import { bearerToken } from '../../auth/bearer-token.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput, DomainError, unauthenticated } from '../../common/domain-error.js';
import { errorAnswer, setErrorHeaders } from '../../common/error-response.js';
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
    const token = bearerToken(header);
    if (!token) throw unauthenticated('Authorization 头应为“Bearer <token>”');
    req.quanzeActor = await this.auth.actorFromToken(token);
    return true;
  }
}

/**
 * Errors of the REST doors as JSON `{ error: { code, message, field? } }` with the HTTP status of
 * the code — the same mapping (common/error-response.ts), codes and Chinese messages as GraphQL;
 * a file over the size limit (multer's refusal) is 413 naming the limit; a database that cannot be
 * reached is 503 with Retry-After, as GraphQL answers.
 */
@Catch()
@Injectable()
export class RestErrorFilter implements ExceptionFilter {
  constructor(@Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const answer = errorAnswer(this.uploadLimit(exception) ?? exception);
    const message = exception instanceof HttpException ? translate(answer.message) : answer.message;
    if (res.headersSent) return;
    setErrorHeaders(res, answer);
    res.status(answer.status).json({ error: { code: answer.code, message, ...answer.details } });
  }

  /** multer's 413, said as the import's own size refusal. */
  private uploadLimit(exception: unknown): DomainError | null {
    if (!(exception instanceof HttpException) || exception.getStatus() !== 413) return null;
    const max = this.config.importMaxBytes;
    return badInput('file', `文件超过导入上限 ${formatBytes(max)}（IMPORT_MAX_BYTES）：请拆分文件后分别导入，或请系统管理员调整上限`, {
      limit: 'IMPORT_MAX_BYTES',
      maxBytes: max,
    });
  }
}

/** Multer's and Nest's English refusals, said for the clerk. */
function translate(message: string): string {
  if (/unexpected field/i.test(message)) return '上传字段不对：文件请放在名为 file 的字段中，每次一个文件';
  if (/too many (files|parts|fields)/i.test(message)) return '上传内容过多：每次只能上传一个文件（字段 file），以及 regionCode、kind 等字段';
  if (/multipart/i.test(message)) return `请以 multipart/form-data 上传（字段 regionCode、kind、file）：${message}`;
  return message;
}
