import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
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
import { assignItemCodes, type ItemInForce } from '../lists/item-codes.js';
import { ListVersionEntity } from '../lists/list-version.entity.js';
import { ListVersionsService } from '../lists/list-versions.service.js';
import { GATE_LABEL, gateFindings } from '../lists/gate-findings.js';
import type { ListVersionModel } from '../lists/list.model.js';
import type { ImportLimits, SheetFile, SheetFormat } from './sheet-file.js';
import { SheetParsers } from './sheet-parsers.js';
import { SheetReadError } from './sheet-readers.js';
import { itemRows, locateHeader, sheetSection, splitTables, type SheetHeader, type SheetItemRow, type SheetProblem } from './sheet-table.js';

export interface ImportRequest {
  regionCode: string;
  kind: ListKind;
  fileName: string;
  content: Buffer;
  changeReason?: string | null;
  /** Free text beside the change reason. */
  changeNote?: string | null;
  /** Validate only: run the very same import and roll it back, reporting what it would do. */
  dryRun?: boolean;
  /** Discard the list's open (unpublished) version and put the file's draft in its place, in one transaction. */
  replaceOpenDraft?: boolean;
  /** Accept a file that removes more than half of the items in force (refused otherwise, naming the count). */
  allowMassRemoval?: boolean;
}

/** One item of the report: its code (kept, matched by name, or given by the numbering rule), its name, its row. */
export interface ImportItem {
  itemCode: string;
  name: string;
  /** Excel row of the file (null for a removed item). */
  row: number | null;
  sheet: string | null;
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
  addedItems: ImportItem[];
  changedItems: ImportItem[];
  unchangedItems: ImportItem[];
  removedItems: ImportItem[];
  /** True when nothing was kept (dry run): the report is what the import would have done. */
  dryRun: boolean;
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
      addedItems: [], changedItems: [], unchangedItems: [], removedItems: [], dryRun: !!request.dryRun,
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
    const headers = new Map<SheetItemRow, SheetHeader>();
    const multiSheet = file.grids.length > 1;
    let tablesFound = 0;
    // A sheet may hold several tables (the three parts one under the other, each with its own header).
    for (const grid of file.grids.flatMap((g) => splitTables(g, kind))) {
      const at = (p: SheetProblem) => (multiSheet ? { ...p, message: `「${grid.name}」表${p.message}` } : p);
      const section = sheetSection(grid, kind);
      const header = locateHeader(grid, kind, section);
      if (!header) {
        if (multiSheet) outcome.warnings.push({ row: 1, column: null, message: `「${grid.name}」表中未找到清单表头，已跳过该表` });
        else outcome.errors.push({ row: 1, column: null, message: `未找到表头行：前${30}行中没有“${standardHeader(kind, 'itemCode')}”“${standardHeader(kind, 'name')}”“${standardHeader(kind, 'accountableBodyName')}”等列名。请确认文件是${kind === 'POWER' ? '权力清单' : '责任清单'}，且有一行列名` });
        continue;
      }
      tablesFound++;
      outcome.errors.push(...header.problems.map((p) => at(located(p))));
      outcome.warnings.push(...header.warnings.map((p) => at(located(p))));
      const found = itemRows(grid, kind, header, section);
      outcome.errors.push(...found.problems.map((p) => at(located(p))));
      outcome.warnings.push(...found.warnings.map((p) => at(located(p))));
      for (const row of found.rows) headers.set(row, header);
      rows.push(...found.rows);
    }
    if (multiSheet && tablesFound === 0)
      outcome.errors.push({ row: 1, column: null, message: '工作簿的各个表中都未找到清单表头（事项编码、事项名称、责任主体等列名）' });
    if (!outcome.errors.length && rows.length === 0) outcome.errors.push({ row: 1, column: null, message: '文件中没有任何事项行' });
    outcome.timings.readMs = performance.now() - t0;
    if (outcome.errors.length) return outcome;

    const columnOf = (row: SheetItemRow, field: SheetField) =>
      headers.get(row)?.columns.find((c) => c.field === field)?.header ?? standardHeader(kind, field);
    const where = (row: SheetItemRow) => (multiSheet ? `「${row.sheet}」表第${row.row}行` : `第${row.row}行`);
    const problem = (row: SheetItemRow, field: SheetField, message: string): SheetProblem => {
      const column = columnOf(row, field);
      return { row: row.row, column, message: `${where(row)}「${column}」：${message}` };
    };

