import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { can, coversRegion, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, conflict, forbidden, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { checkText } from '../../common/text-input.js';
import { translateDatabaseError } from '../../database/database-errors.js';
import { AuditService } from '../audit/audit.service.js';
import { BodiesService } from '../bodies/bodies.service.js';
import { citationText, mapThrough, replaceCitation, sameText, versionInForce, type Position } from '../legal/crosswalk.js';
import type { InstrumentVersionEntity } from '../legal/instrument-version.entity.js';
import { LegalService, matchProvision, type CatalogueFileFacts, type CatalogueImport, type CatalogueImportResult, type CatalogueSnapshot } from '../legal/legal.service.js';
import type { ProvisionEntity } from '../legal/provision.entity.js';
import { bodyIdsOf, contentFromRow, contentToInput } from '../lists/item-fields.js';
import { ITEM_COLUMNS } from '../lists/item.repository.js';
import { ListVersionEntity } from '../lists/list-version.entity.js';
import { ListVersionsService } from '../lists/list-versions.service.js';
import type { ListItemInput } from '../lists/list.model.js';
import { PublicationHooks, type PublishedVersion } from '../lists/publication-hooks.js';
import { normalizeRegionCode, regionPrefix } from '../regions/region-code.js';
import { BasisAlertEntity, type AlertKind, type AlertStatus } from './basis-alert.entity.js';

/** What detection found for one citation (before it is stored). */
export interface Finding {
  kind: AlertKind;
  instrumentId: string | null;
  fromInstrumentVersionId: string | null;
  toInstrumentVersionId: string | null;
  oldText: string | null;
  newText: string | null;
  proposedCitation: string | null;
  successorInstrumentId: string | null;
}

/** A citation of an item row in a version in force or scheduled, as detection reads it. */
interface CandidateRow {
  item_id: string;
  item_code: string;
  name: string;
  list_id: string;
  region_code: string;
  list_version_id: string;
  ordinal: number;
  raw: string;
  label: string;
  instrument_title: string | null;
  article: number | null;
  paragraph: number | null;
  item: number | null;
  resolved: boolean;
  provision_id: string | null;
  as_of: string;
}

const CHANGE_REASON = '立改废释';

/** A dry run's way out of its transaction, carrying what it found. */
class CatalogueRolledBack extends Error {
  constructor(readonly outcome: { result: CatalogueImportResult; alerts: { open: number; created: number; closed: number } }) {
    super('rolled back');
  }
}

/**
 * Basis alerts (依据变更提醒, docs/legal-catalogue.md): detection after every catalogue change and
 * publication, the scoped list, acting on an alert (a draft with the proposed citation) and
 * dismissing one. Every write is one transaction with its audit event.
 */
@Injectable()
export class BasisAlertsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly legal: LegalService,
    private readonly versions: ListVersionsService,
    private readonly bodies: BodiesService,
    private readonly audit: AuditService,
    private readonly hooks: PublicationHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.onPublished((em, actor, version) => this.onPublished(em, actor, version));
  }

  /**
   * A catalogue change as the CLI and the upload doors make it: the files' provisions, crosswalk and
   * repeals, the citations of every stored version re-resolved, and the alerts found again — one
   * transaction. A dry run is the same work rolled back: its counts are what the import would do.
   */
  async importCatalogue(
    actor: Actor,
    catalogue: CatalogueImport,
    options: { dryRun?: boolean; files?: CatalogueFileFacts[] } = {},
  ): Promise<{ result: CatalogueImportResult; alerts: { open: number; created: number; closed: number } }> {
    if (!can(actor, Permission.MANAGE_CATALOGUE)) throw forbidden('导入法规目录需要管理目录的权限（ADMIN）');
    try {
      return await this.dataSource.transaction(async (em) => {
        const result = await this.legal.importCatalogueFile(actor, catalogue, em, options.files);
        const alerts = await this.detect(em, actor);
        if (options.dryRun) throw new CatalogueRolledBack({ result, alerts });
        return { result, alerts };
      });
    } catch (e) {
      if (e instanceof CatalogueRolledBack) return e.outcome;
      throw e;
    }
  }

  // ---------------------------------------------------------------- detection

  /**
   * Finds the alerts of every item of every version in force or scheduled (of one list, or all):
   * new findings are stored OPEN, open ones that no longer apply are closed. Returns how many are open.
   */
  async detect(em: EntityManager, actor: Actor, listId?: string): Promise<{ open: number; created: number; closed: number }> {
    const today = todayInChina();
    const params: unknown[] = [today];
    const rows: CandidateRow[] = await em.query(
      `SELECT i.id AS item_id, i.item_code, i.name, i.list_id, i.region_code, c.ordinal, c.raw, c.label, c.instrument_title, c.article, c.paragraph, c.item,
              c.resolved, c.provision_id, fv.effective_from::text AS as_of,
              (SELECT v.id FROM list_version v WHERE v.list_id = i.list_id AND v.status IN ('PUBLISHED','SUPERSEDED')
                  AND v.number >= i.from_version AND (i.to_version IS NULL OR v.number < i.to_version)
                  AND (v.effective_to IS NULL OR v.effective_to > $1::date)
                ORDER BY v.number DESC LIMIT 1) AS list_version_id
         FROM list_item i
         JOIN item_citation c ON c.item_id = i.id
         JOIN list_version fv ON fv.list_id = i.list_id AND fv.number = i.from_version
        WHERE NOT i.pending AND NOT i.removed AND (i.to_version IS NULL OR EXISTS (
                SELECT 1 FROM list_version v WHERE v.list_id = i.list_id AND v.status IN ('PUBLISHED','SUPERSEDED')
                   AND v.number >= i.from_version AND v.number < i.to_version AND (v.effective_to IS NULL OR v.effective_to > $1::date)))
          ${listId ? `AND i.list_id = $${params.push(listId)}` : ''}`,
      params,
    );
    const live = rows.filter((r) => r.list_version_id);
    const catalogue = await this.legal.loadCatalogue(em, [...new Set(live.map((r) => r.instrument_title).filter((t): t is string => !!t))]);
    const found = new Set<string>();
    let created = 0;
    for (const row of live) {
      const finding = findAlert(catalogue, row);
      if (!finding) continue;
      const [saved] = await em.query(
        `INSERT INTO basis_alert (list_id, region_code, list_version_id, item_id, item_code, item_name, citation_ordinal, citation_raw, citation_label, kind,
                                  instrument_id, from_instrument_version_id, to_instrument_version_id, old_text, new_text, proposed_citation, successor_instrument_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (item_id, citation_ordinal, kind, to_instrument_version_id) DO UPDATE
           SET list_version_id = EXCLUDED.list_version_id, old_text = EXCLUDED.old_text, new_text = EXCLUDED.new_text,
               proposed_citation = EXCLUDED.proposed_citation, successor_instrument_id = EXCLUDED.successor_instrument_id,
               from_instrument_version_id = EXCLUDED.from_instrument_version_id, updated_at = now()
           WHERE basis_alert.status = 'OPEN'
         RETURNING id, (xmax = 0) AS inserted`,
        [row.list_id, row.region_code, row.list_version_id, row.item_id, row.item_code, row.name, row.ordinal, row.raw, row.label, finding.kind,
          finding.instrumentId, finding.fromInstrumentVersionId, finding.toInstrumentVersionId, finding.oldText, finding.newText, finding.proposedCitation,
          finding.successorInstrumentId],
      );
      if (saved) {
        found.add(saved.id);
        if (saved.inserted) created++;
      }
    }
    // Open alerts this run did not find again no longer apply (the catalogue now resolves the citation, the row left force…).
    const openParams: unknown[] = [];
    const open: { id: string }[] = await em.query(
      `SELECT id FROM basis_alert WHERE status = 'OPEN' ${listId ? `AND list_id = $${openParams.push(listId)}` : ''}`,
      openParams,
    );
    const stale = open.map((a) => a.id).filter((id) => !found.has(id));
    if (stale.length) {
      await em.query(`UPDATE basis_alert SET status = 'CLOSED', closed_at = now(), closed_by = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [stale, actor.username ?? 'system']);
    }
    if (created || stale.length) {
      await this.audit.record(em, actor, {
        action: 'detectBasisAlerts', entityType: 'BasisAlert', entityId: listId ?? 'all', regionCode: null,
        after: { created, closed: stale.length, open: found.size },
      });
    }
    return { open: found.size, created, closed: stale.length };
  }

  /** Publishing closes the alerts acted on in that version and those of the rows it replaced, then looks at its own rows. */
  private async onPublished(em: EntityManager, actor: Actor, version: PublishedVersion): Promise<void> {
    // An UPDATE … RETURNING through TypeORM answers [rows, count]; inside a CTE it answers the rows.
    const closed: { id: string }[] = await em.query(
      `WITH changed AS (UPDATE basis_alert a SET status = 'CLOSED', closed_at = now(), closed_by = $3, closed_by_version_id = $1, updated_at = now()
        WHERE a.status = 'OPEN' AND a.list_id = $2 AND (a.draft_version_id = $1
           OR EXISTS (SELECT 1 FROM list_item i WHERE i.id = a.item_id AND i.to_version IS NOT NULL AND i.to_version <= $4))
        RETURNING a.id) SELECT * FROM changed`,
      [version.id, version.listId, actor.username ?? 'system', version.number],
    );
    if (closed.length) {
      await this.audit.record(em, actor, {
        action: 'closeBasisAlerts', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
        after: { closed: closed.map((c) => c.id) },
      });
    }
    await this.detect(em, actor, version.listId);
  }

  // ---------------------------------------------------------------- reads

  /** The alerts of a region (a township, or every township of a county) in the caller's scope; OPEN unless `status` says. */
  async list(actor: Actor, regionInput: string | null | undefined, status: AlertStatus = 'OPEN'): Promise<BasisAlertEntity[]> {
    let prefix = '';
    if (regionInput) {
      const code = normalizeRegionCode(regionInput);
      if (!code) throw badInput('regionCode', `区划代码“${regionInput}”格式不正确`);
      // A township or county outside the caller's scope: its alerts are not the caller's to see.
      if (!coversRegion(actor, code)) throw forbidden(`区划“${code}”不在您的管辖区划内（需要该乡镇或所属县级区划的账号）`);
      prefix = regionPrefix(code);
    } else if (actor.regionCode) {
      prefix = regionPrefix(actor.regionCode);
    }
    return this.dataSource
      .getRepository(BasisAlertEntity)
      .createQueryBuilder('a')
      .where('a.status = :status', { status })
      .andWhere('a.region_code LIKE :prefix', { prefix: `${prefix}%` })
      .orderBy('a.region_code')
      .addOrderBy('a.item_code')
      .addOrderBy('a.citation_ordinal')
      .addOrderBy('a.kind')
      .getMany();
  }

  /** Open alerts per list, for many lists at once (one query), within the caller's region. */
  async openCountsByList(actor: Actor, listIds: readonly string[]): Promise<Map<string, number>> {
    if (!can(actor, Permission.READ_DRAFTS) || listIds.length === 0) return new Map();
    const rows: { list_id: string; open: number }[] = await this.dataSource.query(
      `SELECT list_id, count(*)::int AS open FROM basis_alert WHERE status = 'OPEN' AND list_id = ANY($1::uuid[]) AND region_code LIKE $2 GROUP BY list_id`,
      [[...listIds], `${actor.regionCode ? regionPrefix(actor.regionCode) : ''}%`],
    );
    return new Map(rows.map((r) => [r.list_id, r.open]));
  }

  // ---------------------------------------------------------------- acting

  private async lockAlert(em: EntityManager, actor: Actor, id: string): Promise<BasisAlertEntity> {
    const alert = isUuid(id) ? await em.getRepository(BasisAlertEntity).createQueryBuilder('a').setLock('pessimistic_write').where('a.id = :id', { id }).getOne() : null;
    if (!alert || !coversRegion(actor, alert.regionCode)) {
      if (actor.role === 'ADMIN') throw notFound('未找到该依据变更提醒');
      throw forbidden('无权处理该依据变更提醒（不在您的管辖区划内或不存在）');
    }
    if (alert.status !== 'OPEN') throw conflict(`该提醒已${alert.status === 'CLOSED' ? '关闭' : '忽略'}，不能再处理`, { status: alert.status });
    return alert;
  }

  /**
   * Opens (or reuses) a draft of the alert's list with change reason 立改废释, writes the proposed
   * citation into the item's legal basis (or the editor's own `legalBasis`), links the alert.
   */
  async act(actor: Actor, alertId: string, legalBasis: string | null | undefined): Promise<BasisAlertEntity> {
    if (!can(actor, Permission.EDIT_LISTS)) throw forbidden('处理依据变更提醒需要编辑清单的权限（EDITOR 或 ADMIN）');
    try {
      return await this.dataSource.transaction(async (em) => {
        const alert = await this.lockAlert(em, actor, alertId);
        const versions = await em.getRepository(ListVersionEntity).find({ where: { listId: alert.listId }, order: { number: 'DESC' } });
        const open = versions.find((v) => !['PUBLISHED', 'SUPERSEDED'].includes(v.status));
        if (open && open.status !== 'DRAFT') throw conflict(`该清单的版本 v${open.number} 正在审核或待发布，不能再修改；请待其发布或退回后再处理`, { versionId: open.id });
        const kind = versions[0]?.kind ?? (await em.query('SELECT kind FROM duty_list WHERE id = $1', [alert.listId]))[0].kind;
        const draftId = open?.id ?? (await this.versions.createDraft(actor, alert.regionCode, kind, CHANGE_REASON, em)).id;
        const draft = await em.getRepository(ListVersionEntity).findOneByOrFail({ id: draftId });

        // The item as the draft holds it: its own pending row, else the row in force.
        const [row] = await em.query(
          `SELECT ${ITEM_COLUMNS}, i.removed, i.pending FROM list_item i
            WHERE i.list_id = $1 AND i.item_code = $2 AND ((i.pending AND i.from_version = $3) OR (NOT i.pending AND i.to_version IS NULL))
            ORDER BY i.pending DESC LIMIT 1`,
          [alert.listId, alert.itemCode, draft.number],
        );
        if (!row || row.removed) throw conflict(`草稿 v${draft.number} 中已没有事项“${alert.itemCode}”，无需调整依据`, { versionId: draft.id });
        const content = contentFromRow(row);
        let basis: string | null = null;
        if (legalBasis !== null && legalBasis !== undefined) {
          const checked = checkText(legalBasis, { max: 5000, kind: 'text', required: true });
          if (!checked.ok) throw badInput('legalBasis', `实施依据${checked.problem}`);
          basis = checked.value;
        } else if (alert.proposedCitation && content.legalBasis) {
          basis = replaceCitation(content.legalBasis, alert.citationRaw, alert.proposedCitation);
          if (basis === null)
            throw conflict(`草稿中事项“${alert.itemCode}”的实施依据已不含“${alert.citationRaw}”：请在 legalBasis 中给出调整后的实施依据`, { field: 'legalBasis' });
        }
        if (basis !== null && basis !== content.legalBasis) {
          const names = await this.bodies.namesOf(bodyIdsOf([content]), em);
          const input = { ...contentToInput(alert.itemCode, content, names), legalBasis: basis } as unknown as ListItemInput;
          await this.versions.saveItem(actor, draft.id, input, null, em);
        }
        await em.getRepository(BasisAlertEntity).update({ id: alert.id }, { draftVersionId: draft.id, updatedAt: new Date() });
        await this.audit.record(em, actor, {
          action: 'actOnBasisAlert', entityType: 'BasisAlert', entityId: alert.id, regionCode: alert.regionCode,
          before: { legalBasis: content.legalBasis }, after: { draftVersionId: draft.id, legalBasis: basis ?? content.legalBasis, kind: alert.kind },
        });
        return { ...alert, draftVersionId: draft.id };
      });
    } catch (e) {
      translateDatabaseError(e);
    }
  }

  /** Dismisses an alert with a reason (the citation is right as it is, the item goes anyway…). */
  async dismiss(actor: Actor, alertId: string, reason: string): Promise<BasisAlertEntity> {
    if (!can(actor, Permission.EDIT_LISTS)) throw forbidden('忽略依据变更提醒需要编辑清单的权限（EDITOR 或 ADMIN）');
    const checked = checkText(reason, { max: 1000, kind: 'text', required: true });
    if (!checked.ok || !checked.value) throw badInput('reason', `忽略原因${checked.ok ? '不能为空' : checked.problem}（不超过1000个字符）`);
    return this.dataSource.transaction(async (em) => {
      const alert = await this.lockAlert(em, actor, alertId);
      const changes = { status: 'DISMISSED' as const, dismissReason: checked.value, closedAt: new Date(), closedBy: actor.username ?? 'system', updatedAt: new Date() };
      await em.getRepository(BasisAlertEntity).update({ id: alert.id }, changes);
      await this.audit.record(em, actor, {
        action: 'dismissBasisAlert', entityType: 'BasisAlert', entityId: alert.id, regionCode: alert.regionCode,
        before: { status: alert.status }, after: { status: 'DISMISSED', reason: checked.value },
      });
      return { ...alert, ...changes };
    });
  }
}

/**
 * The alert a citation deserves, if any (docs/legal-catalogue.md, "Alerts"):
 * - the instrument is repealed → REPEALED, proposing its successor;
 * - it resolves in the version in force on the list's date, and a newer version renumbered
 *   (→ RENUMBERED), deleted (→ DELETED) or reworded (→ AMENDED) that provision;
 * - it does not resolve there, but an older version's crosswalk moved that very number before the
 *   list's date (the list still uses the old numbering) → RENUMBERED or DELETED from that version;
 * - otherwise a citation that does not resolve → UNRESOLVED.
 */
export function findAlert(catalogue: CatalogueSnapshot, c: Pick<CandidateRow, 'instrument_title' | 'article' | 'paragraph' | 'item' | 'resolved' | 'provision_id' | 'as_of'>): Finding | null {
  const none = { instrumentId: null, fromInstrumentVersionId: null, toInstrumentVersionId: null, oldText: null, newText: null, proposedCitation: null, successorInstrumentId: null };
  const instrument = c.instrument_title ? catalogue.byTitle.get(c.instrument_title) : undefined;
  if (!instrument) return c.resolved ? null : { ...none, kind: 'UNRESOLVED' };
  const versions = catalogue.versionsOf.get(instrument.id) ?? [];
  const crosswalk = catalogue.crosswalkOf.get(instrument.id) ?? [];
  const provisionIn = (v: InstrumentVersionEntity, p: Position): ProvisionEntity | undefined =>
    matchProvision(catalogue.provisionsOf.get(`${v.id}:${p.article}`) ?? [], { paragraph: p.paragraph, item: c.item });
  const textsIn = (v: InstrumentVersionEntity, ps: Position[]): string | null => {
    const texts = ps.map((p) => provisionIn(v, p)).filter((p): p is ProvisionEntity => !!p);
    if (texts.length === 0) return null;
    return texts.length === 1 ? texts[0].text : texts.map((p) => `${citationText('', [{ article: p.article, paragraph: p.paragraph }]).slice(2)}：${p.text}`).join('\n');
  };
  const cited: Position | null = c.article !== null ? { article: c.article, paragraph: c.paragraph } : null;
  const asOfVersion = versionInForce(versions, c.as_of);

  if (instrument.repealedOn) {
    const successor = instrument.successorId ? catalogue.byId.get(instrument.successorId) : undefined;
    return {
      ...none, kind: 'REPEALED', instrumentId: instrument.id, fromInstrumentVersionId: asOfVersion?.id ?? null,
      oldText: asOfVersion && cited ? (provisionIn(asOfVersion, cited)?.text ?? null) : null,
      proposedCitation: successor ? `《${successor.title}》` : null, successorInstrumentId: successor?.id ?? null,
      newText: successor ? `《${c.instrument_title}》自${instrument.repealedOn}起废止，由《${successor.title}》替代` : `《${c.instrument_title}》自${instrument.repealedOn}起废止`,
    };
  }
  if (!cited) return c.resolved ? null : { ...none, kind: 'UNRESOLVED', instrumentId: instrument.id };
  const latest = versions[versions.length - 1];

  /** An alert comparing `cited` in `from` with where the crosswalk takes it in the latest version. */
  const compare = (from: InstrumentVersionEntity): Finding | null => {
    const mapped = mapThrough(versions, crosswalk, from.id, latest.id, cited);
    const base = { ...none, instrumentId: instrument.id, fromInstrumentVersionId: from.id, toInstrumentVersionId: latest.id, oldText: provisionIn(from, cited)?.text ?? null };
    if (mapped.positions.length === 0) return { ...base, kind: 'DELETED', newText: null };
    if (mapped.moved) return { ...base, kind: 'RENUMBERED', newText: textsIn(latest, mapped.positions), proposedCitation: citationText(instrument.title, mapped.positions, c.item) };
    const now = provisionIn(latest, cited);
    if (now && base.oldText !== null && !sameText(now.text, base.oldText)) return { ...base, kind: 'AMENDED', newText: now.text };
    return null;
  };

  if (c.resolved && asOfVersion) {
    if (latest.id === asOfVersion.id) return null;
    return compare(asOfVersion);
  }
  // Not resolved on the list's date: is it an old number that a crosswalk moved before that date?
  const before = asOfVersion ? versions.slice(0, versions.indexOf(asOfVersion)) : [];
  for (let k = before.length - 1; k >= 0; k--) {
    const older = before[k];
    const next = versions[k + 1];
    const moves = crosswalk.filter((e) => e.fromVersionId === older.id && e.toVersionId === next.id);
    if (mapThrough([older, next], moves, older.id, next.id, cited).moved || moves.some((e) => e.change === 'DELETED' && e.fromArticle === cited.article)) {
      const finding = compare(older);
      if (finding) return finding;
    }
  }
  return { ...none, kind: 'UNRESOLVED', instrumentId: instrument.id, fromInstrumentVersionId: asOfVersion?.id ?? null };
}
