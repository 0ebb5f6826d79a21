import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  type ExceptionFilter,
  type ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { requireRole, type Actor } from '../../auth/actor.js';
import { AuthService } from '../../auth/auth.service.js';
import type { Permission } from '../../auth/permissions.js';
import { errorAnswer, setErrorHeaders } from '../../common/error-response.js';
import { DomainError, forbidden } from '../../common/domain-error.js';
import { ErrorContent, errorTitle } from '../layout.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { ConsolePage, type ConsoleView } from './console-frame.js';
import { ConsoleSessions, CSRF_FIELD, PRE_SESSION_COOKIE, readCookie, SESSION_COOKIE, type ConsoleSession } from './console-session.js';

export type ConsoleRequest = Request & {
  consoleSession?: ConsoleSession | null;
  consoleActor?: Actor | null;
  consoleCsrf?: string;
};

const PUBLIC_ROUTE = 'quanze:console-public';
const PERMISSION = 'quanze:console-permission';
const CSRF_AFTER_UPLOAD = 'quanze:console-csrf-after-upload';

/** A console page open without signing in (the sign-in form). */
export const ConsolePublic = () => SetMetadata(PUBLIC_ROUTE, true);
/** The permission a console route needs: the same table as the admin API's `@RequirePermission` (src/auth/permissions.ts). */
export const ConsolePermission = (permission: Permission) => SetMetadata(PERMISSION, permission);
/** A multipart form: its CSRF field is read once the upload is parsed, by the handler (`requireCsrf`). */
export const CsrfAfterUpload = () => SetMetadata(CSRF_AFTER_UPLOAD, true);

/** Not signed in (or the session ended): the sign-in page, then back where the user was going. */
export class SignInRequired extends Error {
  constructor(
    readonly expired: boolean,
    readonly next: string,
  ) {
    super('sign-in required');
  }
}

export const csrfRefused = () => forbidden('表单已失效（缺少或不正确的安全令牌），请刷新页面后重新提交');

/**
 * Every console request: the session from its cookie (idle sessions end; the token behind it is
 * checked like a bearer token on each request: a disabled user, a new password or role ends it),
 * the CSRF token of every POST, and the role's permission for the route. Region scope is left to
 * the services, which check it on each object with the signed-in actor, as for the API.
 */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: ConsoleSessions,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const meta = <T,>(key: string) => this.reflector.get<T>(key, context.getHandler());
    const sessionId = readCookie(req, SESSION_COOKIE);
    const touched = this.sessions.touch(sessionId);
    let session = typeof touched === 'object' ? touched : null;
    let actor: Actor | null = null;
    if (session) {
      try {
        actor = await this.auth.actorFromToken(session.token);
      } catch {
        this.sessions.end(session.id);
        session = null;
      }
    }
    if (sessionId && !session) this.sessions.clearCookie(req, res, SESSION_COOKIE);
    let binding = session?.id ?? readCookie(req, PRE_SESSION_COOKIE);
    const open = !!meta<boolean>(PUBLIC_ROUTE);
    if (!binding && open && req.method === 'GET') {
      binding = this.sessions.newPreSession();
      this.sessions.setCookie(req, res, PRE_SESSION_COOKIE, binding);
    }
    req.consoleSession = session;
    req.consoleActor = actor;
    req.consoleCsrf = binding ? this.sessions.csrfToken(binding) : '';
    if (!open && !actor) throw new SignInRequired(touched === 'expired' || (!!sessionId && !session), req.method === 'GET' ? req.originalUrl : '/console');
    if (req.method === 'POST' && !meta<boolean>(CSRF_AFTER_UPLOAD)) this.requireCsrf(req);
    const permission = meta<Permission | undefined>(PERMISSION);
    if (permission && actor) requireRole(actor, permission);
    return true;
  }

  requireCsrf(req: ConsoleRequest): void {
    const binding = req.consoleSession?.id ?? readCookie(req, PRE_SESSION_COOKIE);
    if (!this.sessions.csrfValid(binding, (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD])) throw csrfRefused();
  }
}

/** The page view of a request the guard has seen. */
export const viewOf = (assets: WebAssets, req: ConsoleRequest): ConsoleView => ({ assets, actor: req.consoleActor ?? null, csrf: req.consoleCsrf ?? '' });

/** Only paths of the console are followed after sign-in (no open redirect). */
export const safeNext = (next: unknown) => (typeof next === 'string' && /^\/console(\/[^/\\]|$|\?)/.test(next) && !next.includes('//') ? next : '/console');

/**
 * The console's refusals as pages in its frame: not signed in → the sign-in page; any other refusal →
 * its Chinese message under the HTTP status of its code (the API's one error mapping); anything
 * unexpected → 500 with the correlation id of the log line.
 */
@Catch()
@Injectable()
export class ConsoleErrorFilter implements ExceptionFilter {
  constructor(@Inject(WebAssets) private readonly assets: WebAssets) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<ConsoleRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof SignInRequired) {
      const q = new URLSearchParams({ next: exception.next });
      if (exception.expired) q.set('done', 'expired');
      res.setHeader('Cache-Control', 'private, no-store');
      res.redirect(303, `/console/sign-in?${q}`);
      return;
    }
    const answer = errorAnswer(exception);
    setErrorHeaders(res, answer);
    const message = exception instanceof DomainError || answer.status >= 500 ? answer.message : answer.status === 404 ? '您要找的页面不存在，或已被移动。' : answer.message;
    const view = viewOf(this.assets, req);
    sendPage(
      res,
      <ConsolePage view={view} title={errorTitle(answer.status)}>
        <ErrorContent status={answer.status} message={message} back={{ href: '/console', label: '返回概览' }} />
      </ConsolePage>,
      { maxAgeSeconds: null },
      answer.status,
    );
  }
}
