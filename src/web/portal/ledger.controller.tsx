import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { BurdenLedgerService } from '../../modules/admission/burden-ledger.service.js';
import { queryDate } from '../../modules/admission/ledger-export.controller.js';
import { RegionsService } from '../../modules/regions/regions.service.js';
import { sendPage } from '../html-response.js';
import { WebAssets } from '../web-assets.js';
import { WebErrorFilter } from '../web-error.filter.js';
import { LedgerPage } from './ledger.page.js';

/** `/ledger/<region>?from=&to=`: the public burden ledger, from the same service as `burdenLedger` on /graphql. */
@Controller('ledger')
@UseFilters(WebErrorFilter)
export class LedgerPageController {
  constructor(
    private readonly assets: WebAssets,
    private readonly ledgers: BurdenLedgerService,
    private readonly regions: RegionsService,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  @Get(':code')
  async ledger(@Param('code') code: string, @Query('from') from: unknown, @Query('to') to: unknown, @Res() res: Response) {
    const ledger = await this.ledgers.ledger(code, queryDate(from, 'from'), queryDate(to, 'to'));
    const region = await this.regions.requireRegion(ledger.regionCode, 'regionCode');
    sendPage(res, <LedgerPage assets={this.assets} region={region} ledger={ledger} />, { maxAgeSeconds: this.config.api.publicCacheSeconds });
  }
}
