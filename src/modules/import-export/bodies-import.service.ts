import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { coversRegion, requireRole, scopeWords, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { DomainError } from '../../common/domain-error.js';
import { normalizeName } from '../../common/text-input.js';
import { translateDatabaseError } from '../../database/database-errors.js';
import { AuditService } from '../audit/audit.service.js';
import { BodiesService, checkName } from '../bodies/bodies.service.js';
import { BODY_KINDS, type BodyKind } from '../bodies/body.entity.js';
import type { BodyModel } from '../bodies/body.model.js';
import { countyOf } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import { ImportService } from './import.service.js';
import { SheetParsers } from './sheet-parsers.js';
import { SheetReadError, type SheetGrid } from './sheet-readers.js';
import type { SheetProblem } from './sheet-table.js';

/** The columns of a bodies file: standard header first, then the names real catalogues use (compared without spaces). */
export const BODY_COLUMNS = {
  name: ['主体名称', '名称', '单位名称', '机构名称', '部门名称'],
  kind: ['主体类型', '类型', '机构类型', '单位类型'],
  regionCode: ['区划代码', '行政区划代码', '区划', '所在区划代码'],
  aliases: ['别名', '曾用名', '简称', '其他名称'],
} as const;
type BodyColumn = keyof typeof BODY_COLUMNS;

const ALIAS_SPLIT = /[、,，;；\n]+/;

export interface BodyImportRequest {
  fileName: string;
  content: Buffer;
  dryRun?: boolean;
}

export interface BodyImportOutcome {
  /** Bodies the file adds (a dry run: would add). */
  created: number;
  /** Rows naming a body that already exists with the same kind and region (nothing written for it). */
  unchanged: number;
  aliasesAdded: number;
  errors: SheetProblem[];
  warnings: SheetProblem[];
  /** The bodies created (empty for a dry run or with errors). */
  bodies: BodyModel[];
}

interface BodyRow {
  row: number;
  name: string;
  kind: BodyKind;
  regionCode: string;
  aliases: string[];
}

/**
 * `importBodies` / `bodies:import`: a county's catalogue of bodies from a .csv or .xlsx (主体名称,
 * 主体类型, 区划代码, optional 别名), read by the same readers and under the same limits as list
 * imports; all or nothing, every bad row reported by row and column. A row naming a body that
 * exists with the same kind and region is left as it is (its new aliases are added), so a county can
 * import its whole catalogue again.
 */
@Injectable()
export class BodiesImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly parsers: SheetParsers,
    private readonly imports: ImportService,
    private readonly bodies: BodiesService,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  async importBodies(actor: Actor, request: BodyImportRequest): Promise<BodyImportOutcome> {
    requireRole(actor, Permission.MANAGE_COUNTY_BODIES);
    const outcome: BodyImportOutcome = { created: 0, unchanged: 0, aliasesAdded: 0, errors: [], warnings: [], bodies: [] };
    let grids: SheetGrid[];
    try {
      grids = (await this.parsers.parse(request.fileName, request.content, this.imports.limits)).grids;
    } catch (e) {
      if (!(e instanceof SheetReadError)) throw e;
      outcome.errors.push({ row: e.row ?? 1, column: null, message: `第${e.row ?? 1}行：${e.message}` });
      return outcome;
    }
    const rows = this.readRows(grids, outcome);
    if (!rows.length && !outcome.errors.length) {
      outcome.errors.push({ row: 1, column: null, message: '文件中没有任何主体行' });
      return outcome;
    }
    const at = (r: { row: number }, column: BodyColumn, message: string): SheetProblem => ({
      row: r.row, column: BODY_COLUMNS[column][0], message: `第${r.row}行「${BODY_COLUMNS[column][0]}」：${message}`,
    });

    // Regions: known, and in the actor's scope.
    const codes = [...new Set(rows.map((r) => r.regionCode))];
    const known: { code: string; name: string }[] = await this.dataSource.query('SELECT code, name FROM region WHERE code = ANY($1::text[])', [codes]);
    const regionName = new Map(known.map((r) => [r.code, r.name]));
    for (const r of rows) {
      if (!r.regionCode) continue; // already reported
      if (!regionName.has(r.regionCode)) outcome.errors.push(at(r, 'regionCode', `区划代码“${r.regionCode}”不存在`));
      else if (!coversRegion(actor, r.regionCode)) outcome.errors.push(at(r, 'regionCode', `“${regionName.get(r.regionCode)}”（${r.regionCode}）不在${scopeWords(actor)} 内`));
    }
    // Names and aliases: one each per county within the file.
    const firstOf = new Map<string, { row: number; what: string }>();
    for (const r of rows) {
      if (!r.name || !r.regionCode) continue;
      for (const [n, column] of [[r.name, 'name'], ...r.aliases.map((a) => [a, 'aliases'])] as [string, BodyColumn][]) {
        const key = `${countyOf(r.regionCode)}|${normalizeName(n)}`;
        const first = firstOf.get(key);
        if (first && first.row !== r.row) outcome.errors.push(at(r, column, `“${n}”与第${first.row}行的${first.what}重复`));
        else if (!first) firstOf.set(key, { row: r.row, what: column === 'name' ? '主体名称' : '别名' });
      }
    }
    if (outcome.errors.length) return outcome;

    try {
      return await this.dataSource.transaction(async (em) => {
        for (const r of rows) {
          const county = countyOf(r.regionCode);
          const existing = (await this.bodies.findByNames(county, [r.name], em)).get(normalizeName(r.name));
          let bodyId: string | null = null;
          if (existing && normalizeName(existing.name) !== normalizeName(r.name)) {
            // The name is an alias of a body, or the name of a body merged into another.
            outcome.errors.push(at(r, 'name', `“${r.name}”已是本县主体“${existing.name}”的别名或被合并的名称`));
            continue;
          }
          if (existing) {
            if (existing.kind !== r.kind || existing.regionCode !== r.regionCode) {
              outcome.errors.push(at(r, 'name', `本县已有主体“${existing.name}”（${existing.kind}，${existing.regionCode}），与本行的类型或区划不同`));
              continue;
            }
            outcome.unchanged++;
            bodyId = existing.id;
          } else {
            try {
              const created = await this.bodies.createBody(actor, r.name, r.kind, r.regionCode, em);
              outcome.created++;
              outcome.bodies.push(created);
              bodyId = created.id;
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
              outcome.errors.push(at(r, 'name', e.message));
              continue;
            }
          }
          const have = new Set((await em.query('SELECT alias FROM body_alias WHERE body_id = $1', [bodyId])).map((a: { alias: string }) => normalizeName(a.alias)));
          for (const alias of r.aliases) {
            if (have.has(normalizeName(alias))) continue;
            try {
              await this.bodies.addBodyAlias(actor, bodyId!, alias, em);
              outcome.aliasesAdded++;
            } catch (e) {
              if (!(e instanceof DomainError)) throw e;
              outcome.errors.push(at(r, 'aliases', e.message));
            }
          }
        }
        // All or nothing: any error, or a dry run, undoes every write of the transaction.
        if (outcome.errors.length || request.dryRun) {
          outcome.bodies = [];
          if (outcome.errors.length) Object.assign(outcome, { created: 0, unchanged: 0, aliasesAdded: 0 });
          throw new Rollback();
        }
        await this.audit.record(em, actor, {
          action: 'importBodies', entityType: 'BodyImport', entityId: createHash('sha256').update(request.content).digest('hex'),
          regionCode: actor.regionCode ?? countyOf(rows[0].regionCode),
          after: { fileName: request.fileName, bytes: request.content.length, created: outcome.created, unchanged: outcome.unchanged, aliasesAdded: outcome.aliasesAdded },
        });
        return outcome;
      });
    } catch (e) {
      if (e instanceof Rollback) return outcome;
      translateDatabaseError(e);
    }
  }

  /** The rows of every sheet that has a header with 主体名称, 主体类型 and 区划代码 (within its first 30 rows). */
  private readRows(grids: SheetGrid[], outcome: BodyImportOutcome): BodyRow[] {
    const rows: BodyRow[] = [];
    let headers = 0;
    for (const grid of grids) {
      const plain = (s: string) => s.replace(/\s+/g, '');
      const headerRow = grid.rows.slice(0, 30).find((r) => r.cells.some((c) => (BODY_COLUMNS.name as readonly string[]).includes(plain(c))));
      if (!headerRow) continue;
      headers++;
      const index = {} as Record<BodyColumn, number>;
      for (const column of Object.keys(BODY_COLUMNS) as BodyColumn[])
        index[column] = headerRow.cells.findIndex((c) => (BODY_COLUMNS[column] as readonly string[]).includes(plain(c)));
      const missing = (['kind', 'regionCode'] as const).filter((c) => index[c] < 0);
      if (missing.length) {
        outcome.errors.push({ row: headerRow.number, column: null, message: `第${headerRow.number}行：表头缺少${missing.map((c) => `“${BODY_COLUMNS[c][0]}”`).join('、')}列` });
        continue;
      }
      const sheet = grids.length > 1 && grid.name ? `「${grid.name}」表` : '';
      for (const r of grid.rows.filter((x) => x.number > headerRow.number)) {
        const cell = (c: BodyColumn) => (index[c] >= 0 ? (r.cells[index[c]] ?? '').trim() : '');
        if (!cell('name') && !cell('kind') && !cell('regionCode') && !cell('aliases')) continue;
        const problem = (column: BodyColumn, message: string) =>
          outcome.errors.push({ row: r.number, column: BODY_COLUMNS[column][0], message: `${sheet}第${r.number}行「${BODY_COLUMNS[column][0]}」：${message}` });
        let name = '';
        try {
          name = checkName(cell('name'));
        } catch (e) {
          problem('name', (e as Error).message);
        }
        const kind = cell('kind');
        if (!BODY_KINDS.includes(kind as BodyKind)) problem('kind', `“${kind}”无效，应为：${BODY_KINDS.join('、')}`);
        let regionCode = '';
        try {
          regionCode = this.regions.parseCode(cell('regionCode'), 'regionCode');
        } catch (e) {
          problem('regionCode', (e as Error).message);
        }
        const aliases: string[] = [];
        for (const a of cell('aliases').split(ALIAS_SPLIT).map((x) => x.trim()).filter(Boolean)) {
          try {
            const clean = checkName(a, 'alias', '别名');
            if (normalizeName(clean) !== normalizeName(name) && !aliases.some((x) => normalizeName(x) === normalizeName(clean))) aliases.push(clean);
          } catch (e) {
            problem('aliases', (e as Error).message);
          }
        }
        rows.push({ row: r.number, name, kind: kind as BodyKind, regionCode, aliases });
      }
    }
    if (!headers) outcome.errors.push({ row: 1, column: null, message: `未找到表头行：前30行中没有“主体名称”“主体类型”“区划代码”等列名` });
    return rows;
  }
}

/** Ends the transaction without its writes (a dry run, or a file with errors). */
class Rollback extends Error {}
