import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput, notFound } from '../../common/domain-error.js';
import { sendDownload } from '../../common/download.js';
import { parseLocalDate } from '../../common/local-date.scalar.js';
import { RestErrorFilter } from '../import-export/rest-http.js';
import { RegionsService } from '../regions/regions.service.js';
import { BurdenLedgerService } from './burden-ledger.service.js';
import { ledgerTable, periodLabel, writeLedgerCsv, writeLedgerXlsx } from './ledger-table.js';

/** A date from the query string, or null when absent; a malformed one is the caller's error, naming the parameter. */
export function queryDate(value: unknown, field: string): string | null {
  if (value === undefined || value === '') return null;
  const date = typeof value === 'string' ? parseLocalDate(value) : null;
  if (!date) throw badInput(field, `日期“${String(value)}”无效，应为 YYYY-MM-DD`);
  return date;
}

/**
 * `GET /exports/burden-ledger/<region>.csv` and `.xlsx` (`?from=YYYY-MM-DD&to=YYYY-MM-DD`): the
 * public burden ledger as a file, the same table as on the portal page.
 */
@Controller('exports/burden-ledger')
@UseFilters(RestErrorFilter)
export class BurdenLedgerExportController {
  constructor(
    private readonly ledgers: BurdenLedgerService,
    private readonly regions: RegionsService,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  @Get(':file')
  async download(@Param('file') file: string, @Query('from') fromInput: unknown, @Query('to') toInput: unknown, @Res() res: Response) {
    const match = /^(\d{2,12})\.(csv|xlsx)$/i.exec(file);
    if (!match) throw notFound('未找到：导出地址应为 /exports/burden-ledger/<区划代码>.csv 或 .xlsx');
    const format = match[2].toLowerCase();
    const ledger = await this.ledgers.ledger(match[1], queryDate(fromInput, 'from'), queryDate(toInput, 'to'));
    const region = await this.regions.requireRegion(ledger.regionCode, 'regionCode');
    const title = `${region.name}减负台账（${periodLabel(ledger.from, ledger.to)}，按提交日期）`;
    const table = ledgerTable(ledger);
    const body = format === 'csv' ? writeLedgerCsv(table) : await writeLedgerXlsx(title, table);
    sendDownload(res, {
      body, contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      asciiName: `burden-ledger-${ledger.regionCode}.${format}`, fileName: `${title}.${format}`, cacheControl: `public, max-age=${this.config.api.publicCacheSeconds}`,
    });
  }
}
