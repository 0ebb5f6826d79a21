import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { Permission } from '../../auth/permissions.js';
import { DomainError } from '../../common/domain-error.js';
import { QuestionLogService } from '../../modules/accountability/question-log.service.js';
import { regionPrefix } from '../../modules/regions/region-code.js';
import { RegionsService } from '../../modules/regions/regions.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { ConsoleErrorFilter, ConsoleGuard, ConsolePermission, viewOf, type ConsoleRequest } from './console-access.js';
import type { FormErrors } from './console-frame.js';
import { refusalOf } from './console-lists.controller.js';
import { QuestionsPage } from './console-questions.pages.js';

const NO_STORE = { maxAgeSeconds: null };
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The question queue of issue 16 (QuestionLogService: questionQueue and mapQuestion), with the API's permission (EDIT_LISTS) and region checks. */
@Controller('console/questions')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleErrorFilter)
export class ConsoleQuestionsController {
  constructor(
    private readonly assets: WebAssets,
    private readonly questions: QuestionLogService,
    private readonly regions: RegionsService,
  ) {}

  private async render(req: ConsoleRequest, res: Response, regionParam: string, o: { done?: string; form?: string; errors?: FormErrors; values?: Record<string, string>; status?: number } = {}) {
    const actor = req.consoleActor!;
    // The user's own region by default (a township user's township, a county user's county); an administrator chooses.
    const wanted = regionParam || actor.regionCode || '';
    let region: { code: string; name: string } | null = null;
    let queued: Awaited<ReturnType<QuestionLogService['queue']>> = [];
    let status = o.status;
    let { form, errors } = o;
    if (wanted) {
      try {
        const r = await this.regions.requireRegion(wanted, 'regionCode');
        queued = await this.questions.queue(actor, r.code, 50);
        region = { code: r.code, name: r.name };
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        ({ errors, status } = refusalOf(res, e));
        form = 'region';
      }
    }
    sendPage(res, <QuestionsPage view={viewOf(this.assets, req)} region={region} questions={queued} done={o.done} form={form} errors={errors} values={o.values} />, NO_STORE, status);
  }

  @Get()
  @ConsolePermission(Permission.EDIT_LISTS)
  async queue(@Req() req: ConsoleRequest, @Res() res: Response, @Query('region') region: unknown, @Query('done') done: unknown) {
    await this.render(req, res, str(region), { done: typeof done === 'string' ? done : undefined });
  }

  @Post(':id/map')
  @ConsolePermission(Permission.EDIT_LISTS)
  async map(@Req() req: ConsoleRequest, @Res() res: Response, @Param('id') id: string, @Body() body: Record<string, string>) {
    const values = { itemCode: str(body.itemCode), phrase: str(body.phrase) };
    const region = /^\d{6,12}$/.test(str(body.region)) ? str(body.region) : '';
    try {
      const as = str(body.as) === 'SYNONYM' ? 'SYNONYM' : 'ITEM_ALIAS';
      await this.questions.map(req.consoleActor!, id, values.itemCode, as, values.phrase || null);
      res.redirect(303, `/console/questions?${new URLSearchParams({ region: region ? regionPrefix(region) : '', done: 'questionMapped' })}`);
    } catch (e) {
      const { errors, status } = refusalOf(res, e);
      // No item of that code in force in the question's region: the code is what to correct.
      if (e instanceof DomainError && e.code === 'NOT_FOUND' && errors['']) {
        errors.itemCode = errors[''];
        delete errors[''];
      }
      await this.render(req, res, region, { form: `map:${id}`, errors, values, status });
    }
  }
}
