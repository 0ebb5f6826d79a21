import { Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorAnswer } from '../../common/error-response.js';
import { parseLocalDate } from '../../common/local-date.scalar.js';
import { QuestionLogService } from '../../modules/accountability/question-log.service.js';
import { RestErrorFilter } from '../../modules/import-export/rest-http.js';
import { sendPage } from '../html-response.js';
import { ErrorContent, errorTitle } from '../layout.js';
import { WebAssets } from '../web-assets.js';
import { askUrl } from './ask.page.js';
import { PortalPage } from './portal-frame.js';

/**
 * `POST /feedback/answers` — "was this right?" (答对了吗), anonymous, under the public rate limit of
 * questions (RATE_LIMIT_PUBLIC_PER_MINUTE). Two callers:
 * - a program: JSON `{ question, regionCode, itemCode?, helpful }` → 204, errors as JSON;
 * - the portal's answer page without JavaScript: the same fields as a form
 *   (application/x-www-form-urlencoded, `helpful` "true"/"false", and `asOf` for the way back)
 *   → a thank-you page, or the problem named on a page, with a link back to the answer.
 * Kept without IP or user, for QUESTION_LOG_RETENTION_DAYS; a question marked wrong more often
 * than right enters the editors' queue (`questionQueue`). A REST door because the public GraphQL
 * endpoint has no mutations.
 */
@Controller('feedback/answers')
@UseFilters(RestErrorFilter)
export class AnswerFeedbackController {
  constructor(
    private readonly questionLog: QuestionLogService,
    private readonly assets: WebAssets,
  ) {}

  @Post()
  @HttpCode(204)
  async give(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!req.is('application/x-www-form-urlencoded')) {
      await this.questionLog.recordFeedback((req.body as Record<string, unknown> | undefined) ?? {});
      res.status(204).end();
      return;
    }
    const form = (req.body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    // The way back: the answer page the form was on (its region as a 9-digit township code or a county's 6).
    const region = text('regionCode').replace(/^(\d{6})000000$/, '$1').replace(/^(\d{9})000$/, '$1');
    const asOf = parseLocalDate(text('asOf')) ? text('asOf') : '';
    const back = region && text('question') ? { href: askUrl(region, text('question'), asOf), label: '返回答复' } : { href: '/', label: '返回首页' };
    try {
      await this.questionLog.recordFeedback(form);
    } catch (e) {
      const { status, message } = errorAnswer(e);
      const page = (
        <PortalPage assets={this.assets} title={errorTitle(status)}>
          <ErrorContent status={status} message={message} back={back} />
        </PortalPage>
      );
      sendPage(res, page, { maxAgeSeconds: null }, status);
      return;
    }
    const helpful = form.helpful === 'true';
    const page = (
      <PortalPage assets={this.assets} title="谢谢您的反馈">
        <h1>谢谢您的反馈</h1>
        <p class="notice" role="status">
          {helpful ? '已记下：这条答复答对了。' : '已记下：这条答复不对。清单编辑人员会查看答错的问题，完善清单的检索。'}
        </p>
        <p>
          <a href={back.href}>{back.label}</a> · <a href="/">再问一个</a>
        </p>
      </PortalPage>
    );
    sendPage(res, page, { maxAgeSeconds: null });
  }
}
