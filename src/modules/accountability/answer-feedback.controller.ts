import { Body, Controller, HttpCode, Post, UseFilters } from '@nestjs/common';
import { RestErrorFilter } from '../import-export/rest-http.js';
import { QuestionLogService } from './question-log.service.js';

/**
 * `POST /feedback/answers` — the portal's "was this right?" (答对了吗): JSON
 * `{ question, regionCode, itemCode?, helpful }`, anonymous, under the public rate limit
 * (RATE_LIMIT_PUBLIC_PER_MINUTE). Kept without IP or user, for QUESTION_LOG_RETENTION_DAYS; a
 * question marked wrong more often than right enters the editors' queue (`questionQueue`).
 * A REST door because the public GraphQL endpoint has no mutations. 204 when recorded.
 */
@Controller('feedback/answers')
@UseFilters(RestErrorFilter)
export class AnswerFeedbackController {
  constructor(private readonly questionLog: QuestionLogService) {}

  @Post()
  @HttpCode(204)
  async give(@Body() body: Record<string, unknown> | undefined): Promise<void> {
    await this.questionLog.recordFeedback(body ?? {});
  }
}
