import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { coversRegion, outOfScope, requireRole, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, conflict, forbidden } from '../../common/domain-error.js';
import { parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { checkText, clip } from '../../common/text-input.js';
import { AuditService } from '../audit/audit.service.js';
import { CountySettingsService } from '../counties/county-settings.service.js';
import { countyOf } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import { DutyListEntity, LIST_KINDS, type ListKind } from './duty-list.entity.js';
import { ITEM_CODE_RE, ListItemPreparer, type PreparedItem } from './list-item.preparer.js';
import { bodyIdsOf, CONTENT_FIELDS, contentToInput, type ItemContent } from './item-fields.js';
import { gateFindings, withExceptions, type GateException, type GateFinding, type GateItem, type StoredGateFinding } from './gate-findings.js';
import type { ListSection } from './list-item.entity.js';
import { ItemRepository, type DraftWrite } from './item.repository.js';
import { toVersionModel } from './list-read.service.js';
import { translateDatabaseError } from '../../database/database-errors.js';
import { lockVersionForWrite, requireRevision, requireStatus } from './list-version.access.js';
import { ListVersionEntity } from './list-version.entity.js';
import { ReadCache } from '../../common/read-cache.js';
import type { ListItemInput, ListItemModel, ListItemPatch, ListVersionModel } from './list.model.js';
import { BodiesService } from '../bodies/bodies.service.js';
import { LegalService } from '../legal/legal.service.js';
import { PublicationHooks } from './publication-hooks.js';
import { WebhooksService } from '../webhooks/webhooks.service.js';

/**
 * Why a version is made, one of a closed set (the schema's descriptions and the errors list them):
 * 立改废释 (laws enacted, amended, repealed or interpreted), 职责准入 (a task admitted), 乡镇申请 (the
 * township asked), 其他 (anything else). Free text goes in the version's `changeNote`.
 */
export const CHANGE_REASONS = ['立改废释', '职责准入', '乡镇申请', '其他'] as const;
export const CHANGE_REASONS_TEXT = CHANGE_REASONS.join('、');

/** The change reason given (default 其他), or BAD_USER_INPUT listing the allowed values. */
export function checkChangeReason(changeReason: string | null | undefined): string {
  const reason = changeReason?.trim() || '其他';
  if (!(CHANGE_REASONS as readonly string[]).includes(reason))
    throw badInput('changeReason', `调整原因“${clip(reason)}”无效，应为：${CHANGE_REASONS_TEXT}（其他说明请填在 changeNote 中）`, { allowed: [...CHANGE_REASONS] });
  return reason;
}

/** The free-text note beside the change reason: null when empty. */
export function checkChangeNote(note: string | null | undefined): string | null {
  const checked = checkText(note, { max: 2000, kind: 'text' });
  if (!checked.ok) throw badInput('changeNote', `调整说明${checked.problem}（不超过2000个字符）`);
  return checked.value;
}

/** A field of an item that `updateItem` may change: every input property of the item fields but the code. */
export const PATCHABLE_FIELDS: readonly string[] = CONTENT_FIELDS.map((f) => f.inputKey).filter((k): k is string => !!k);

const actorName = (actor: Actor) => actor.username ?? 'system';

/**
 * Drafting and the review lifecycle of list versions: DRAFT → IN_REVIEW → APPROVED → PUBLISHED,
 * a rejection back to DRAFT. Each operation is one transaction; region scope is checked on the
 * version itself; the database refuses whatever would change a published version.
 */
@Injectable()
export class ListVersionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly preparer: ListItemPreparer,
    private readonly items: ItemRepository,
    private readonly audit: AuditService,
    private readonly readCache: ReadCache,
    private readonly countySettings: CountySettingsService,
    private readonly bodies: BodiesService,
    private readonly legal: LegalService,
    private readonly hooks: PublicationHooks,
    private readonly webhooks: WebhooksService,
  ) {}

  /** Runs in the caller's transaction when given one (demo data, import), else in a new one. */
  private async transaction<T>(work: (em: EntityManager) => Promise<T>, outer?: EntityManager): Promise<T> {
    try {
      return await (outer ? work(outer) : this.dataSource.transaction(work));
    } catch (e) {
      translateDatabaseError(e);
    }
  }

  private requirePermission(actor: Actor, permission: Permission): void {
    requireRole(actor, permission);
  }

  /** Version n+1 of a township's list, based on its latest published version (the one in force or scheduled). */
  async createDraft(
    actor: Actor,
    regionInput: string,
    kind: ListKind,
    changeReason: string | null | undefined,
    outer?: EntityManager,
    changeNote?: string | null,
  ): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    if (!LIST_KINDS.includes(kind)) throw badInput('kind', `清单类型“${kind}”无效`);
    const reason = checkChangeReason(changeReason);
    const note = checkChangeNote(changeNote);
    return this.transaction(async (em) => {
      const region = await this.regions.requireRegion(regionInput, 'regionCode', em);
      if (region.level !== 'TOWNSHIP') throw badInput('regionCode', `清单只能为乡镇（街道）建立，“${region.name}”不是乡镇级区划`);
      if (!coversRegion(actor, region.code)) throw outOfScope(actor, `“${region.name}”（${region.code.slice(0, 9)}）`);
      await em.query(
        `INSERT INTO duty_list (region_code, county_code, kind) VALUES ($1, $2, $3) ON CONFLICT (region_code, kind) DO NOTHING`,
        [region.code, countyOf(region.code), kind],
      );
      // Locking the list serialises draft creation and publication per list.
      const list = await em.getRepository(DutyListEntity).createQueryBuilder('l').setLock('pessimistic_write')
        .where('l.region_code = :code AND l.kind = :kind', { code: region.code, kind }).getOneOrFail();
      const versions = await em.getRepository(ListVersionEntity).find({ where: { listId: list.id }, order: { number: 'DESC' } });
      const open = versions.find((v) => !['PUBLISHED', 'SUPERSEDED'].includes(v.status));
      if (open) throw conflict(`该清单已有未发布的版本 v${open.number}，请先完成或撤回`, { versionId: open.id });
      const basedOn = versions.find((v) => v.status === 'PUBLISHED') ?? null;
      const draft = await em.getRepository(ListVersionEntity).save(em.create(ListVersionEntity, {
        listId: list.id,
        regionCode: region.code,
        kind,
        number: (versions[0]?.number ?? 0) + 1,
        status: 'DRAFT',
        changeReason: reason,
        changeNote: note,
        basedOnId: basedOn?.id ?? null,
        createdBy: actorName(actor),
        revision: 0,
      }));
      await this.audit.record(em, actor, {
        action: 'createDraft', entityType: 'ListVersion', entityId: draft.id, regionCode: region.code,
        after: { number: draft.number, kind, status: 'DRAFT', changeReason: reason, changeNote: note, basedOnId: draft.basedOnId },
      });
      return toVersionModel(draft);
    }, outer);
  }

  /**
   * Changes only the given fields of an item of a draft (`patch`: a field absent is kept, a field
   * given as null is cleared), then validates the whole item as `saveItem` does. The item is the
   * draft's: its pending row, or the row in force that the draft carries.
   */
  async updateItem(actor: Actor, versionId: string, itemCode: string, patch: ListItemPatch, expectedRevision?: number | null): Promise<ListItemModel> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    if (typeof itemCode !== 'string' || !ITEM_CODE_RE.test(itemCode))
      throw badInput('itemCode', '事项编码格式不正确：只能含字母、数字和 - _ .，不超过64位');
    const given = Object.entries(patch ?? {}).filter(([, v]) => v !== undefined);
    const unknown = given.filter(([k]) => !PATCHABLE_FIELDS.includes(k));
    if (unknown.length) throw badInput(unknown[0][0], `「${unknown[0][0]}」不是可修改的事项字段`);
    if (!given.length) throw badInput('patch', '没有要修改的字段：patch 至少应含一个字段');
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'DRAFT', '修改');
      requireRevision(version, expectedRevision);
      const current = await this.items.itemOfVersion(version, itemCode, em);
      if (!current) throw badInput('itemCode', `本草稿中没有事项“${itemCode}”`);
      const names = await this.bodies.namesOf(bodyIdsOf([current as unknown as ItemContent]), em);
      const input = { ...contentToInput(itemCode, current as unknown as ItemContent, names), ...Object.fromEntries(given) } as unknown as ListItemInput;
      const [result] = await this.preparer.prepare([input], version, todayInChina(), em);
      if (!result.ok) {
        const [first] = result.errors;
        throw badInput(first.field, `「${first.field}」${first.message}`, { errors: result.errors });
      }
      const [{ item: row }] = await this.items.writeDraftItems(em, version, [result.item], actorName(actor), true);
      await this.bumpRevision(em, version);
      await this.audit.record(em, actor, {
        action: 'updateItem', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
        before: Object.fromEntries(given.map(([k]) => [k, (contentToInput(itemCode, current as unknown as ItemContent, names) as Record<string, unknown>)[k] ?? null])),
        after: { itemCode, ...Object.fromEntries(given), revision: version.revision },
      });
      return row!;
    });
  }

  // ---------------------------------------------------------------- gates

  /** What the gates read of a version's items (with their citations). */
  private async gateItems(version: ListVersionEntity, em?: EntityManager): Promise<GateItem[]> {
    const items = await this.items.allItems(version, em);
    const citations = await this.items.citationsOf(items.map((i) => i.id), em);
    const own = new Set(await this.items.pendingCodes(version, em));
    return items.map((i) => ({
      itemCode: i.itemCode, name: i.name, section: i.section, subItem: i.subItem, legalBasis: i.legalBasis, citations: citations.get(i.id) ?? [],
      carriedOver: !own.has(i.itemCode),
    }));
  }

  /**
   * The gate findings of a version as its reader sees them: a draft's as they stand now, with the
   * reasons recorded so far; a submitted version's as they stood at submission (null when it was
   * submitted before the gates existed).
   */
  async gateFindingsOf(version: ListVersionEntity | ListVersionModel): Promise<StoredGateFinding[] | null> {
    const v = version as ListVersionEntity;
    if (v.status === 'DRAFT') return withExceptions(gateFindings(await this.gateItems(v)), v.gateExceptions ?? {});
    return v.gateFindings ?? null;
  }

  /**
   * The gate findings of many open versions at once (the dashboard): drafts' as they stand now with
   * their recorded reasons, submitted ones' as stored — the findings submitForReview uses, read in
   * three statements whatever the number of versions (the drafts' items in one, their citations in one).
   */
  async gateFindingsOfOpen(versionIds: readonly string[]): Promise<Map<string, StoredGateFinding[]>> {
    const out = new Map<string, StoredGateFinding[]>();
    if (versionIds.length === 0) return out;
    const versions: { id: string; list_id: string; number: number; status: string; gate_exceptions: Record<string, GateException> | null; gate_findings: StoredGateFinding[] | null }[] =
      await this.dataSource.query(`SELECT id, list_id, number, status, gate_exceptions, gate_findings FROM list_version WHERE id = ANY($1::uuid[]) AND status NOT IN ('PUBLISHED', 'SUPERSEDED')`, [[...versionIds]]);
    const drafts = versions.filter((v) => v.status === 'DRAFT');
    for (const v of versions) if (v.status !== 'DRAFT') out.set(v.id, v.gate_findings ?? []);
    if (!drafts.length) return out;
    // A draft's items: its pending rows, and the rows in force it does not replace (itemsOfVersionCondition, per draft).
    const rows: { draft_id: string; id: string; item_code: string; name: string; section: ListSection | null; sub_item: string | null; legal_basis: string | null; pending: boolean }[] =
      await this.dataSource.query(
        `WITH d(id, list_id, number) AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[]))
         SELECT d.id AS draft_id, i.id, i.item_code, i.name, i.section, i.sub_item, i.legal_basis, i.pending
           FROM d JOIN list_item i ON i.list_id = d.list_id AND NOT i.removed AND (
             (i.pending AND i.from_version = d.number)
             OR (NOT i.pending AND i.to_version IS NULL AND NOT EXISTS (
               SELECT 1 FROM list_item o WHERE o.list_id = i.list_id AND o.item_code = i.item_code AND o.pending AND o.from_version = d.number)))
          ORDER BY d.id, i.item_code`,
        [drafts.map((v) => v.id), drafts.map((v) => v.list_id), drafts.map((v) => v.number)],
      );
    const citations = await this.items.citationsOf(rows.map((r) => r.id));
    for (const v of drafts) {
      const items: GateItem[] = rows
        .filter((r) => r.draft_id === v.id)
        .map((r) => ({ itemCode: r.item_code, name: r.name, section: r.section, subItem: r.sub_item, legalBasis: r.legal_basis, citations: citations.get(r.id) ?? [], carriedOver: !r.pending }));
      out.set(v.id, withExceptions(gateFindings(items), v.gate_exceptions ?? {}));
    }
    return out;
  }

  /**
   * Records why an item of a draft may go to review despite its gate findings (no legal basis, a
   * duplicate name, an unresolved citation): the reviewer sees the findings with this reason.
   */
  /** A draft's gate findings now, inside the caller's transaction (the demo data records its reasons with them). */
  async draftFindings(version: ListVersionEntity, em: EntityManager): Promise<GateFinding[]> {
    return gateFindings(await this.gateItems(version, em));
  }

  async recordGateException(
    actor: Actor,
    versionId: string,
    itemCode: string,
    reason: string,
    expectedRevision?: number | null,
    outer?: EntityManager,
  ): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    const checked = checkText(reason, { max: 1000, kind: 'text', required: true });
    if (!checked.ok || !checked.value) throw badInput('reason', `说明理由${checked.ok ? '不能为空' : checked.problem}（不超过1000个字符）`);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'DRAFT', '修改');
      requireRevision(version, expectedRevision);
      const findings = gateFindings(await this.gateItems(version, em)).filter((f) => f.itemCode === itemCode);
      if (!findings.length) throw badInput('itemCode', `本草稿中的事项“${itemCode}”没有需要说明理由的问题（或本草稿中没有该事项）`);
      const before = version.gateExceptions?.[itemCode]?.reason ?? null;
      const exceptions = { ...(version.gateExceptions ?? {}), [itemCode]: { reason: checked.value!, by: actorName(actor), at: new Date().toISOString() } };
      return this.update(em, actor, 'recordGateException', version, { gateExceptions: exceptions, revision: version.revision + 1 }, {
        before: { itemCode, reason: before },
        after: { itemCode, reason: checked.value, findings: findings.map((f) => f.kind), revision: version.revision + 1 },
      });
    }, outer);
  }

  async clearGateException(actor: Actor, versionId: string, itemCode: string, expectedRevision?: number | null): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'DRAFT', '修改');
      requireRevision(version, expectedRevision);
      const before = version.gateExceptions?.[itemCode];
      if (!before) throw badInput('itemCode', `本草稿没有为事项“${itemCode}”登记的理由`);
      const { [itemCode]: _removed, ...rest } = version.gateExceptions;
      return this.update(em, actor, 'clearGateException', version, { gateExceptions: rest, revision: version.revision + 1 }, {
        before: { itemCode, reason: before.reason },
        after: { itemCode, reason: null, revision: version.revision + 1 },
      });
    });
  }

  /** Creates or replaces an item of a draft by itemCode. */
  async saveItem(actor: Actor, versionId: string, input: ListItemInput, expectedRevision?: number | null, outer?: EntityManager): Promise<ListItemModel> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'DRAFT', '修改');
      requireRevision(version, expectedRevision);
      const [result] = await this.preparer.prepare([input], version, todayInChina(), em);
      if (!result.ok) {
        const [first] = result.errors;
        throw badInput(first.field, `「${first.field}」${first.message}`, { errors: result.errors });
      }
      const [{ item: row }] = await this.items.writeDraftItems(em, version, [result.item], actorName(actor), true);
      await this.bumpRevision(em, version);
      const { citations, ...content } = result.item;
      await this.audit.record(em, actor, {
        action: 'saveItem', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
        after: { ...content, citations: citations.map((c) => ({ label: c.label, resolved: c.resolved })), revision: version.revision },
      });
      return row!;
    }, outer);
  }

  /**
   * Makes a draft's items exactly `items` (spreadsheet import): writes them in batches, drops pending
   * rows of other items and marks the removal of the items in force that `items` lacks; one revision.
   */
  async replaceDraftItems(em: EntityManager, actor: Actor, version: ListVersionEntity, items: PreparedItem[]): Promise<{ writes: DraftWrite[]; removed: string[] }> {
    requireStatus(version, 'DRAFT', '修改');
    const writes = await this.items.writeDraftItems(em, version, items, actorName(actor));
    const keep = items.map((i) => i.itemCode);
    await this.items.dropPendingExcept(em, version, keep);
    const kept = new Set(keep);
    const removed = await this.items.markRemoved(em, version, (await this.items.codesInForce(em, version.listId)).filter((code) => !kept.has(code)), actorName(actor));
    await this.bumpRevision(em, version);
    return { writes, removed };
  }

  /**
   * Discards an unpublished version (DRAFT, IN_REVIEW or APPROVED): the version and its pending rows
   * are deleted, the audit event keeps what it was (number, status, author, the item codes it changed)
   * and the reason. Published versions stay immutable (CONFLICT here; the database refuses it too).
   * The list's next draft takes the freed number, so published numbers stay consecutive.
   */
  async discardDraft(actor: Actor, versionId: string, reason: string, outer?: EntityManager): Promise<boolean> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    const checked = checkText(reason, { max: 1000, kind: 'text', required: true });
    if (!checked.ok || !checked.value) throw badInput('reason', `撤销原因${checked.ok ? '不能为空' : checked.problem}（必填，不超过1000个字符）`);
    const text = checked.value;
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      await this.discardLocked(em, actor, version, text);
      return true;
    }, outer);
  }

  /** The open (unpublished) version of a township's list, if any. */
  async openVersion(em: EntityManager, regionCode: string, kind: ListKind): Promise<ListVersionEntity | null> {
    return em.getRepository(ListVersionEntity).createQueryBuilder('v').setLock('pessimistic_write')
      .where("v.region_code = :code AND v.kind = :kind AND v.status IN ('DRAFT','IN_REVIEW','APPROVED')", { code: regionCode, kind }).getOne();
  }

  /** Discards a version already locked by the caller (discardDraft; an import replacing the open draft). */
  async discardLocked(em: EntityManager, actor: Actor, version: ListVersionEntity, reason: string): Promise<void> {
    if (version.status === 'PUBLISHED' || version.status === 'SUPERSEDED')
      throw conflict(`版本 v${version.number} 已发布，已发布的版本不可撤销；如需更正，请新建草稿并发布新版本`, { status: version.status });
    await em.query('SELECT id FROM duty_list WHERE id = $1 FOR UPDATE', [version.listId]);
    const rows: { item_code: string; removed: boolean }[] = await em.query(
      'SELECT item_code, removed FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending ORDER BY item_code',
      [version.listId, version.number],
    );
    // The item guard lets pending rows go only from a draft: an IN_REVIEW or APPROVED version goes back to DRAFT first.
    if (version.status !== 'DRAFT') await em.getRepository(ListVersionEntity).update({ id: version.id }, { status: 'DRAFT' });
    await em.query('DELETE FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending', [version.listId, version.number]);
    await em.getRepository(ListVersionEntity).delete({ id: version.id });
    await this.audit.record(em, actor, {
      action: 'discardDraft', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
      before: {
        number: version.number, kind: version.kind, status: version.status, changeReason: version.changeReason, createdBy: version.createdBy,
        basedOnId: version.basedOnId, revision: version.revision,
        changedItems: rows.filter((r) => !r.removed).map((r) => r.item_code), removedItems: rows.filter((r) => r.removed).map((r) => r.item_code),
      },
      after: { discarded: true, reason },
    });
  }

  /** Removes an item from a draft: drops its pending row and, if the item is in force, marks its removal. */
  async removeItem(actor: Actor, versionId: string, itemCode: string, expectedRevision?: number | null, outer?: EntityManager): Promise<boolean> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    if (typeof itemCode !== 'string' || !ITEM_CODE_RE.test(itemCode))
      throw badInput('itemCode', '事项编码格式不正确：只能含字母、数字和 - _ .，不超过64位');
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'DRAFT', '修改');
      requireRevision(version, expectedRevision);
      const pendingRow = await this.items.pendingRow(em, version, itemCode);
      if (pendingRow?.removed) throw badInput('itemCode', `事项“${itemCode}”已在本草稿中删除`);
      if (pendingRow) await this.items.deleteRow(em, pendingRow.id);
      // The row in force, if any, gets a removal marker that publishing turns into its end.
      const marked = await this.items.markRemoved(em, version, [itemCode], actorName(actor));
      if (!pendingRow && marked.length === 0) throw badInput('itemCode', `本草稿中没有事项“${itemCode}”`);
      await this.bumpRevision(em, version);
      await this.audit.record(em, actor, {
        action: 'removeItem', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
        before: { itemCode }, after: { revision: version.revision },
      });
      return true;
    }, outer);
  }

  async submitForReview(actor: Actor, versionId: string, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'DRAFT', '提交审核');
      if ((await this.items.countItems(version, {}, em)) === 0) throw conflict('清单没有任何事项，不能提交审核');
      const findings = withExceptions(gateFindings(await this.gateItems(version, em)), version.gateExceptions ?? {});
      const blockers = findings.filter((f) => f.blocking && !f.exceptionReason);
      if (blockers.length) throw gateConflict(blockers);
      return this.update(em, actor, 'submitForReview', version, {
        status: 'IN_REVIEW', submittedBy: actorName(actor), submittedAt: new Date(), revision: version.revision + 1, gateFindings: findings,
      });
    }, outer);
  }

  /**
   * Four eyes: a reviewer approves, never the one who submitted nor one who wrote an item of the
   * version. `effectiveFrom`, when given, is the start date the approval covers: a publication
   * dated in the past needs it (see publishVersion).
   */
  async approveVersion(actor: Actor, versionId: string, opinion: string | null | undefined, effectiveFrom?: string | null, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.REVIEW_LISTS);
    const text = checkOpinion(opinion, false);
    if (effectiveFrom !== null && effectiveFrom !== undefined && !parseLocalDate(effectiveFrom))
      throw badInput('effectiveFrom', `生效日期“${effectiveFrom}”无效`);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'IN_REVIEW', '审核');
      if (sameUser(version.submittedBy, actorName(actor))) throw forbidden('不能审核自己提交的版本，须由另一名审核人员审核');
      if (await this.items.hasWritten(em, version, actorName(actor)))
        throw forbidden('不能审核自己编写过事项的版本（保存、导入或删除过其中的事项），须由另一名审核人员审核');
      if (effectiveFrom) await this.requireBackdateAllowed(em, version, effectiveFrom);
      return this.update(em, actor, 'approveVersion', version, {
        status: 'APPROVED', approvedBy: actorName(actor), approvedAt: new Date(), approvedEffectiveFrom: effectiveFrom ?? null, reviewOpinion: text, revision: version.revision + 1,
      });
    }, outer);
  }

  async rejectVersion(actor: Actor, versionId: string, opinion: string, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.REVIEW_LISTS);
    const text = checkOpinion(opinion, true);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'IN_REVIEW', '退回');
      if (sameUser(version.submittedBy, actorName(actor))) throw forbidden('不能审核自己提交的版本，须由另一名审核人员审核');
      return this.update(em, actor, 'rejectVersion', version, { status: 'DRAFT', reviewOpinion: text, submittedBy: null, submittedAt: null, revision: version.revision + 1 });
    }, outer);
  }

  /**
   * Publishes an approved version from `effectiveFrom`: the previous version ends that day, the
   * rows it replaces are closed once and for all, its pending rows become published rows.
   * Honest time: the version records when it was published; a start date in the past (a
   * correction of what the public was told) needs an approval that named exactly that date, and
   * an approval that named a date covers that date only.
   */
  async publishVersion(actor: Actor, versionId: string, effectiveFrom: string, approvalDocNumber: string, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.PUBLISH_LISTS);
    if (!parseLocalDate(effectiveFrom)) throw badInput('effectiveFrom', `生效日期“${effectiveFrom}”无效`);
    const doc = checkText(approvalDocNumber, { max: 100, kind: 'line', required: true });
    if (!doc.ok) throw badInput('approvalDocNumber', `批准文号${doc.problem}（不能为空，且不超过100个字符）`);
    const docNumber = doc.value!;
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      await em.query('SELECT id FROM duty_list WHERE id = $1 FOR UPDATE', [version.listId]);
      requireStatus(version, 'APPROVED', '发布');
      await this.requireThirdParty(em, actor, version);
      this.requireApprovedDate(version, effectiveFrom);
      await this.requireBackdateAllowed(em, version, effectiveFrom);
      // What is in force changes when this commits: drop the public answers then.
      this.readCache.invalidateOnCommit(em, 'answers', 'inForce', 'responses');
      const latest = await em.getRepository(ListVersionEntity).findOne({ where: { listId: version.listId, status: 'PUBLISHED' } });
      if (latest) {
        if (effectiveFrom <= latest.effectiveFrom!)
          throw conflict(`生效日期须晚于现行版本 v${latest.number} 的生效日期 ${latest.effectiveFrom}：历史不可改写，更正请发布新版本`, { field: 'effectiveFrom' });
        await this.update(em, actor, 'supersedeVersion', latest, { status: 'SUPERSEDED', effectiveTo: effectiveFrom });
      }
      await this.items.publishRows(em, version.listId, version.number);
      // The county's webhooks hear of it through the outbox, written in this transaction: sent once it commits, never if it rolls back.
      await this.webhooks.enqueuePublication(em, {
        versionId: version.id, basedOnId: version.basedOnId, regionCode: version.regionCode, kind: version.kind, number: version.number,
        effectiveFrom, approvalDocNumber: docNumber, changeReason: version.changeReason,
        counts: await this.items.changeCounts(em, version.listId, version.number),
      });
      const published = await this.update(em, actor, 'publishVersion', version, {
        status: 'PUBLISHED',
        effectiveFrom,
        approvalDocNumber: docNumber,
        publishedBy: actorName(actor),
        publishedAt: new Date(),
      });
      // The draft's citations were resolved against today; its rows now read the law in force on effectiveFrom.
      await this.legal.reresolveCitations(em, actor, { listId: version.listId, fromVersion: version.number });
      await this.hooks.published(em, actor, { id: version.id, listId: version.listId, regionCode: version.regionCode, number: version.number, effectiveFrom });
      return published;
    }, outer);
  }

  /** The start date of a publication must be the one its approval covered, and a past one must have been covered. */
  private requireApprovedDate(version: ListVersionEntity, effectiveFrom: string): void {
    const approved = version.approvedEffectiveFrom;
    if (approved && approved !== effectiveFrom)
      throw conflict(`审核通过时确认的生效日期为 ${approved}，不能以 ${effectiveFrom} 发布：请按该日期发布，或撤回后重新送审以确认新的生效日期`, { field: 'effectiveFrom', approvedEffectiveFrom: approved });
    const today = todayInChina();
    if (effectiveFrom < today && approved !== effectiveFrom)
      throw conflict(`生效日期 ${effectiveFrom} 早于发布当日 ${today}：追溯生效须经审核人员在审核通过时确认该生效日期（审核时填写 effectiveFrom），请撤回后重新送审`, { field: 'effectiveFrom', today });
  }

  /** The county may bound how far before its publication a version takes effect (no bound unless set). */
  private async requireBackdateAllowed(em: EntityManager, version: ListVersionEntity, effectiveFrom: string): Promise<void> {
    const { backdateLimitDays } = await this.countySettings.forRegion(version.regionCode, em);
    if (backdateLimitDays === null) return;
    const earliest = addDays(todayInChina(), -backdateLimitDays);
    if (effectiveFrom < earliest)
      throw conflict(`生效日期 ${effectiveFrom} 早于本县规定的追溯期限：最多可早于发布日 ${backdateLimitDays} 天（不早于 ${earliest}）`, {
        field: 'effectiveFrom', backdateLimitDays, earliest,
      });
  }

  /** Where the county asks for three parties, the publisher is neither the submitter nor the approver. */
  private async requireThirdParty(em: EntityManager, actor: Actor, version: ListVersionEntity): Promise<void> {
    if (!(await this.countySettings.forRegion(version.regionCode, em)).threePartyPublication) return;
    const me = actorName(actor);
    if (sameUser(version.submittedBy, me) || sameUser(version.approvedBy, me))
      throw forbidden(`本县规定发布须三人分离：提交人（${version.submittedBy}）、审核人（${version.approvedBy}）之外的另一名人员才能发布`);
  }

  private async bumpRevision(em: EntityManager, version: ListVersionEntity): Promise<void> {
    await em.getRepository(ListVersionEntity).update({ id: version.id }, { revision: version.revision + 1 });
    version.revision += 1;
  }

  /** Changes a version's own fields and records the change (before and after of those fields). */
  private async update(
    em: EntityManager,
    actor: Actor,
    action: string,
    version: ListVersionEntity,
    changes: Partial<ListVersionEntity>,
    recorded?: { before: Record<string, unknown>; after: Record<string, unknown> },
  ): Promise<ListVersionModel> {
    await em.getRepository(ListVersionEntity).update({ id: version.id }, changes as Parameters<ReturnType<EntityManager['getRepository']>['update']>[1]);
    const before = recorded?.before ?? Object.fromEntries(Object.keys(changes).map((k) => [k, version[k as keyof ListVersionEntity] ?? null]));
    await this.audit.record(em, actor, { action, entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode, before, after: recorded?.after ?? changes });
    return toVersionModel({ ...version, ...changes } as ListVersionEntity);
  }
}

/** Usernames are unique in any letter case (see UsersService). */
const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const sameUser = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** CONFLICT listing the findings that have no recorded reason (the first ten in the message, all in `findings`). */
function gateConflict(blockers: readonly GateFinding[]) {
  const shown = blockers.slice(0, 10).map((f) => f.message).join('；');
  const more = blockers.length > 10 ? `；另有${blockers.length - 10}项` : '';
  return conflict(
    `草稿有${blockers.length}项问题未说明理由，不能提交审核：${shown}${more}。请修改事项，或用 recordGateException 逐项说明理由后再提交`,
    { findings: blockers.map((f) => ({ itemCode: f.itemCode, kind: f.kind, message: f.message })) },
  );
}

function checkOpinion(opinion: string | null | undefined, required: boolean): string | null {
  const checked = checkText(opinion, { max: 5000, kind: 'text' });
  if (!checked.ok) throw badInput('opinion', `审核意见${checked.problem}（不超过5000个字符，且不能含控制字符）`);
  if (required && !checked.value) throw badInput('opinion', '退回时必须填写审核意见');
  return checked.value;
}
