import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { can, coversRegion, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, conflict, forbidden, notFound } from '../../common/domain-error.js';
import { parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { AuditService } from '../audit/audit.service.js';
import { countyOf, RegionsService } from '../regions/regions.service.js';
import { DutyListEntity, LIST_KINDS, type ListKind } from './duty-list.entity.js';
import { searchDocument, SEARCH_VECTOR_SQL } from '../accountability/item-search-document.js';
import { ListItemPreparer, type PreparedItem } from './list-item.preparer.js';
import { itemRowToModel, itemsOfVersionCondition, toVersionModel } from './list-read.service.js';
import { lockVersionForWrite, requireRevision, requireStatus, translateDatabaseError } from './list-version.access.js';
import { ListVersionEntity } from './list-version.entity.js';
import type { ListItemInput, ListItemModel, ListVersionModel } from './list.model.js';

export const CHANGE_REASONS = ['立改废释', '职责准入', '乡镇申请', '其他'] as const;

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
    private readonly audit: AuditService,
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
    if (!can(actor, permission)) throw forbidden();
  }

  /** Version n+1 of a township's list, based on its latest published version (the one in force or scheduled). */
  async createDraft(actor: Actor, regionInput: string, kind: ListKind, changeReason: string | null | undefined, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    if (!LIST_KINDS.includes(kind)) throw badInput('kind', `清单类型“${kind}”无效`);
    const reason = changeReason?.trim() || '其他';
    if (!(CHANGE_REASONS as readonly string[]).includes(reason))
      throw badInput('changeReason', `调整原因应为：${CHANGE_REASONS.join('、')}`);
    return this.transaction(async (em) => {
      const region = await this.regions.requireRegion(regionInput, 'regionCode', em);
      if (region.level !== 'TOWNSHIP') throw badInput('regionCode', `清单只能为乡镇（街道）建立，“${region.name}”不是乡镇级区划`);
      if (!coversRegion(actor, region.code)) throw forbidden(`“${region.name}”不在您的管辖区划内`);
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
        basedOnId: basedOn?.id ?? null,
        createdBy: actorName(actor),
        revision: 0,
      }));
      await this.audit.record(em, actor, {
        action: 'createDraft', entityType: 'ListVersion', entityId: draft.id, regionCode: region.code,
        after: { number: draft.number, kind, status: 'DRAFT', changeReason: reason, basedOnId: draft.basedOnId },
      });
      return toVersionModel(draft);
    }, outer);
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
      const row = await this.writeDraftItem(em, version, result.item);
      await this.bumpRevision(em, version);
      const { citations, ...content } = result.item;
      await this.audit.record(em, actor, {
        action: 'saveItem', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
        after: { ...content, citations: citations.map((c) => ({ label: c.label, resolved: c.resolved })), revision: version.revision },
      });
      return row;
    }, outer);
  }

  /**
   * Writes one prepared item as the draft's pending row (replacing an earlier one) with its
   * citations. An item identical to the one in force writes nothing: a version stores only what
   * changed, and the draft shows the row in force.
   */
  async writeDraftItem(em: EntityManager, version: ListVersionEntity, item: PreparedItem): Promise<ListItemModel> {
    await em.query('DELETE FROM list_item WHERE list_id = $1 AND item_code = $2 AND from_version = $3 AND pending', [version.listId, item.itemCode, version.number]);
    const inForce = await this.unchangedRowInForce(em, version, item);
    if (inForce) return inForce;
    const doc = searchDocument({
      ...item,
      cooperatingDuties: item.cooperating.map((c) => c.duty),
      citationLabels: item.citations.map((c) => c.label),
    });
    const [row] = await em.query(
      `INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, name, description, sub_item, handling_unit,
         section, category, source, accountable_body_id, township_role, township_duty, village_duty, cooperating, legal_basis,
         staged_duties, accountability_circumstances, exemptions, keywords, has_unresolved_citations, search_vector, search_text)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17::jsonb,$18,$19,$20,$21,$22,$23,
         ${SEARCH_VECTOR_SQL('$24', '$25', '$26', '$27')}, $28)
       RETURNING *`,
      [
        version.listId, version.regionCode, version.kind, item.itemCode, version.number, item.name, item.description, item.subItem,
        item.handlingUnit, item.section, item.category, item.source, item.accountableBodyId, item.townshipRole, item.townshipDuty,
        item.villageDuty, JSON.stringify(item.cooperating), item.legalBasis, item.stagedDuties, item.accountabilityCircumstances,
        item.exemptions, item.keywords, item.citations.some((c) => !c.resolved),
        doc.a, doc.b, doc.c, doc.d, doc.text,
      ],
    );
    if (item.citations.length) {
      const c = item.citations;
      await em.query(
        `INSERT INTO item_citation (item_id, ordinal, raw, instrument_title, article, paragraph, item, label, resolved, instrument_id, instrument_version_id, provision_id)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::text[], $9::bool[], $10::uuid[], $11::uuid[], $12::uuid[])`,
        [
          row.id, c.map((_, i) => i), c.map((x) => x.raw), c.map((x) => x.instrumentTitle), c.map((x) => x.article), c.map((x) => x.paragraph),
          c.map((x) => x.item), c.map((x) => x.label), c.map((x) => x.resolved), c.map((x) => x.instrumentId),
          c.map((x) => x.instrumentVersionId), c.map((x) => x.provisionId),
        ],
      );
    }
    return itemRowToModel(row);
  }

  /** The row in force for this item code when it holds exactly the prepared content, else null. */
  private async unchangedRowInForce(em: EntityManager, version: ListVersionEntity, item: PreparedItem): Promise<ListItemModel | null> {
    const [row] = await em.query(
      `SELECT i.*, coalesce((SELECT json_agg(json_build_array(c.raw, c.label, c.provision_id, c.instrument_id) ORDER BY c.ordinal)
                             FROM item_citation c WHERE c.item_id = i.id), '[]'::json) AS citation_keys
       FROM list_item i WHERE i.list_id = $1 AND i.item_code = $2 AND NOT i.pending AND i.to_version IS NULL`,
      [version.listId, item.itemCode],
    );
    if (!row) return null;
    const current = itemRowToModel(row);
    const same =
      current.name === item.name && current.description === item.description && current.subItem === item.subItem &&
      current.handlingUnit === item.handlingUnit && current.section === item.section && current.category === item.category &&
      current.source === item.source && current.accountableBodyId === item.accountableBodyId && current.townshipRole === item.townshipRole &&
      current.townshipDuty === item.townshipDuty && current.villageDuty === item.villageDuty && current.legalBasis === item.legalBasis &&
      JSON.stringify(current.cooperating) === JSON.stringify(item.cooperating) &&
      JSON.stringify([current.stagedDuties, current.accountabilityCircumstances, current.exemptions, current.keywords]) ===
        JSON.stringify([item.stagedDuties, item.accountabilityCircumstances, item.exemptions, item.keywords]) &&
      JSON.stringify(row.citation_keys) === JSON.stringify(item.citations.map((c) => [c.raw, c.label, c.provisionId, c.instrumentId]));
    return same ? current : null;
  }

  /** Removes an item from a draft: drops its pending row and, if the item is in force, marks its removal. */
  async removeItem(actor: Actor, versionId: string, itemCode: string, expectedRevision?: number | null, outer?: EntityManager): Promise<boolean> {
    this.requirePermission(actor, Permission.EDIT_LISTS);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'DRAFT', '修改');
      requireRevision(version, expectedRevision);
      const [pendingRow] = await em.query(
        'SELECT id, removed FROM list_item WHERE list_id = $1 AND item_code = $2 AND from_version = $3 AND pending',
        [version.listId, itemCode, version.number],
      );
      if (pendingRow?.removed) throw badInput('itemCode', `事项“${itemCode}”已在本草稿中删除`);
      if (pendingRow) await em.query('DELETE FROM list_item WHERE id = $1', [pendingRow.id]);
      // The row in force, if any, gets a removal marker that publishing turns into its end.
      const marked = await em.query(
        `INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, removed, name, description, sub_item, handling_unit,
           section, category, source, accountable_body_id, township_role, township_duty, village_duty, cooperating, legal_basis,
           staged_duties, accountability_circumstances, exemptions, keywords)
         SELECT list_id, region_code, kind, item_code, $3, true, name, description, sub_item, handling_unit, section, category, source,
           accountable_body_id, township_role, township_duty, village_duty, cooperating, legal_basis, staged_duties,
           accountability_circumstances, exemptions, keywords
         FROM list_item WHERE list_id = $1 AND item_code = $2 AND NOT pending AND to_version IS NULL
         RETURNING id`,
        [version.listId, itemCode, version.number],
      );
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
      const items = itemsOfVersionCondition(version);
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM list_item i WHERE ${items.sql}`, items.params);
      if (n === 0) throw conflict('清单没有任何事项，不能提交审核');
      return this.update(em, actor, 'submitForReview', version, { status: 'IN_REVIEW', submittedBy: actorName(actor), submittedAt: new Date(), revision: version.revision + 1 });
    }, outer);
  }

  /** Four eyes: a reviewer approves, never the one who submitted. */
  async approveVersion(actor: Actor, versionId: string, opinion: string | null | undefined, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.REVIEW_LISTS);
    const text = checkOpinion(opinion, false);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'IN_REVIEW', '审核');
      if (version.submittedBy === actorName(actor)) throw forbidden('不能审核自己提交的版本，须由另一名审核人员审核');
      return this.update(em, actor, 'approveVersion', version, { status: 'APPROVED', approvedBy: actorName(actor), approvedAt: new Date(), reviewOpinion: text, revision: version.revision + 1 });
    }, outer);
  }

  async rejectVersion(actor: Actor, versionId: string, opinion: string, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.REVIEW_LISTS);
    const text = checkOpinion(opinion, true);
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      requireStatus(version, 'IN_REVIEW', '退回');
      if (version.submittedBy === actorName(actor)) throw forbidden('不能审核自己提交的版本，须由另一名审核人员审核');
      return this.update(em, actor, 'rejectVersion', version, { status: 'DRAFT', reviewOpinion: text, submittedBy: null, submittedAt: null, revision: version.revision + 1 });
    }, outer);
  }

  /**
   * Publishes an approved version from `effectiveFrom`: the previous version ends that day, the
   * rows it replaces are closed once and for all, its pending rows become published rows.
   */
  async publishVersion(actor: Actor, versionId: string, effectiveFrom: string, approvalDocNumber: string, outer?: EntityManager): Promise<ListVersionModel> {
    this.requirePermission(actor, Permission.PUBLISH_LISTS);
    if (!parseLocalDate(effectiveFrom)) throw badInput('effectiveFrom', `生效日期“${effectiveFrom}”无效`);
    const docNumber = approvalDocNumber?.trim();
    if (!docNumber || docNumber.length > 100 || /[\u0000-\u001F]/.test(docNumber)) throw badInput('approvalDocNumber', '批准文号不能为空，且不超过100个字符');
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      await em.query('SELECT id FROM duty_list WHERE id = $1 FOR UPDATE', [version.listId]);
      requireStatus(version, 'APPROVED', '发布');
      const latest = await em.getRepository(ListVersionEntity).findOne({ where: { listId: version.listId, status: 'PUBLISHED' } });
      if (latest) {
        if (effectiveFrom <= latest.effectiveFrom!)
          throw conflict(`生效日期须晚于现行版本 v${latest.number} 的生效日期 ${latest.effectiveFrom}：历史不可改写，更正请发布新版本`, { field: 'effectiveFrom' });
        await this.update(em, actor, 'supersedeVersion', latest, { status: 'SUPERSEDED', effectiveTo: effectiveFrom });
      }
      const [list, num] = [version.listId, version.number];
      await em.query(
        `UPDATE list_item SET to_version = $2 WHERE list_id = $1 AND NOT pending AND to_version IS NULL
           AND item_code IN (SELECT item_code FROM list_item WHERE list_id = $1 AND pending AND from_version = $2)`,
        [list, num],
      );
      await em.query('DELETE FROM list_item WHERE list_id = $1 AND pending AND removed AND from_version = $2', [list, num]);
      await em.query('UPDATE list_item SET pending = false WHERE list_id = $1 AND pending AND from_version = $2', [list, num]);
      return this.update(em, actor, 'publishVersion', version, {
        status: 'PUBLISHED',
        effectiveFrom,
        approvalDocNumber: docNumber,
        publishedBy: actorName(actor),
        publishedAt: new Date(),
      });
    }, outer);
  }

  private async bumpRevision(em: EntityManager, version: ListVersionEntity): Promise<void> {
    await em.getRepository(ListVersionEntity).update({ id: version.id }, { revision: version.revision + 1 });
    version.revision += 1;
  }

  /** Changes a version's own fields and records the change (before and after of those fields). */
  private async update(em: EntityManager, actor: Actor, action: string, version: ListVersionEntity, changes: Partial<ListVersionEntity>): Promise<ListVersionModel> {
    await em.getRepository(ListVersionEntity).update({ id: version.id }, changes);
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, version[k as keyof ListVersionEntity] ?? null]));
    await this.audit.record(em, actor, { action, entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode, before, after: changes });
    return toVersionModel({ ...version, ...changes } as ListVersionEntity);
  }
}

function checkOpinion(opinion: string | null | undefined, required: boolean): string | null {
  const text = opinion?.trim() || null;
  if (required && !text) throw badInput('opinion', '退回时必须填写审核意见');
  if (text && (text.length > 5000 || /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text))) throw badInput('opinion', '审核意见不超过5000个字符，且不能含控制字符');
  return text;
}
