import { Catch, HttpException, Inject, Injectable, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorAnswer } from '../common/error-response.js';
import { ErrorContent, errorTitle } from './layout.js';
import { sendPage } from './html-response.js';
import { PortalPage, PORTAL_HOME } from './portal/portal-frame.js';
import { WebAssets } from './web-assets.js';

/**
 * Errors of the pages as pages: a refusal shows its Chinese message in the site's frame with a
 * way back, under the HTTP status of its code; anything unexpected is a 500 page with a
 * correlation id that is also in the log, never a stack (the same mapping as the API's).
 */
@Catch()
@Injectable()
export class WebErrorFilter implements ExceptionFilter {
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

  /** The status and message of the one error mapping (common/error-response.ts); a page's own words for HTTP refusals. */
  private describe(exception: unknown): { status: number; message: string } {
    const { status, message } = errorAnswer(exception);
    if (exception instanceof HttpException) return { status, message: status === 404 ? '您要找的页面不存在，或已被移动。' : '请求无法处理，请检查后重试。' };
    return { status, message };
  }
}

/** Requests a browser makes for a page (not the API, not an asset): an unknown one gets the HTML 404. */
export const wantsPage = (req: Request) =>
  req.method === 'GET' && !/^\/(graphql|admin\/|exports\/|health|assets\/)/.test(req.path) && req.accepts(['json', 'html']) === 'html';