    const t1 = performance.now();
    try {
      return await this.dataSource.transaction(async (em) => {
        // Rows without 事项编码 take the code of the item in force of the same name, or a new one.
        if (rows.some((r) => !r.input.itemCode)) {
          const known = await this.listCodes(em, region.code, kind);
          const assigned = assignItemCodes(
            region.code,
            rows.map((r) => ({ name: r.input.name ?? '', part: ((kind === 'POWER' ? r.input.category : r.input.section) as string | null) ?? null, itemCode: r.input.itemCode || null, where: where(r) })),
            known.inForce,
            known.everUsed,
          );
          assigned.codes.forEach((code, i) => {
            if (code && !rows[i].input.itemCode) rows[i].input.itemCode = code;
          });
          for (const p of assigned.problems) (p.level === 'error' ? outcome.errors : outcome.warnings).push(problem(rows[p.index], 'name', p.message));
          if (outcome.errors.length) return outcome;
        }

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

        const prepared = await this.preparer.prepare(rows.map((r) => r.input), { kind, regionCode: region.code }, todayInChina(), em);
        const items: PreparedItem[] = [];
        const itemRowsOf: SheetItemRow[] = [];
        prepared.forEach((result, i) => {
          const row = rows[i];
          if (result.ok) items.push(result.item), itemRowsOf.push(row);
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
        if (outcome.errors.length) return outcome;

        const t2 = performance.now();
        // An open version: replaced when asked (discarded in this transaction), else createDraft says CONFLICT.
        if (request.replaceOpenDraft) {
          const open = await this.versions.openVersion(em, region.code, kind);
          if (open) await this.versions.discardLocked(em, actor, open, `以导入文件“${request.fileName}”替换`);
        }
        const draft = await this.versions.createDraft(actor, region.code, kind, request.changeReason, em, request.changeNote);
        const version = await em.getRepository(ListVersionEntity).findOneByOrFail({ id: draft.id });
        const { writes, removed } = await this.versions.replaceDraftItems(em, version, items);
        writes.forEach((w, i) => {
          const item: ImportItem = { itemCode: items[i].itemCode, name: items[i].name, row: itemRowsOf[i].row, sheet: multiSheet ? itemRowsOf[i].sheet : null };
          (w.change === 'ADDED' ? outcome.addedItems : w.change === 'CHANGED' ? outcome.changedItems : outcome.unchangedItems).push(item);
        });
        outcome.added = outcome.addedItems.length;
        outcome.changed = outcome.changedItems.length;
        outcome.unchanged = outcome.unchangedItems.length;
        outcome.removed = removed.length;
        outcome.removedItems = await this.namesInForce(em, version.listId, removed);
        outcome.itemsImported = items.length;

        // A file that drops more than half of the list in force is most likely a partial file.
        const inForce = outcome.changed + outcome.unchanged + outcome.removed;
        if (inForce > 0 && outcome.removed * 2 > inForce) {
          const message = `本次导入将删除现行清单${inForce}项中的${outcome.removed}项（超过一半）。如文件只含部分事项，请导入完整清单；确需删除，请勾选“允许大量删除”（allowMassRemoval）后重新导入`;
          if (request.allowMassRemoval) outcome.warnings.push({ row: 1, column: null, message });
          else outcome.errors.push({ row: 1, column: null, message });
        }
        if (outcome.errors.length) throw new RolledBack(outcome);

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
        // The dry run is the same import, rolled back: what it reports is what the import would do.
        if (request.dryRun) throw new RolledBack(outcome);
        return outcome;
      });
    } catch (e) {
      if (e instanceof RolledBack) {
        if (e.outcome.errors.length) e.outcome.itemsImported = 0;
        e.outcome.version = null;
        return e.outcome;
      }
      translateDatabaseError(e);
    }
  }

  /** The list's items in force (code, name, part) and every code it ever had (removed items' too). */
  private async listCodes(em: EntityManager, regionCode: string, kind: ListKind): Promise<{ inForce: ItemInForce[]; everUsed: string[] }> {
    const part = kind === 'POWER' ? 'category' : 'section';
    const rows: { item_code: string; name: string; part: string | null; in_force: boolean }[] = await em.query(
      `SELECT i.item_code, i.name, i.${part} AS part, (NOT i.pending AND i.to_version IS NULL) AS in_force
       FROM list_item i JOIN duty_list l ON l.id = i.list_id WHERE l.region_code = $1 AND l.kind = $2`,
      [regionCode, kind],
    );
    return {
      inForce: rows.filter((r) => r.in_force).map((r) => ({ itemCode: r.item_code, name: r.name, part: r.part })),
      everUsed: [...new Set(rows.map((r) => r.item_code))],
    };
  }

  /** Codes and names of items in force (the items a draft removes). */
  private async namesInForce(em: EntityManager, listId: string, codes: string[]): Promise<ImportItem[]> {
    if (!codes.length) return [];
    const rows: { item_code: string; name: string }[] = await em.query(
      'SELECT item_code, name FROM list_item WHERE list_id = $1 AND item_code = ANY($2::text[]) AND NOT pending AND to_version IS NULL ORDER BY item_code',
      [listId, codes],
    );
    return rows.map((r) => ({ itemCode: r.item_code, name: r.name, row: null, sheet: null }));
  }
}

/** Ends the import's transaction without keeping anything (a dry run, or a refusal found after writing). */
class RolledBack extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('rolled back');
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
