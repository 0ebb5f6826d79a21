import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { coversRegion, outOfScope, requireRole, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { badInput } from '../../common/domain-error.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { AuditService } from '../audit/audit.service.js';
import { RegionsService } from '../regions/regions.service.js';
import { LIST_KINDS, type ListKind } from '../lists/duty-list.entity.js';
import { ListItemPreparer, type FieldError, type PreparedItem } from '../lists/list-item.preparer.js';
import { toVersionModel } from '../lists/list-read.service.js';
import { labelsOf, standardHeader, type SheetField } from '../lists/list-sheet.js';
import { translateDatabaseError } from '../../database/database-errors.js';
import { ListVersionEntity } from '../lists/list-version.entity.js';
import { ListVersionsService } from '../lists/list-versions.service.js';
import { GATE_LABEL, gateFindings } from '../lists/gate-findings.js';
import type { ListVersionModel } from '../lists/list.model.js';
import type { ImportLimits, SheetFile, SheetFormat } from './sheet-file.js';
import { SheetParsers } from './sheet-parsers.js';
import { SheetReadError } from './sheet-readers.js';
import { itemRows, locateHeader, type SheetHeader, type SheetItemRow, type SheetProblem } from './sheet-table.js';

export interface ImportRequest {
  regionCode: string;
  kind: ListKind;
  fileName: string;
  content: Buffer;
  changeReason?: string | null;
  /** Free text beside the change reason. */
  changeNote?: string | null;
  /** Validate only: report what the import would do, write nothing. */
  dryRun?: boolean;
}

/** What an import did, or why it did nothing (errors: then no draft exists). */
export interface ImportOutcome {
  version: ListVersionModel | null;
  itemsImported: number;
  errors: SheetProblem[];
  warnings: SheetProblem[];
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  format: SheetFormat | null;
  encoding: string | null;
  timings: { readMs: number; validateMs: number; writeMs: number };
}

/**
 * Spreadsheet import, the one service behind the three doors (GraphQL `importList`, multipart
 * `POST /admin/imports`, the `import:folder` command): a county's .xlsx or .csv becomes a new DRAFT of
 * the township's list whose items are exactly the file's rows, based on the version in force — or,
 * when any row is bad, nothing at all and a report of every bad row (row, column, a message in Chinese).
 * Rows are validated by the same preparer as `saveItem`.
 */
@Injectable()
export class ImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
    private readonly regions: RegionsService,
    private readonly preparer: ListItemPreparer,
    private readonly versions: ListVersionsService,
    private readonly audit: AuditService,
    private readonly parsers: SheetParsers,
  ) {}

  get limits(): ImportLimits {
    return { maxBytes: this.config.importMaxBytes, maxRows: this.config.importMaxRows, maxUncompressedBytes: this.config.importMaxUncompressedBytes };
  }

  /** Who may import into this township, checked before the file is looked at. */
  async requireImporter(actor: Actor, regionCode: string, kind: ListKind) {
    requireRole(actor, Permission.EDIT_LISTS);
    if (!LIST_KINDS.includes(kind)) throw badInput('kind', `清单类型“${kind}”无效，应为 POWER（权力清单）或 RESPONSIBILITY（责任清单）`);
    const region = await this.regions.requireRegion(regionCode, 'regionCode');
    if (region.level !== 'TOWNSHIP') throw badInput('regionCode', `清单只能为乡镇（街道）建立，“${region.name}”不是乡镇级区划`);
    if (!coversRegion(actor, region.code)) throw outOfScope(actor, `“${region.name}”（${region.code.slice(0, 9)}）`);
    return region;
  }

  async importList(actor: Actor, request: ImportRequest): Promise<ImportOutcome> {
    const region = await this.requireImporter(actor, request.regionCode, request.kind);
    const kind = request.kind;
    const t0 = performance.now();
    const outcome: ImportOutcome = {
      version: null, itemsImported: 0, errors: [], warnings: [], added: 0, changed: 0, unchanged: 0, removed: 0,
      format: null, encoding: null, timings: { readMs: 0, validateMs: 0, writeMs: 0 },
    };
    let file: SheetFile;
    try {
      file = await this.parsers.parse(request.fileName, request.content, this.limits);
    } catch (e) {
      if (!(e instanceof SheetReadError)) throw e;
      outcome.errors.push(located({ row: e.row ?? 1, column: null, message: e.message }));
      return outcome;
    }
    outcome.format = file.format;
    outcome.encoding = file.encoding;

    // Find each sheet's header and its item rows.
    const rows: SheetItemRow[] = [];
    const headers = new Map<string | null, SheetHeader>();
    const multiSheet = file.grids.length > 1;
    for (const grid of file.grids) {
      const at = (p: SheetProblem) => (multiSheet ? { ...p, message: `「${grid.name}」表${p.message}` } : p);
      const header = locateHeader(grid, kind);
      if (!header) {
        if (multiSheet) outcome.warnings.push({ row: 1, column: null, message: `「${grid.name}」表中未找到清单表头，已跳过该表` });
        else outcome.errors.push({ row: 1, column: null, message: `未找到表头行：前${30}行中没有“${standardHeader(kind, 'itemCode')}”“${standardHeader(kind, 'name')}”“${standardHeader(kind, 'accountableBodyName')}”等列名。请确认文件是${kind === 'POWER' ? '权力清单' : '责任清单'}，且有一行列名` });
        continue;
      }
      headers.set(grid.name, header);
      outcome.errors.push(...header.problems.map((p) => at(located(p))));
      outcome.warnings.push(...header.warnings.map((p) => at(located(p))));
      const found = itemRows(grid, kind, header);
      outcome.errors.push(...found.problems.map((p) => at(located(p))));
      outcome.warnings.push(...found.warnings.map((p) => at(located(p))));
      rows.push(...found.rows);
    }
    if (multiSheet && headers.size === 0)
      outcome.errors.push({ row: 1, column: null, message: '工作簿的各个表中都未找到清单表头（事项编码、事项名称、责任主体等列名）' });
    if (!outcome.errors.length && rows.length === 0) outcome.errors.push({ row: 1, column: null, message: '文件中没有任何事项行' });
    outcome.timings.readMs = performance.now() - t0;
    if (outcome.errors.length) return outcome;

    const columnOf = (row: SheetItemRow, field: SheetField) =>
      headers.get(row.sheet)?.columns.find((c) => c.field === field)?.header ?? standardHeader(kind, field);
    const where = (row: SheetItemRow) => (multiSheet ? `「${row.sheet}」表第${row.row}行` : `第${row.row}行`);
    const problem = (row: SheetItemRow, field: SheetField, message: string): SheetProblem => {
      const column = columnOf(row, field);
      return { row: row.row, column, message: `${where(row)}「${column}」：${message}` };
    };

    // Item codes are unique within a list.
    const firstRowOf = new Map<string, SheetItemRow>();
    const duplicates = new Map<SheetItemRow, SheetProblem>();
    for (const row of rows) {
      const code = row.input.itemCode;
      if (!code) continue;
      const first = firstRowOf.get(code);
      if (first) duplicates.set(row, problem(row, 'itemCode', `事项编码“${code}”与${where(first)}重复，同一清单中事项编码不能重复`));
      else firstRowOf.set(code, row);
    }

    const t1 = performance.now();
    try {
      return await this.dataSource.transaction(async (em) => {
        const prepared = await this.preparer.prepare(rows.map((r) => r.input), { kind, regionCode: region.code }, todayInChina(), em);
        const items: PreparedItem[] = [];
        prepared.forEach((result, i) => {
          const row = rows[i];
          if (result.ok) items.push(result.item);
          else outcome.errors.push(...result.errors.map((e) => fieldProblem(row, e, problem)));
          const duplicate = duplicates.get(row);
          if (duplicate) outcome.errors.push(duplicate);
        });
        // The gates: warnings here, blockers at submitForReview unless a reason is recorded per item.
        if (!outcome.errors.length) {
          const rowOf = new Map(rows.map((r) => [r.input.itemCode, r]));
          for (const finding of gateFindings(items)) {
            const row = rowOf.get(finding.itemCode);
            const field = finding.kind === 'DUPLICATE_NAME' ? 'name' : 'legalBasis';
            outcome.warnings.push(row ? problem(row, field, `${GATE_LABEL[finding.kind]}：${finding.message}（提交审核前须修改，或逐项说明理由）`) : { row: 1, column: null, message: finding.message });
          }
        }
        outcome.timings.validateMs = performance.now() - t1;
        if (outcome.errors.length || request.dryRun) {
          outcome.itemsImported = outcome.errors.length ? 0 : items.length;
          return outcome;
        }

        const t2 = performance.now();
        const draft = await this.versions.createDraft(actor, region.code, kind, request.changeReason, em, request.changeNote);
        const version = await em.getRepository(ListVersionEntity).findOneByOrFail({ id: draft.id });
        const { writes, removed } = await this.versions.replaceDraftItems(em, version, items);
        for (const w of writes) outcome[w.change === 'ADDED' ? 'added' : w.change === 'CHANGED' ? 'changed' : 'unchanged']++;
        outcome.removed = removed.length;
        outcome.itemsImported = items.length;
        await this.audit.record(em, actor, {
          action: 'importList', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
          after: {
            fileName: request.fileName, sha256: createHash('sha256').update(request.content).digest('hex'), bytes: request.content.length,
            format: file.format, encoding: file.encoding, items: items.length, added: outcome.added, changed: outcome.changed,
            unchanged: outcome.unchanged, removed, revision: version.revision,
          },
        });
        outcome.version = toVersionModel(version);
        outcome.timings.writeMs = performance.now() - t2;
        return outcome;
      });
    } catch (e) {
      translateDatabaseError(e);
    }
  }
}

/** A sheet problem whose message gets its place in front (第N行「列」：…) when the reader left it bare. */
function located(p: SheetProblem): SheetProblem {
  if (/^第\d+行/.test(p.message)) return p;
  return { ...p, message: `第${p.row}行${p.column ? `「${p.column}」` : ''}：${p.message}` };
}

/** A preparer error (field path as in saveItem) placed in the file: column by its header, element by its position. */
function fieldProblem(row: SheetItemRow, error: FieldError, problem: (row: SheetItemRow, field: SheetField, message: string) => SheetProblem): SheetProblem {
  const m = /^(\w+)(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(error.field);
  const field = (m?.[1] ?? error.field) as SheetField;
  let prefix = '';
  if (m?.[2] !== undefined) {
    const n = Number(m[2]) + 1;
    prefix = field === 'cooperating' ? `第${n}个配合部门${m[3] === 'duty' ? '的职责' : ''}：` : `第${n}项：`;
  }
  let message = error.message;
  const labels = labelsOf(field);
  if (labels.length && /无效$/.test(message)) message += `，应为：${labels.join('、')}`;
  return problem(row, field, prefix + message);
}
