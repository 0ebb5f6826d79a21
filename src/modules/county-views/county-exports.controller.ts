import { Controller, Get, Inject, Param, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput, notFound } from '../../common/domain-error.js';
import { sendDownload } from '../../common/download.js';
import { parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { RestErrorFilter } from '../import-export/rest-http.js';
import { LIST_KINDS, type ListKind } from '../lists/duty-list.entity.js';
import { writeBodyDutiesXlsx, writeMatrixXlsx } from './county-sheets.js';
import { CountyViewsService, LIST_KIND_LABEL } from './county-views.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function asOfParam(value: unknown): string {
  if (value === undefined || value === '') return todayInChina();
  const date = typeof value === 'string' ? parseLocalDate(value) : null;
  if (!date) throw badInput('asOf', `日期“${String(value)}”无效，应为 YYYY-MM-DD`);
  return date;
}

function kindParam(value: unknown): ListKind {
  if (value === undefined || value === '') return 'RESPONSIBILITY';
  if (!LIST_KINDS.includes(value as ListKind)) throw badInput('kind', `清单类型“${String(value)}”无效，应为 POWER 或 RESPONSIBILITY`);
  return value as ListKind;
}

const sendXlsx = (res: Response, body: Buffer, asciiName: string, fileName: string, maxAge: number) =>
  sendDownload(res, { body, contentType: XLSX, asciiName, fileName, cacheControl: `public, max-age=${maxAge}` });

/**
 * Public spreadsheets of the county views: `GET /exports/counties/<code>/matrix.xlsx?kind=&asOf=`
 * (one sheet, coloured by role) and `GET /exports/bodies/<id>/duties.xlsx?asOf=` (部门履职事项清单).
 */
@Controller('exports')
@UseFilters(RestErrorFilter)
export class CountyExportsController {
  constructor(
    private readonly views: CountyViewsService,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
  ) {}

  @Get('counties/:code/:file')
  async matrix(@Param('code') code: string, @Param('file') file: string, @Query('kind') kind: unknown, @Query('asOf') asOf: unknown, @Res() res: Response) {
    if (file !== 'matrix.xlsx') throw notFound('未找到：导出地址应为 /exports/counties/<县级代码>/matrix.xlsx');
    const m = await this.views.countyMatrix(code, kindParam(kind), asOfParam(asOf));
    sendXlsx(res, await writeMatrixXlsx(m), `matrix-${m.countyCode}-${m.kind}-${m.asOf}.xlsx`, `${m.countyName}${LIST_KIND_LABEL[m.kind]}事项矩阵（${m.asOf}）.xlsx`, this.config.api.publicCacheSeconds);
  }

  @Get('bodies/:id/:file')
  async duties(@Param('id') id: string, @Param('file') file: string, @Query('asOf') asOf: unknown, @Res() res: Response) {
    if (file !== 'duties.xlsx') throw notFound('未找到：导出地址应为 /exports/bodies/<主体ID>/duties.xlsx');
    const d = await this.views.bodyDuties(id, asOfParam(asOf));
    sendXlsx(res, await writeBodyDutiesXlsx(d), `duties-${d.body.id}-${d.asOf}.xlsx`, `${d.body.name}履职事项清单（${d.asOf}）.xlsx`, this.config.api.publicCacheSeconds);
  }
}
