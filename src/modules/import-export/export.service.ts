import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { notFound } from '../../common/domain-error.js';
import { ListReadService, type ReadScope } from '../lists/list-read.service.js';
import { statusLabel } from '../lists/list-version.access.js';
import type { SheetItem } from '../lists/list-sheet.js';
import { bodyIdsOf, contentToInput } from '../lists/item-fields.js';
import { BodiesService } from '../bodies/bodies.service.js';
import type { ListVersionModel } from '../lists/list.model.js';
import { KIND_LABEL, writeCsv, writeXlsx } from './sheet-writers.js';

export type ExportFormat = 'xlsx' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv'];

export interface ExportedFile {
  version: ListVersionModel;
  /** e.g. 宜兴市张渚镇责任清单-第2版.xlsx */
  fileName: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPE: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Any version of a list as a spreadsheet in the shape counties publish (the standard columns of
 * list-sheet.ts), which the importer reads back as the same list. Who sees which version is
 * ListReadService's decision alone: the public (and roles without READ_DRAFTS) published ones only.
 */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ListReadService,
    private readonly bodies: BodiesService,
  ) {}

  async exportVersion(scope: ReadScope, versionId: string, format: ExportFormat): Promise<ExportedFile> {
    const version = await this.reads.findVersion(scope, versionId);
    if (!version) throw notFound('未找到该清单版本（不存在，或您无权查看）');
    const items = await this.sheetItems(version);
    const township = await this.placeName(version.regionCode);
    const name = `${township}${KIND_LABEL[version.kind]}-第${version.number}版${version.status === 'DRAFT' ? '（草稿）' : ''}`;
    const body =
      format === 'csv'
        ? writeCsv(version.kind, items)
        : await writeXlsx(
            {
              township,
              kind: version.kind,
              versionNumber: version.number,
              statusLabel: statusLabel(version.status),
              approvalDocNumber: version.approvalDocNumber,
              effectiveFrom: version.effectiveFrom,
              effectiveTo: version.effectiveTo,
            },
            items,
          );
    return { version, fileName: `${name}.${format}`, contentType: CONTENT_TYPE[format], body };
  }

  /** The version's items with bodies by name, as a sheet holds them. */
  private async sheetItems(version: ListVersionModel): Promise<SheetItem[]> {
    const items = await this.reads.allItems(version);
    const names = await this.bodies.namesOf(bodyIdsOf(items));
    return items.map((i) => contentToInput(i.itemCode, i, names));
  }

  /** County and township names (宜兴市张渚镇), as titles of county lists read. */
  private async placeName(code: string): Promise<string> {
    const rows: { code: string; name: string }[] = await this.dataSource.query(
      'SELECT code, name FROM region WHERE code = $1 OR code = (SELECT parent_code FROM region WHERE code = $1)',
      [code],
    );
    const own = rows.find((r) => r.code === code)?.name ?? code;
    const parent = rows.find((r) => r.code !== code)?.name ?? '';
    return `${parent}${own}`;
  }
}
