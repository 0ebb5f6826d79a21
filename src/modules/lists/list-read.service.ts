import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { ANONYMOUS, can, coversRegion, type Actor } from '../../auth/actor.js';
import { regionCodeRange } from '../regions/region-code.js';
import { Permission } from '../../auth/permissions.js';
import { badInput } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { ReadCache } from '../../common/read-cache.js';
import { RegionsService } from '../regions/regions.service.js';
import type { ListKind } from './duty-list.entity.js';
import { BodiesService } from '../bodies/bodies.service.js';
import { bodyIdsOf, describeContent } from './item-fields.js';
import { ItemRepository, type ItemFilter } from './item.repository.js';
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
    private readonly bodies: BodiesService,
    private readonly items: ItemRepository,
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

  /**
   * Every version the reader may see of the lists within a region (a county: all its townships), one
   * statement, by township, kind and number (newest first): the console's dashboard.
   */
  async versionsWithin(scope: ReadScope, regionCode: string): Promise<ListVersionModel[]> {
    const [low, high] = regionCodeRange(this.regions.parseCode(regionCode, 'regionCode'));
    const rows = await this.dataSource
      .getRepository(ListVersionEntity)
      .createQueryBuilder('v')
      .where('v.region_code BETWEEN :low AND :high', { low, high })
      .orderBy('v.region_code')
      .addOrderBy('v.kind')
      .addOrderBy('v.number', 'DESC')
      .getMany();
    return rows.filter((v) => this.canSee(scope, v)).map(toVersionModel);
  }

  /** The counties that have lists (the dashboard of a user without a region: the administrator). */
  async countiesWithLists(): Promise<string[]> {
    const rows: { county_code: string }[] = await this.dataSource.query('SELECT DISTINCT county_code FROM duty_list ORDER BY county_code');
    return rows.map((r) => r.county_code);
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

  /** One page of a version's items (the caller has seen the version), ordered by itemCode, with the total. */
  itemsPage(v: ListVersionModel, filter: ItemFilter, maxPage?: number): Promise<ListItemConnectionModel> {
    return this.items.itemsPage(v, filter, maxPage);
  }

  /** All items of a version (the caller has seen the version), ordered by itemCode. */
  allItems(v: ListVersionModel): Promise<ListItemModel[]> {
    return this.items.allItems(v);
  }

  /** Citations per item id; an item row's citations never change (see ReadCache), so they are kept across requests. */
  createCitationLoader(): DataLoader<string, CitationModel[]> {
    return new DataLoader(async (ids) => {
      const known = ids.map((id) => this.readCache.peek<CitationModel[]>('citations', id));
      const missing = ids.filter((_, i) => known[i] === undefined);
      const byItem = missing.length ? await this.items.citationsOf(missing) : new Map<string, CitationModel[]>();
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
    const citations = await this.items.citationsOf([...new Set(touched.map((i) => i.id))]);
    const bodyNames = await this.bodies.namesOf(bodyIdsOf(touched));
    const describe = (i: ListItemModel) => describeContent(i, bodyNames, { citations: citations.get(i.id) ?? [] });

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
}

function fieldChanges(before: Record<string, string | null>, after: Record<string, string | null>) {
  const fields = Object.keys({ ...before, ...after });
  return fields
    .filter((f) => (before[f] ?? null) !== (after[f] ?? null))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}
