import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { ANONYMOUS, can, coversRegion, type Actor } from '../../auth/actor.js';
import { regionCodeRange } from '../regions/region-code.js';
import { Permission } from '../../auth/permissions.js';
import { badInput } from '../../common/domain-error.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { isUuid } from '../../common/ids.js';
import { ReadCache } from '../../common/read-cache.js';
import { RegionsService } from '../regions/regions.service.js';
import type { ListKind } from './duty-list.entity.js';
import { BodiesService } from '../bodies/bodies.service.js';
import { canonicalJson } from '../audit/audit-chain.js';
import { bodyIdsOf, contentToRecord, describeContent } from './item-fields.js';
import { ITEM_COLUMNS, itemRowToModel, ItemRepository, type ItemFilter } from './item.repository.js';
import { ListVersionEntity, PUBLISHED_STATUSES } from './list-version.entity.js';
import type { CitationModel, ItemChangeModel, ItemHistoryModel, ListItemConnectionModel, ListItemModel, ListVersionModel, VersionDiffModel } from './list.model.js';

/** Who reads, and whether only published data may be shown (always so on the public endpoint). */
export interface ReadScope {
  actor: Actor;
  publishedOnly: boolean;
}

export const PUBLIC_SCOPE: ReadScope = Object.freeze({ actor: ANONYMOUS, publishedOnly: true });
export const readScopeFor = (endpoint: 'public' | 'admin', actor: Actor): ReadScope =>
  endpoint === 'public' ? PUBLIC_SCOPE : { actor, publishedOnly: !can(actor, Permission.READ_DRAFTS) };

/** A version as the API shows it; a correction was published after the day it took effect (China's calendar). */
export const toVersionModel = (v: ListVersionEntity): ListVersionModel => ({
  ...v,
  basedOn: undefined, // resolved by its field resolver, under the reader's scope
  approvedEffectiveFrom: v.approvedEffectiveFrom ?? null,
  publishedAt: v.publishedAt ?? null,
  correction: !!(v.publishedAt && v.effectiveFrom && todayInChina(new Date(v.publishedAt)) > v.effectiveFrom),
});

/**
 * Bitemporal reads: `asOf` is valid time (the day a list is in force), `knownAt` transaction time
 * (what the registry had published by then). A version is known from its publication; its end of
 * validity is known from its successor's publication, and until then it was shown as in force.
 * Versions are published one after another with rising start dates (publishVersion), so the
 * version in force on `asOf` as known at `knownAt` is the one published by then whose start is
 * the latest not after `asOf`. A version published before the publication time was recorded
 * (none since the HonestTime migration) counts as known from the start.
 */
const KNOWN = `v.status IN (:...published) AND (v.published_at IS NULL OR v.published_at <= :knownAt)`;
const IN_FORCE_KNOWN = `v.effective_from <= :asOf AND (v.effective_to IS NULL OR v.effective_to > :asOf OR s.published_at > :knownAt)`;

