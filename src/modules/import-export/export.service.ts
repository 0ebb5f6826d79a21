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
import { KIND_LABEL, writeCsv, writeXlsx, type SheetTitle } from './sheet-writers.js';
import { writePartsXlsx, writeRevisionXlsx, writeTemplateXlsx } from './part-writers.js';
import { badInput } from '../../common/domain-error.js';

export type ExportFormat = 'xlsx' | 'csv';
/** `table`: one sheet, every column (the default); `parts`: the three-part workbook of a responsibility list. */
export type ExportLayout = 'table' | 'parts';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
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

  async exportVersion(scope: ReadScope, versionId: string, format: ExportFormat, layout: ExportLayout = 'table'): Promise<ExportedFile> {
    const version = await this.reads.findVersion(scope, versionId);
    if (!version) throw notFound('未找到该清单版本（不存在，或您无权查看）');
    if (layout === 'parts' && (version.kind !== 'RESPONSIBILITY' || format !== 'xlsx'))
      throw badInput('layout', '分部分版式（基本履职、配合履职、上级部门收回三张表）只适用于责任清单的 .xlsx 导出');
    const items = await this.sheetItems(version);
    const township = await this.placeName(version.regionCode);
    const name = `${township}${KIND_LABEL[version.kind]}-第${version.number}版${layout === 'parts' ? '（三部分）' : ''}${version.status === 'DRAFT' ? '（草稿）' : ''}`;
    const title: SheetTitle = {
      township,
      kind: version.kind,
      versionNumber: version.number,
      statusLabel: statusLabel(version.status),
      approvalDocNumber: version.approvalDocNumber,
      effectiveFrom: version.effectiveFrom,
      effectiveTo: version.effectiveTo,
    };
    const body = format === 'csv' ? writeCsv(version.kind, items) : layout === 'parts' ? await writePartsXlsx(title, items) : await writeXlsx(title, items);
    return { version, fileName: `${name}.${format}`, contentType: CONTENT_TYPE[format], body };
  }

  /** 修订对照表 between two versions of one list (xlsx), under the same visibility as versionDiff. */
  async exportRevision(scope: ReadScope, fromId: string, toId: string): Promise<Omit<ExportedFile, 'version'> & { from: ListVersionModel; to: ListVersionModel }> {
    const diff = await this.reads.diff(scope, fromId, toId);
    const township = await this.placeName(diff.to.regionCode);
    const body = await writeRevisionXlsx(
      { township, fromNumber: diff.from.number, toNumber: diff.to.number, toApprovalDocNumber: diff.to.approvalDocNumber, reason: diff.to.changeReason },
      diff.changes,
    );
    return { from: diff.from, to: diff.to, fileName: `${township}${KIND_LABEL[diff.to.kind]}修订对照表-第${diff.from.number}版至第${diff.to.number}版.xlsx`, contentType: XLSX_TYPE, body };
  }

  /** The blank template of a responsibility list (three parts, their columns, notes). */
  async template(): Promise<{ fileName: string; contentType: string; body: Buffer }> {
    return { fileName: '乡镇（街道）履行职责事项清单模板.xlsx', contentType: XLSX_TYPE, body: await writeTemplateXlsx() };
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
