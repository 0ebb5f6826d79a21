import { Catch, HttpException, Inject, Injectable, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError, HTTP_STATUS } from '../common/domain-error.js';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import { ErrorContent, errorTitle } from './layout.js';
import { sendPage } from './html-response.js';
import { PortalPage, PORTAL_HOME } from './portal/portal-frame.js';
import { WebAssets } from './web-assets.js';

/**
 * Errors of the pages as pages: a refusal shows its Chinese message in the site's frame with a
 * way back, under the HTTP status of its code; anything unexpected is a 500 page with a
 * correlation id that is also in the log, never a stack.
 */
@Catch()
@Injectable()
export class WebErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Web');

  constructor(@Inject(WebAssets) private readonly assets: WebAssets) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const { status, message } = this.describe(exception);
    if (status === 503) res.setHeader('Retry-After', '5');
    const page = (
      <PortalPage assets={this.assets} title={errorTitle(status)}>
        <ErrorContent status={status} message={message} back={{ href: PORTAL_HOME.href, label: '返回首页' }} />
      </PortalPage>
    );
    sendPage(res, page, { maxAgeSeconds: null }, status);
  }

  private describe(exception: unknown): { status: number; message: string } {
    if (exception instanceof DomainError) return { status: HTTP_STATUS[exception.code], message: exception.message };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, message: status === 404 ? '您要找的页面不存在，或已被移动。' : '请求无法处理，请检查后重试。' };
    }
    if (isDatabaseUnavailable(exception)) return { status: 503, message: '数据库暂时无法连接，请稍后再试。' };
    const correlationId = randomUUID();
    this.logger.error(`[${correlationId}] ${(exception as Error)?.stack ?? String(exception)}`);
    return { status: 500, message: `服务器内部错误，请稍后重试（错误编号 ${correlationId}）。` };
  }
}

/** Requests a browser makes for a page (not the API, not an asset): an unknown one gets the HTML 404. */
export const wantsPage = (req: Request) =>
  req.method === 'GET' && !/^\/(graphql|admin\/|exports\/|health|assets\/)/.test(req.path) && req.accepts(['json', 'html']) === 'html';
