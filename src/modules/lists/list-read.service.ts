import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, EntityManager } from 'typeorm';
import { ANONYMOUS, can, coversRegion, type Actor } from '../../auth/actor.js';
import { regionCodeRange } from '../regions/region-code.js';
import { Permission } from '../../auth/permissions.js';
import { badInput } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { ReadCache } from '../../common/read-cache.js';
import { RegionsService } from '../regions/regions.service.js';
import type { ListKind } from './duty-list.entity.js';
import type { ListSection, PowerCategory } from './list-item.entity.js';
import { ListVersionEntity, PUBLISHED_STATUSES } from './list-version.entity.js';
import type { CitationModel, ItemChangeModel, ListItemConnectionModel, ListItemModel, ListVersionModel, VersionDiffModel } from './list.model.js';

/** Who reads, and whether only published data may be shown (always so on the public endpoint). */
export interface ReadScope {
  actor: Actor;
  publishedOnly: boolean;
}

export const PUBLIC_SCOPE: ReadScope = Object.freeze({ actor: ANONYMOUS, publishedOnly: true });
export const readScopeFor = (endpoint: 'public' | 'admin', actor: Actor): ReadScope =>
  endpoint === 'public' ? PUBLIC_SCOPE : { actor, publishedOnly: !can(actor, Permission.READ_DRAFTS) };

export const toVersionModel = (v: ListVersionEntity): ListVersionModel => ({ ...v });

export interface ItemFilter {
  first?: number | null;
  after?: string | null;
  section?: ListSection | null;
  category?: PowerCategory | null;
}

const ITEM_COLUMNS = `i.id, i.item_code, i.name, i.description, i.sub_item, i.handling_unit, i.section, i.category, i.source,
  i.accountable_body_id, i.township_role, i.township_duty, i.village_duty, i.cooperating, i.legal_basis,
  i.staged_duties, i.accountability_circumstances, i.exemptions, i.keywords`;

export function itemRowToModel(r: Record<string, any>): ListItemModel {
  return {
    id: r.id,
    itemCode: r.item_code,
    name: r.name,
    description: r.description,
    subItem: r.sub_item,
    handlingUnit: r.handling_unit,
    section: r.section,
    category: r.category,
    source: r.source,
    accountableBodyId: r.accountable_body_id,
    townshipRole: r.township_role,
    townshipDuty: r.township_duty,
    villageDuty: r.village_duty,
    cooperating: (r.cooperating ?? []).map((c: { bodyId: string; duty: string }) => ({ bodyId: c.bodyId, duty: c.duty })),
    legalBasis: r.legal_basis,
    stagedDuties: r.staged_duties ?? [],
    accountabilityCircumstances: r.accountability_circumstances ?? [],
    exemptions: r.exemptions ?? [],
    keywords: r.keywords ?? [],
  };
}

/**
 * The SQL condition for "the items of version v" over the temporal rows: for a published
 * version one range condition; for an open version, the rows in force overlaid by its pending rows.
 */
export function itemsOfVersionCondition(v: Pick<ListVersionModel, 'listId' | 'number' | 'status'>): { sql: string; params: unknown[] } {
  const [list, num] = ['$1', '$2'];
  if (PUBLISHED_STATUSES.includes(v.status)) {
    return {
      sql: `i.list_id = ${list} AND NOT i.pending AND i.from_version <= ${num} AND (i.to_version IS NULL OR i.to_version > ${num})`,
      params: [v.listId, v.number],
    };
  }
  return {
    sql: `i.list_id = ${list} AND NOT i.removed AND (
      (i.pending AND i.from_version = ${num})
      OR (NOT i.pending AND i.to_version IS NULL AND NOT EXISTS (
        SELECT 1 FROM list_item o WHERE o.list_id = i.list_id AND o.item_code = i.item_code AND o.pending AND o.from_version = ${num})))`,
    params: [v.listId, v.number],
  };
}

/** `first` of items when none is given, and the largest a caller may ask for (the API passes its endpoint's cap, PAGE_MAX_*). */
export const DEFAULT_ITEMS_PAGE = 100;
const MAX_PAGE = 1000;