/** The version as the registry showed it at `knownAt`: still in force if its successor was not yet published. */
function asKnownAt(v: ListVersionEntity, successorPublishedAt: Date | string | null, knownAt: Date): ListVersionEntity {
  if (v.effectiveTo && successorPublishedAt && new Date(successorPublishedAt) > knownAt) return { ...v, status: 'PUBLISHED', effectiveTo: null };
  return v;
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

  /** Version `number` of a list, if the reader may see it. */
  async versionByNumber(scope: ReadScope, listId: string, number: number): Promise<ListVersionModel | null> {
    const v = await this.dataSource.getRepository(ListVersionEntity).findOneBy({ listId, number });
    return v && this.canSee(scope, v) ? toVersionModel(v) : null;
  }

  async versionInForce(scope: ReadScope, regionInput: string, kind: ListKind, asOf: string, knownAt?: Date | null, cached = true): Promise<ListVersionModel | null> {
    if (cached && scope === PUBLIC_SCOPE)
      return this.readCache.get('inForce', `${regionInput}|${kind}|${asOf}|${knownAt?.toISOString() ?? ''}`, () => this.versionInForce(scope, regionInput, kind, asOf, knownAt, false));
    const regionCode = this.regions.parseCode(regionInput, 'regionCode');
    if (knownAt) {
      const [v] = await this.knownAt(knownAt, (q) =>
        q.andWhere('v.region_code = :regionCode AND v.kind = :kind', { regionCode, kind }).andWhere(IN_FORCE_KNOWN, { asOf }));
      return v && this.canSee(scope, v) ? toVersionModel(v) : null;
    }
    const v = await this.dataSource
      .getRepository(ListVersionEntity)
      .createQueryBuilder('v')
      .where('v.region_code = :regionCode AND v.kind = :kind AND v.status IN (:...published)', { regionCode, kind, published: PUBLISHED_STATUSES })
      .andWhere('v.effective_from <= :asOf AND (v.effective_to IS NULL OR v.effective_to > :asOf)', { asOf })
      .getOne();
    return v && this.canSee(scope, v) ? toVersionModel(v) : null;
  }

  /** The versions in force on `asOf` (as known at `knownAt`, when given) in a township, or in every township of a county. */
  async versionsInForceWithin(scope: ReadScope, regionCode: string, asOf: string, knownAt?: Date | null, cached = true): Promise<ListVersionModel[]> {
    if (cached && scope === PUBLIC_SCOPE)
      return this.readCache.get('inForce', `${regionCode}|*|${asOf}|${knownAt?.toISOString() ?? ''}`, () => this.versionsInForceWithin(scope, regionCode, asOf, knownAt, false));
    const [low, high] = regionCodeRange(regionCode);
    const rows = knownAt
      ? await this.knownAt(knownAt, (q) => q.andWhere('v.region_code BETWEEN :low AND :high', { low, high }).andWhere(IN_FORCE_KNOWN, { asOf }))
      : await this.dataSource
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

  /** Published versions known at `knownAt` that `narrow` selects, each as it was shown then. */
  private async knownAt(knownAt: Date, narrow: (q: SelectQueryBuilder<ListVersionEntity>) => SelectQueryBuilder<ListVersionEntity>): Promise<ListVersionEntity[]> {
    const query = this.dataSource
      .getRepository(ListVersionEntity)
      .createQueryBuilder('v')
      .leftJoin(ListVersionEntity, 's', 's.list_id = v.list_id AND s.effective_from = v.effective_to AND s.status IN (:...published)')
      .addSelect('s.published_at', 'successor_published_at')
      .where(KNOWN, { published: PUBLISHED_STATUSES, knownAt });
    const { raw, entities } = await narrow(query).orderBy('v.number', 'DESC').getRawAndEntities();
    return entities.map((v, i) => asKnownAt(v, raw[i].successor_published_at, knownAt));
  }

  /** History, newest first; with `knownAt`, the published history as the registry showed it then. */
  async listVersions(scope: ReadScope, regionInput: string, kind: ListKind, knownAt?: Date | null): Promise<ListVersionModel[]> {
    const regionCode = this.regions.parseCode(regionInput, 'regionCode');
    const rows = knownAt
      ? await this.knownAt(knownAt, (q) => q.andWhere('v.region_code = :regionCode AND v.kind = :kind', { regionCode, kind }))
      : await this.dataSource
          .getRepository(ListVersionEntity)
          .createQueryBuilder('v')
          .where('v.region_code = :regionCode AND v.kind = :kind', { regionCode, kind })
          .orderBy('v.number', 'DESC')
          .getMany();
    return rows.filter((v) => this.canSee(scope, v)).map(toVersionModel);
  }

  /** A version as known at `knownAt`: null when it was not published by then (or cannot be seen). */
  private async findVersionKnownAt(scope: ReadScope, id: string, knownAt: Date): Promise<ListVersionModel | null> {
    if (!isUuid(id)) return null;
    const [v] = await this.knownAt(knownAt, (q) => q.andWhere('v.id = :id', { id }));
    return v && this.canSee(scope, v) ? toVersionModel(v) : null;
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

  /**
   * One item of a township across the versions of its list: each stored state of it with the
   * versions it holds in ([fromVersion, toVersion)), oldest first, and the list's versions the
   * reader may see, newest first. Null when no published state of the item exists (or none the
   * reader may see). Two statements.
   */
  async itemHistory(scope: ReadScope, regionInput: string, itemCode: string): Promise<ItemHistoryModel | null> {
    const regionCode = this.regions.parseCode(regionInput, 'regionCode');
    const rows: Record<string, any>[] = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS}, i.kind, i.from_version, i.to_version FROM list_item i
       WHERE i.list_id IN (SELECT id FROM duty_list WHERE region_code = $1) AND i.item_code = $2 AND NOT i.pending
       ORDER BY i.kind, i.from_version`,
      [regionCode, itemCode],
    );
    if (!rows.length) return null;
    // An item code names one matter of a township; should both lists use it, the responsibility list's is shown.
    const kind: ListKind = rows.some((r) => r.kind === 'RESPONSIBILITY') ? 'RESPONSIBILITY' : rows[0].kind;
    const versions = await this.listVersions(scope, regionCode, kind);
    const visible = new Set(versions.map((v) => v.number));
    const states = rows
      .filter((r) => r.kind === kind && visible.has(r.from_version))
      .map((r) => ({ item: itemRowToModel(r), fromVersion: Number(r.from_version), toVersion: r.to_version === null ? null : Number(r.to_version) }));
    if (!states.length) return null;
    return { regionCode, itemCode, kind, versions, states };
  }

  /**
   * The content hash of a version: SHA-256 of the canonical JSON (keys sorted) of the version's
   * region, kind, number, effective date and 批准文号 and of its items as stored (code and every
   * content field: bodies by id, legal bases as written), ordered by item code. What a county
   * published never changes, so neither does the hash of a published version (kept in the read
   * cache); a renamed body or a re-resolved citation does not change it. `itemsOfVersion`: the
   * version's items when the caller has them already.
   */
  async contentHash(v: ListVersionModel, itemsOfVersion?: ListItemModel[]): Promise<string> {
    const published = PUBLISHED_STATUSES.includes(v.status);
    const known = published ? this.readCache.peek<string>('contentHash', v.id) : undefined;
    if (known) return known;
    const items = itemsOfVersion ?? (await this.allItems(v));
    const hash = createHash('sha256').update(versionContentJson(v, items)).digest('hex');
    if (published) this.readCache.set('contentHash', v.id, hash);
    return hash;
  }

  /** What changed from one version of a list to another, item by item and field by field. */
  async diff(scope: ReadScope, fromId: string, toId: string, knownAt?: Date | null): Promise<VersionDiffModel> {
    const find = (id: string) => (knownAt ? this.findVersionKnownAt(scope, id, knownAt) : this.findVersion(scope, id));
    const [from, to] = await Promise.all([find(fromId), find(toId)]);
    const when = knownAt ? `（截至 ${knownAt.toISOString()} 尚未发布的版本不能比较）` : '';
    if (!from) throw badInput('fromVersionId', `未找到起始版本${when}`);
    if (!to) throw badInput('toVersionId', `未找到目标版本${when}`);
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

/** What a version's content hash covers, as canonical JSON (see ListReadService.contentHash). */
export function versionContentJson(v: Pick<ListVersionModel, 'regionCode' | 'kind' | 'number' | 'effectiveFrom' | 'approvalDocNumber'>, items: ListItemModel[]): string {
  return canonicalJson({
    regionCode: v.regionCode,
    kind: v.kind,
    number: v.number,
    effectiveFrom: v.effectiveFrom,
    approvalDocNumber: v.approvalDocNumber,
    items: [...items].sort((a, b) => (a.itemCode < b.itemCode ? -1 : 1)).map((i) => ({ itemCode: i.itemCode, ...contentToRecord(i) })),
  });
}
