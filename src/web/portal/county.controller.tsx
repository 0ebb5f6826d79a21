import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput } from '../../common/domain-error.js';
import { parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { CountyFindingsService } from '../../modules/county-views/county-findings.service.js';
import { CountyViewsService } from '../../modules/county-views/county-views.service.js';
import { LIST_KINDS, type ListKind } from '../../modules/lists/duty-list.entity.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { WebErrorFilter } from '../web-error.filter.js';
import { BodyDutiesPage, CountyFindingsPage, CountyMatrixPage } from './county.page.js';

function asOfParam(value: unknown): string {
  if (value === undefined || value === '') return todayInChina();
  const date = typeof value === 'string' ? parseLocalDate(value) : null;
  if (!date) throw badInput('asOf', `日期“${String(value)}”无效，应为 YYYY-MM-DD`);
  return date;
}

/**
 * County-wide pages of the portal, from the same services as `countyMatrix`, `countyFindings` and
 * `bodyDuties` on /graphql: `/counties/<code>/matrix?kind=&asOf=`, `/counties/<code>/findings?asOf=`,
 * `/departments/<bodyId>?asOf=`. Public: the lists are.
 */
@Controller()
@UseFilters(WebErrorFilter)
export class CountyPagesController {
  constructor(
    private readonly assets: WebAssets,
    private readonly views: CountyViewsService,
    private readonly findings: CountyFindingsService,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  private get caching() {
    return { maxAgeSeconds: this.config.api.publicCacheSeconds };
  }

  @Get('counties/:code/matrix')
  async matrix(@Param('code') code: string, @Query('kind') kind: unknown, @Query('asOf') asOf: unknown, @Res() res: Response) {
    const k = kind === undefined || kind === '' ? 'RESPONSIBILITY' : (kind as ListKind);
    if (!LIST_KINDS.includes(k)) throw badInput('kind', `清单类型“${String(kind)}”无效`);
    const matrix = await this.views.countyMatrix(code, k, asOfParam(asOf));
    sendPage(res, <CountyMatrixPage assets={this.assets} matrix={matrix} />, this.caching);
  }

  @Get('counties/:code/findings')
  async countyFindings(@Param('code') code: string, @Query('asOf') asOf: unknown, @Res() res: Response) {
    const date = asOfParam(asOf);
    const county = await this.views.requireCounty(code);
    const findings = await this.findings.findings(county.code, date);
    sendPage(res, <CountyFindingsPage assets={this.assets} county={county} asOf={date} findings={findings} />, this.caching);
  }

  @Get('departments/:id')
  async department(@Param('id') id: string, @Query('asOf') asOf: unknown, @Res() res: Response) {
    const duties = await this.views.bodyDuties(id, asOfParam(asOf));
    sendPage(res, <BodyDutiesPage assets={this.assets} duties={duties} />, this.caching);
  }
}