/** The items of a version narrowed by section and category, as a WHERE clause and its parameters. */
function filteredItems(v: ListVersionModel, filter: ItemFilter): { where: string; params: unknown[] } {
  const cond = itemsOfVersionCondition(v);
  const params = [...cond.params];
  const where = [cond.sql];
  if (filter.section) where.push(`i.section = $${params.push(filter.section)}`);
  if (filter.category) where.push(`i.category = $${params.push(filter.category)}`);
  return { where: where.join(' AND '), params };
}

/**
 * Every read of lists goes through here; this is the one place that decides what a caller may
 * see: the public, and roles without READ_DRAFTS, see PUBLISHED and SUPERSEDED versions only;
 * drafts are visible inside the reader's region scope.
 */
@Injectable()
export class ListReadService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly readCache: ReadCache,
  ) {}

  canSee(scope: ReadScope, v: Pick<ListVersionModel, 'status' | 'regionCode'>): boolean {
    if (PUBLISHED_STATUSES.includes(v.status)) return true;
    return !scope.publishedOnly && coversRegion(scope.actor, v.regionCode);
  }

  async findVersion(scope: ReadScope, id: string): Promise<ListVersionModel | null> {
    if (!isUuid(id)) return null;
    const v = await this.dataSource.getRepository(ListVersionEntity).findOneBy({ id });
    return v && this.canSee(scope, v) ? toVersionModel(v) : null;
  }

  async versionInForce(scope: ReadScope, regionInput: string, kind: ListKind, asOf: string, cached = true): Promise<ListVersionModel | null> {
    if (cached && scope === PUBLIC_SCOPE)
      return this.readCache.get('inForce', `${regionInput}|${kind}|${asOf}`, () => this.versionInForce(scope, regionInput, kind, asOf, false));
    const regionCode = this.regions.parseCode(regionInput, 'regionCode');
    const v = await this.dataSource
      .getRepository(ListVersionEntity)
      .createQueryBuilder('v')
      .where('v.region_code = :regionCode AND v.kind = :kind AND v.status IN (:...published)', { regionCode, kind, published: PUBLISHED_STATUSES })
      .andWhere('v.effective_from <= :asOf AND (v.effective_to IS NULL OR v.effective_to > :asOf)', { asOf })
      .getOne();
    return v && this.canSee(scope, v) ? toVersionModel(v) : null;
  }

  /** The versions in force on `asOf` in a township, or in every township of a county. */
  async versionsInForceWithin(scope: ReadScope, regionCode: string, asOf: string, cached = true): Promise<ListVersionModel[]> {
    if (cached && scope === PUBLIC_SCOPE)
      return this.readCache.get('inForce', `${regionCode}|*|${asOf}`, () => this.versionsInForceWithin(scope, regionCode, asOf, false));
    const [low, high] = regionCodeRange(regionCode);
    const rows = await this.dataSource
      .getRepository(ListVersionEntity)
      .createQueryBuilder('v')
      .where('v.region_code BETWEEN :low AND :high', { low, high })
      .andWhere('v.status IN (:...published)', { published: PUBLISHED_STATUSES })
      .andWhere('v.effective_from <= :asOf AND (v.effective_to IS NULL OR v.effective_to > :asOf)', { asOf })
      .getMany();
    return rows.filter((v) => this.canSee(scope, v)).map(toVersionModel);
  }

  /** History, newest first. */
  async listVersions(scope: ReadScope, regionInput: string, kind: ListKind): Promise<ListVersionModel[]> {
    const regionCode = this.regions.parseCode(regionInput, 'regionCode');
    const rows = await this.dataSource
      .getRepository(ListVersionEntity)
      .createQueryBuilder('v')
      .where('v.region_code = :regionCode AND v.kind = :kind', { regionCode, kind })
      .orderBy('v.number', 'DESC')
      .getMany();
    return rows.filter((v) => this.canSee(scope, v)).map(toVersionModel);
  }

  /** One page of a version's items, ordered by itemCode, with the total, in one statement. */
  async itemsPage(v: ListVersionModel, filter: ItemFilter, maxPage = MAX_PAGE): Promise<ListItemConnectionModel> {
    const first = filter.first ?? Math.min(DEFAULT_ITEMS_PAGE, maxPage);
    if (!Number.isInteger(first) || first < 0 || first > maxPage) throw badInput('first', `first 应为0至${maxPage}之间的整数`, { max: maxPage });
    const after = filter.after ? decodeCursor(filter.after) : null;
    const { where, params } = filteredItems(v, filter);
    const afterSql = after === null ? '' : `WHERE t.item_code > $${params.push(after)}`;
    const rows: Record<string, any>[] = await this.dataSource.query(
      `SELECT * FROM (SELECT ${ITEM_COLUMNS}, count(*) OVER () AS total FROM list_item i WHERE ${where}) t
       ${afterSql} ORDER BY t.item_code LIMIT $${params.push(first + 1)}`,
      params,
    );
    const page = rows.slice(0, first);
    let totalCount = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && after !== null) totalCount = await this.countItems(v, filter);
    return {
      edges: page.map((r) => ({ cursor: encodeCursor(r.item_code), node: itemRowToModel(r) })),
      pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeCursor(page[page.length - 1].item_code) : null },
      totalCount,
    };
  }

  private async countItems(v: ListVersionModel, filter: ItemFilter): Promise<number> {
    const { where, params } = filteredItems(v, filter);
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM list_item i WHERE ${where}`, params);
    return row.n;
  }

  /** All items of a version (diff, export), ordered by itemCode. */
  async allItems(v: Pick<ListVersionModel, 'listId' | 'number' | 'status'>, em?: EntityManager): Promise<ListItemModel[]> {
    const cond = itemsOfVersionCondition(v);
    const rows = await (em ?? this.dataSource.manager).query(
      `SELECT ${ITEM_COLUMNS} FROM list_item i WHERE ${cond.sql} ORDER BY i.item_code`,
      cond.params,
    );
    return rows.map(itemRowToModel);
  }

  /** Citations of many items at once, with the provision text where the catalogue has it. */
  async citationsOf(itemIds: readonly string[], em?: EntityManager): Promise<Map<string, CitationModel[]>> {
    const rows: Record<string, any>[] = itemIds.length
      ? await (em ?? this.dataSource.manager).query(
          `SELECT c.item_id, c.raw, c.instrument_title, c.article, c.paragraph, c.item, c.label, c.resolved, c.provision_id, p.text
           FROM item_citation c LEFT JOIN provision p ON p.id = c.provision_id
           WHERE c.item_id = ANY($1::uuid[]) ORDER BY c.item_id, c.ordinal`,
          [[...itemIds]],
        )
      : [];
    const byItem = new Map<string, CitationModel[]>(itemIds.map((id) => [id, []]));
    for (const r of rows) {
      byItem.get(r.item_id)!.push({
        raw: r.raw,
        instrumentTitle: r.instrument_title,
        article: r.article,
        paragraph: r.paragraph,
        item: r.item,
        label: r.label,
        resolved: r.resolved,
        provisionId: r.provision_id,
        text: r.text,
      });
    }
    return byItem;
  }

  /** Citations per item id; an item row's citations never change (see ReadCache), so they are kept across requests. */
  createCitationLoader(): DataLoader<string, CitationModel[]> {
    return new DataLoader(async (ids) => {
      const known = ids.map((id) => this.readCache.peek<CitationModel[]>('citations', id));
      const missing = ids.filter((_, i) => known[i] === undefined);
      const byItem = missing.length ? await this.citationsOf(missing) : new Map<string, CitationModel[]>();
      for (const id of missing) this.readCache.set('citations', id, byItem.get(id) ?? []);
      return ids.map((id, i) => known[i] ?? byItem.get(id) ?? []);
    });
  }

  createVersionLoader(scope: ReadScope): DataLoader<string, ListVersionModel | null> {
    return new DataLoader(async (ids) => {
      const rows = await this.dataSource.getRepository(ListVersionEntity).createQueryBuilder('v').where('v.id IN (:...ids)', { ids: [...ids] }).getMany();
      const byId = new Map(rows.filter((v) => this.canSee(scope, v)).map((v) => [v.id, toVersionModel(v)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /** What changed from one version of a list to another, item by item and field by field. */
  async diff(scope: ReadScope, fromId: string, toId: string): Promise<VersionDiffModel> {
    const [from, to] = await Promise.all([this.findVersion(scope, fromId), this.findVersion(scope, toId)]);
    if (!from) throw badInput('fromVersionId', '未找到起始版本');
    if (!to) throw badInput('toVersionId', '未找到目标版本');
    if (from.listId !== to.listId) throw badInput('toVersionId', '两个版本不属于同一份清单，无法比较');
    const [before, after] = await Promise.all([this.allItems(from), this.allItems(to)]);
    const beforeByCode = new Map(before.map((i) => [i.itemCode, i]));
    const afterByCode = new Map(after.map((i) => [i.itemCode, i]));
    // Rows shared by both versions are the same row: unchanged without looking further.
    const touched = [...before, ...after].filter((i) => beforeByCode.get(i.itemCode)?.id !== afterByCode.get(i.itemCode)?.id);
    const citations = await this.citationsOf([...new Set(touched.map((i) => i.id))]);
    const bodyIds = new Set(touched.flatMap((i) => [i.accountableBodyId, ...i.cooperating.map((c) => c.bodyId)]));
    const bodyNames = await this.bodyNames([...bodyIds]);
    const describe = (i: ListItemModel) => describeItem(i, citations.get(i.id) ?? [], bodyNames);

    const changes: ItemChangeModel[] = [];
    const codes = [...new Set([...beforeByCode.keys(), ...afterByCode.keys()])].sort();
    for (const code of codes) {
      const b = beforeByCode.get(code);
      const a = afterByCode.get(code);
      if (b && a && b.id === a.id) continue;
      if (!b) changes.push({ itemCode: code, name: a!.name, change: 'ADDED', fields: fieldChanges({}, describe(a!)) });
      else if (!a) changes.push({ itemCode: code, name: b.name, change: 'REMOVED', fields: fieldChanges(describe(b), {}) });
      else {
        const fields = fieldChanges(describe(b), describe(a));
        if (fields.length) changes.push({ itemCode: code, name: a.name, change: 'CHANGED', fields });
      }
    }
    return { from, to, changes };
  }

  private async bodyNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await this.dataSource.query('SELECT id, name FROM body WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/** An item as comparable text per field; citations by their parsed form, bodies by name. */
function describeItem(i: ListItemModel, citations: CitationModel[], bodyNames: Map<string, string>): Record<string, string | null> {
  const list = (xs: string[]) => (xs.length ? xs.join('；') : null);
  return {
    name: i.name,
    description: i.description,
    subItem: i.subItem,
    handlingUnit: i.handlingUnit,
    section: i.section,
    category: i.category,
    source: i.source,
    accountableBody: bodyNames.get(i.accountableBodyId) ?? i.accountableBodyId,
    townshipRole: i.townshipRole,
    townshipDuty: i.townshipDuty,
    villageDuty: i.villageDuty,
    cooperating: list(i.cooperating.map((c) => `${bodyNames.get(c.bodyId) ?? c.bodyId}：${c.duty}`)),
    citations: list(citations.map((c) => (c.resolved || c.instrumentTitle ? c.label : `raw:${c.raw}`))),
    stagedDuties: list(i.stagedDuties),
    accountabilityCircumstances: list(i.accountabilityCircumstances),
    exemptions: list(i.exemptions),
    keywords: list(i.keywords),
  };
}

function fieldChanges(before: Record<string, string | null>, after: Record<string, string | null>) {
  const fields = Object.keys({ ...before, ...after });
  return fields
    .filter((f) => (before[f] ?? null) !== (after[f] ?? null))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

const encodeCursor = (itemCode: string) => Buffer.from(itemCode, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!code || code.length > 64) throw badInput('after', '分页游标无效');
  return code;
}
