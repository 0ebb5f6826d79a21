import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { can, coversRegion, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, conflict, forbidden, notFound } from '../../common/domain-error.js';
import { parseLocalDate, todayInChina } from '../../common/local-date.scalar.js';
import { checkText } from '../../common/text-input.js';
import { AuditService } from '../audit/audit.service.js';
import { countyOf } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import { DutyListEntity, LIST_KINDS, type ListKind } from './duty-list.entity.js';
import { memoizedSegmentation, searchDocument, SEARCH_VECTOR_SQL, type Segment } from '../accountability/item-search-document.js';
import { ITEM_CODE_RE, ListItemPreparer, type PreparedItem } from './list-item.preparer.js';
import { itemRowToModel, itemsOfVersionCondition, toVersionModel } from './list-read.service.js';
import { translateDatabaseError } from '../../database/database-errors.js';
import { lockVersionForWrite, requireRevision, requireStatus } from './list-version.access.js';
import { ListVersionEntity } from './list-version.entity.js';
import { ReadCache } from '../../common/read-cache.js';
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
    private readonly readCache: ReadCache,
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
    const [written] = await this.writeDraftItems(em, version, [item], true);
    return written.item!;
  }

  /**
   * Writes prepared items (distinct item codes) as the draft's pending rows, as `writeDraftItem`
   * does one, in a few statements whatever the count: pending rows replaced and rows in force read
   * at once, then one statement per batch of changed items (rows and citations together). `echo`
   * answers the written rows (saveItem shows it); an import needs only the counts.
   */
  async writeDraftItems(em: EntityManager, version: ListVersionEntity, items: PreparedItem[], echo = false): Promise<DraftWrite[]> {
    const codes = items.map((i) => i.itemCode);
    await em.query('DELETE FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending AND item_code = ANY($3::text[])', [version.listId, version.number, codes]);
    const inForce = await this.rowsInForce(em, version, codes);
    const changed = items.filter((item) => !sameContent(inForce.get(item.itemCode), item));
    const inserted = new Map<string, ListItemModel | null>();
    const segment = memoizedSegmentation();
    // Node segments batch k+1 while the database writes batch k: the two costs of an import overlap.
    let writing: Promise<void> = Promise.resolve();
    for (let at = 0; at < changed.length; at += WRITE_BATCH) {
      const batch = changed.slice(at, at + WRITE_BATCH);
      const rows = draftRows(batch, segment);
      await writing;
      writing = this.insertDraftRows(em, version, rows, echo, inserted);
      writing.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      await new Promise((sent) => setImmediate(sent)); // the statement leaves before the next batch's segmentation
    }
    await writing;
    return items.map((item) => {
      const current = inForce.get(item.itemCode);
      if (!inserted.has(item.itemCode)) return { item: current!.model, change: 'UNCHANGED' };
      return { item: inserted.get(item.itemCode) ?? undefined, change: current ? 'CHANGED' : 'ADDED' };
    });
  }

  /** One batch of pending rows and their citations, in one statement. */
  private async insertDraftRows(em: EntityManager, version: ListVersionEntity, rows: DraftRows, echo: boolean, inserted: Map<string, ListItemModel | null>) {
    const returned: Record<string, any>[] = await em.query(
      `WITH item AS (
         INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, name, description, sub_item, handling_unit,
           section, category, source, accountable_body_id, township_role, township_duty, village_duty, cooperating, legal_basis,
           staged_duties, accountability_circumstances, exemptions, keywords, has_unresolved_citations, search_vector, search_text)
         SELECT $1, $2, $3, r.item_code, $4, r.name, r.description, r.sub_item, r.handling_unit, r.section, r.category, r.source,
           r.accountable_body_id, r.township_role, r.township_duty, r.village_duty, r.cooperating, r.legal_basis, r.staged_duties,
           r.accountability_circumstances, r.exemptions, r.keywords, r.has_unresolved_citations,
           ${SEARCH_VECTOR_SQL('r.sa', 'r.sb', 'r.sc', 'r.sd')}, r.search_text
         FROM jsonb_to_recordset($5::jsonb) AS r(item_code text, name text, description text, sub_item text, handling_unit text,
           section text, category text, source text, accountable_body_id uuid, township_role text, township_duty text, village_duty text,
           cooperating jsonb, legal_basis text, staged_duties text[], accountability_circumstances text[], exemptions text[], keywords text[],
           has_unresolved_citations boolean, sa text, sb text, sc text, sd text, search_text text)
         RETURNING ${echo ? WRITTEN_COLUMNS : 'id, item_code'}
       ), citation AS (
         -- The citations' guard trigger cannot see these rows yet (same statement): it lets them
         -- through, as it would, since they are pending rows of a draft. The foreign key is
         -- checked at the end of the statement, when it can.
         INSERT INTO item_citation (item_id, ordinal, raw, instrument_title, article, paragraph, item, label, resolved, instrument_id, instrument_version_id, provision_id)
         SELECT item.id, c.ordinal, c.raw, c.instrument_title, c.article, c.paragraph, c.item, c.label, c.resolved, c.instrument_id, c.instrument_version_id, c.provision_id
         FROM jsonb_to_recordset($6::jsonb) AS c(item_code text, ordinal int, raw text, instrument_title text, article int, paragraph int,
           item int, label text, resolved boolean, instrument_id uuid, instrument_version_id uuid, provision_id uuid)
         JOIN item ON item.item_code = c.item_code
       )
       SELECT ${echo ? WRITTEN_COLUMNS : 'item_code'} FROM item`,
      [version.listId, version.regionCode, version.kind, version.number, rows.items, rows.citations],
    );
    for (const r of returned) inserted.set(r.item_code, echo ? itemRowToModel(r) : null);
  }

  /** The rows in force for these item codes, with the keys their citations are compared by. */
  private async rowsInForce(em: EntityManager, version: ListVersionEntity, codes: string[]): Promise<Map<string, RowInForce>> {
    const rows: Record<string, any>[] = await em.query(
      `SELECT ${WRITTEN_COLUMNS}, coalesce((SELECT json_agg(json_build_array(c.raw, c.label, c.provision_id, c.instrument_id) ORDER BY c.ordinal)
                             FROM item_citation c WHERE c.item_id = i.id), '[]'::json) AS citation_keys
       FROM list_item i WHERE i.list_id = $1 AND i.item_code = ANY($2::text[]) AND NOT i.pending AND i.to_version IS NULL`,
      [version.listId, codes],
    );
    return new Map(rows.map((row) => [row.item_code, { model: itemRowToModel(row), citationKeys: row.citation_keys }]));
  }

  /**
   * Makes a draft's items exactly `items` (spreadsheet import): writes them in batches, drops pending
   * rows of other items and marks the removal of the items in force that `items` lacks; one revision.
   */
  async replaceDraftItems(em: EntityManager, version: ListVersionEntity, items: PreparedItem[]): Promise<{ writes: DraftWrite[]; removed: string[] }> {
    requireStatus(version, 'DRAFT', '修改');
    const writes = await this.writeDraftItems(em, version, items);
    const keep = items.map((i) => i.itemCode);
    await em.query('DELETE FROM list_item WHERE list_id = $1 AND from_version = $2 AND pending AND NOT (item_code = ANY($3::text[]))', [version.listId, version.number, keep]);
    const kept = new Set(keep);
    const current: { item_code: string }[] = await em.query('SELECT item_code FROM list_item WHERE list_id = $1 AND NOT pending AND to_version IS NULL', [version.listId]);
    const removed = await this.markRemoved(em, version, current.map((r) => r.item_code).filter((code) => !kept.has(code)));
    await this.bumpRevision(em, version);
    return { writes, removed };
  }

  /** Removal markers for items in force (publishing turns each into its row's end); answers the codes marked. */
  private async markRemoved(em: EntityManager, version: ListVersionEntity, codes: string[]): Promise<string[]> {
    if (!codes.length) return [];
    const marked: { item_code: string }[] = await em.query(
      `INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, removed, name, description, sub_item, handling_unit,
         section, category, source, accountable_body_id, township_role, township_duty, village_duty, cooperating, legal_basis,
         staged_duties, accountability_circumstances, exemptions, keywords)
       SELECT list_id, region_code, kind, item_code, $3, true, name, description, sub_item, handling_unit, section, category, source,
         accountable_body_id, township_role, township_duty, village_duty, cooperating, legal_basis, staged_duties,
         accountability_circumstances, exemptions, keywords
       FROM list_item WHERE list_id = $1 AND item_code = ANY($2::text[]) AND NOT pending AND to_version IS NULL
       RETURNING item_code`,
      [version.listId, codes, version.number],
    );
    return marked.map((r) => r.item_code);
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
      const [pendingRow] = await em.query(
        'SELECT id, removed FROM list_item WHERE list_id = $1 AND item_code = $2 AND from_version = $3 AND pending',
        [version.listId, itemCode, version.number],
      );
      if (pendingRow?.removed) throw badInput('itemCode', `事项“${itemCode}”已在本草稿中删除`);
      if (pendingRow) await em.query('DELETE FROM list_item WHERE id = $1', [pendingRow.id]);
      // The row in force, if any, gets a removal marker that publishing turns into its end.
      const marked = await this.markRemoved(em, version, [itemCode]);
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
    const doc = checkText(approvalDocNumber, { max: 100, kind: 'line', required: true });
    if (!doc.ok) throw badInput('approvalDocNumber', `批准文号${doc.problem}（不能为空，且不超过100个字符）`);
    const docNumber = doc.value!;
    return this.transaction(async (em) => {
      const version = await lockVersionForWrite(em, actor, versionId);
      await em.query('SELECT id FROM duty_list WHERE id = $1 FOR UPDATE', [version.listId]);
      requireStatus(version, 'APPROVED', '发布');
      // What is in force changes when this commits: drop the public answers then.
      this.readCache.invalidateOnCommit(em, 'answers', 'inForce', 'responses');
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
  const checked = checkText(opinion, { max: 5000, kind: 'text' });
  if (!checked.ok) throw badInput('opinion', `审核意见${checked.problem}（不超过5000个字符，且不能含控制字符）`);
  if (required && !checked.value) throw badInput('opinion', '退回时必须填写审核意见');
  return checked.value;
}

/** How a prepared item came out in a draft: a new pending row (ADDED, CHANGED) or the row in force kept. */
export interface DraftWrite {
  /** The row now in the draft (written or in force); with `echo` or when unchanged. */
  item?: ListItemModel;
  change: 'ADDED' | 'CHANGED' | 'UNCHANGED';
}

interface RowInForce {
  model: ListItemModel;
  citationKeys: unknown;
}

/** Items written per statement: large imports go in a few round trips of bounded size. */
const WRITE_BATCH = 1000;

const WRITTEN_COLUMNS = `id, item_code, name, description, sub_item, handling_unit, section, category, source, accountable_body_id,
  township_role, township_duty, village_duty, cooperating, legal_basis, staged_duties, accountability_circumstances, exemptions, keywords`;

/** A batch of changed items as the JSON parameters of the write: rows with their search documents, and citations. */
interface DraftRows {
  items: string;
  citations: string;
}

function draftRows(items: PreparedItem[], segment: Segment): DraftRows {
  const rows = items.map((item) => {
    const doc = searchDocument({ ...item, cooperatingDuties: item.cooperating.map((c) => c.duty), citationLabels: item.citations.map((c) => c.label) }, segment);
    return {
      item_code: item.itemCode, name: item.name, description: item.description, sub_item: item.subItem, handling_unit: item.handlingUnit,
      section: item.section, category: item.category, source: item.source, accountable_body_id: item.accountableBodyId,
      township_role: item.townshipRole, township_duty: item.townshipDuty, village_duty: item.villageDuty, cooperating: item.cooperating,
      legal_basis: item.legalBasis, staged_duties: item.stagedDuties, accountability_circumstances: item.accountabilityCircumstances,
      exemptions: item.exemptions, keywords: item.keywords, has_unresolved_citations: item.citations.some((c) => !c.resolved),
      sa: doc.a, sb: doc.b, sc: doc.c, sd: doc.d, search_text: doc.text,
    };
  });
  const citations = items.flatMap((item) =>
    item.citations.map((c, ordinal) => ({
      item_code: item.itemCode, ordinal, raw: c.raw, instrument_title: c.instrumentTitle, article: c.article, paragraph: c.paragraph,
      item: c.item, label: c.label, resolved: c.resolved, instrument_id: c.instrumentId, instrument_version_id: c.instrumentVersionId,
      provision_id: c.provisionId,
    })),
  );
  return { items: JSON.stringify(rows), citations: JSON.stringify(citations) };
}

/** Whether the row in force holds exactly the prepared content (then the draft writes nothing for it). */
function sameContent(current: RowInForce | undefined, item: PreparedItem): boolean {
  if (!current) return false;
  const m = current.model;
  return (
    m.name === item.name && m.description === item.description && m.subItem === item.subItem &&
    m.handlingUnit === item.handlingUnit && m.section === item.section && m.category === item.category &&
    m.source === item.source && m.accountableBodyId === item.accountableBodyId && m.townshipRole === item.townshipRole &&
    m.townshipDuty === item.townshipDuty && m.villageDuty === item.villageDuty && m.legalBasis === item.legalBasis &&
    JSON.stringify(m.cooperating) === JSON.stringify(item.cooperating) &&
    JSON.stringify([m.stagedDuties, m.accountabilityCircumstances, m.exemptions, m.keywords]) ===
      JSON.stringify([item.stagedDuties, item.accountabilityCircumstances, item.exemptions, item.keywords]) &&
    JSON.stringify(current.citationKeys) === JSON.stringify(item.citations.map((c) => [c.raw, c.label, c.provisionId, c.instrumentId]))
  );
}
