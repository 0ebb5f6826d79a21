import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { can, coversRegion, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, forbidden, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { parseLocalDate } from '../../common/local-date.scalar.js';
import { AuditService } from '../audit/audit.service.js';
import { toBodyModel } from '../bodies/bodies.service.js';
import type { BodyModel } from '../bodies/body.model.js';
import type { BodyKind } from '../bodies/body.entity.js';
import { LIST_KINDS, type ListKind } from '../lists/duty-list.entity.js';
import type { ListSection, StoredCooperation, TownshipRole } from '../lists/list-item.entity.js';
import { PUBLISHED_STATUSES } from '../lists/list-version.entity.js';
import { countyOf, regionCodeRange } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import type {
  BodyDutiesModel,
  BodyDutyModel,
  CountyFindingModel,
  CountyMatrixModel,
  MatrixCellModel,
  MatrixRole,
  MatrixTownshipModel,
  MatterFlagModel,
  MatterModel,
} from './county-views.model.js';
import { groupMatters, type Matter, type MatterItem, type MatterLink } from './matters.js';
import { MatterLinkEntity } from './matter-link.entity.js';

/** One item in force in a township of the county, as the matrix and the findings read it. */
export interface CountyItem extends MatterItem {
  kind: ListKind;
  itemId: string;
  section: ListSection | null;
  townshipRole: TownshipRole;
  legalBasis: string | null;
  cooperating: StoredCooperation[];
  accountableBody: BodyModel & { countyCode: string };
  /** Cited instruments: resolved titles, or the title as written. */
  instruments: string[];
  versionId: string;
  versionNumber: number;
}

/** A township's version in force of one kind. */
interface TownshipVersion extends MatrixTownshipModel {
  kind: ListKind;
}

interface CountySnapshot {
  county: { code: string; name: string };
  asOf: string;
  versions: TownshipVersion[];
  items: CountyItem[];
  links: (MatterLink & { kind: ListKind })[];
}

const ROLE_LABEL: Record<MatrixRole, string> = { LEAD: '基本履职', COOPERATE: '配合履职', RECLAIMED: '已收回', ABSENT: '未列入' };
export const matrixRoleLabel = (role: MatrixRole) => ROLE_LABEL[role];
export const LIST_KIND_LABEL: Record<ListKind, string> = { POWER: '权力清单', RESPONSIBILITY: '责任清单' };

const toMatrixRole = (role: TownshipRole): MatrixRole => (role === 'NONE' ? 'ABSENT' : role);

/**
 * County-wide views over the published lists in force: the matters across townships (matrix),
 * the gaps and overlaps (findings), a department's duties across the county; and the editors'
 * manual links between items. Reads are public (published data only: versions in force are
 * published by definition); the matrix costs three statements whatever the county's size.
 */
@Injectable()
export class CountyViewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  async requireCounty(input: string, em?: EntityManager): Promise<{ code: string; name: string }> {
    const region = await this.regions.requireRegion(input, 'countyCode', em);
    if (region.level !== 'COUNTY') throw badInput('countyCode', `“${region.name}”不是县级区划：请填写县（市、区）的代码`);
    return { code: region.code, name: region.name };
  }

  /** Everything the county views read, in three statements: the county, the items in force with their versions, bodies and citations, the links. */
  private async snapshot(countyInput: string, kinds: readonly ListKind[], asOf: string, forFindings = false): Promise<CountySnapshot> {
    if (!parseLocalDate(asOf)) throw badInput('asOf', `日期“${asOf}”无效`);
    const county = await this.requireCounty(countyInput);
    const [low, high] = regionCodeRange(county.code);
    // Citations are aggregated per item in a join rather than a subquery per row (whose estimate
    // made the planner JIT-compile the statement: ~70 ms), and rows come unsorted (a sort of these
    // wide rows spilled to disk): versions and items are put in order here. The matrix needs no
    // section nor cooperating duties (a JSON value per row for the driver to parse): only the findings read them.
    const detail = forFindings ? 'i.section, i.cooperating' : 'NULL AS section, NULL AS cooperating';
    const rows: Record<string, any>[] = await this.dataSource.query(
      `WITH v AS (
         SELECT v.id, v.list_id, v.kind, v.number, v.region_code, v.effective_from, v.approval_doc_number, r.name AS township_name
         FROM list_version v JOIN region r ON r.code = v.region_code
         WHERE v.region_code BETWEEN $1 AND $2 AND v.kind = ANY($3::text[]) AND v.status = ANY($4::text[])
           AND v.effective_from <= $5 AND (v.effective_to IS NULL OR v.effective_to > $5)),
       i AS (
         SELECT v.id AS version_id, i.id, i.item_code, i.name, i.sub_item, ${detail}, i.township_role, i.legal_basis, i.accountable_body_id
         FROM v JOIN list_item i ON i.list_id = v.list_id AND NOT i.pending AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)),
       c AS (
         SELECT c.item_id, json_agg(json_build_array(c.provision_id, coalesce(iv.title, c.instrument_title)) ORDER BY c.ordinal) AS citations
         FROM i JOIN item_citation c ON c.item_id = i.id LEFT JOIN legal_instrument iv ON iv.id = c.instrument_id
         GROUP BY c.item_id)
       SELECT v.id AS version_id, v.kind, v.number, v.region_code, to_char(v.effective_from, 'YYYY-MM-DD') AS effective_from, v.approval_doc_number, v.township_name,
         i.id AS item_id, i.item_code, i.name, i.sub_item, i.section, i.township_role, i.legal_basis, i.cooperating,
         b.id AS body_id, b.name AS body_name, b.kind AS body_kind, b.region_code AS body_region, b.county_code AS body_county, c.citations
       FROM v
       LEFT JOIN i ON i.version_id = v.id
       LEFT JOIN body b ON b.id = i.accountable_body_id
       LEFT JOIN c ON c.item_id = i.id`,
      [low, high, kinds, PUBLISHED_STATUSES, asOf],
    );
    const versions = new Map<string, TownshipVersion>();
    const items: CountyItem[] = [];
    /** The body of every item that names it: a county has a few hundred bodies for thousands of items. */
    const bodies = new Map<string, CountyItem['accountableBody']>();
    for (const r of rows) {
      if (!versions.has(r.version_id))
        versions.set(r.version_id, {
          kind: r.kind, code: r.region_code, name: r.township_name, versionId: r.version_id, versionNumber: r.number,
          effectiveFrom: r.effective_from, approvalDocNumber: r.approval_doc_number,
        });
      if (!r.item_id) continue;
      const citations: [string | null, string | null][] = r.citations ?? [];
      let body = bodies.get(r.body_id);
      if (!body) bodies.set(r.body_id, (body = { ...toBodyModel({ id: r.body_id, name: r.body_name, kind: r.body_kind, regionCode: r.body_region }), countyCode: r.body_county }));
      items.push({
        key: `${r.region_code}|${r.item_code}`,
        kind: r.kind,
        regionCode: r.region_code,
        itemCode: r.item_code,
        itemId: r.item_id,
        name: r.name,
        subItem: r.sub_item,
        section: r.section,
        townshipRole: r.township_role,
        legalBasis: r.legal_basis,
        cooperating: r.cooperating ?? [],
        accountableBody: body,
        provisionIds: citations.map((c) => c[0]).filter((p): p is string => !!p),
        instruments: [...new Set(citations.map((c) => c[1]).filter((t): t is string => !!t))],
        versionId: r.version_id,
        versionNumber: r.number,
      });
    }
    // by township, kind and item code (codes compared as written, whatever the database's collation)
    const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const kindOrder = (k: ListKind) => (k === 'POWER' ? 0 : 1);
    const ordered = [...versions.values()].sort((a, b) => byCode(a.code, b.code) || kindOrder(a.kind) - kindOrder(b.kind));
    items.sort((a, b) => byCode(a.regionCode, b.regionCode) || kindOrder(a.kind) - kindOrder(b.kind) || byCode(a.itemCode, b.itemCode));
    const links: (MatterLink & { kind: ListKind })[] = (
      await this.dataSource.query(
        `SELECT kind, region_a, item_code_a, region_b, item_code_b, linked FROM matter_link WHERE county_code = $1 AND kind = ANY($2::text[])`,
        [county.code, kinds],
      )
    ).map((l: Record<string, any>) => ({ kind: l.kind, a: `${l.region_a}|${l.item_code_a}`, b: `${l.region_b}|${l.item_code_b}`, linked: l.linked }));
    return { county, asOf, versions: ordered, items, links };
  }

  /** matter × township → role, accountable body, basis, version; with the inconsistencies flagged. */
  async countyMatrix(countyInput: string, kind: ListKind, asOf: string): Promise<CountyMatrixModel> {
    if (!LIST_KINDS.includes(kind)) throw badInput('kind', `清单类型“${kind}”无效`);
    const snap = await this.snapshot(countyInput, [kind], asOf);
    const townships = snap.versions.map(({ kind: _k, ...t }) => t);
    const matters = groupMatters(snap.items, snap.links).map((m) => matterRow(m, townships));
    matters.sort((a, b) => b.townshipCount - a.townshipCount || b.flags.length - a.flags.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { countyCode: snap.county.code, countyName: snap.county.name, kind, asOf, townships, matters };
  }

  /**
   * Gaps and overlaps: two items of one township leading the same matter; a matter reclaimed by a
   * body that is not a department of the county; cooperating duties given to a body that no longer
   * exists; lists in force past their review date (`reviewMonths`, the county's setting).
   */
  async countyFindings(countyInput: string, asOf: string, reviewMonths: (countyCode: string) => Promise<number | null>): Promise<CountyFindingModel[]> {
    const snap = await this.snapshot(countyInput, LIST_KINDS, asOf, true);
    const findings: CountyFindingModel[] = [];
    const versionOf = new Map(snap.versions.map((v) => [v.versionId, v]));
    const base = (i: { regionCode: string; kind: ListKind; versionId: string }) => ({
      townshipCode: i.regionCode,
      townshipName: versionOf.get(i.versionId)!.name,
      listKind: i.kind,
      versionId: i.versionId,
    });

    for (const kind of LIST_KINDS) {
      const items = snap.items.filter((i) => i.kind === kind);
      for (const m of groupMatters(items, snap.links.filter((l) => l.kind === kind))) {
        const leads = new Map<string, CountyItem[]>();
        for (const i of m.items) if (i.townshipRole === 'LEAD') leads.set(i.regionCode, [...(leads.get(i.regionCode) ?? []), i]);
        for (const group of leads.values()) {
          if (group.length < 2) continue;
          findings.push({
            kind: 'DUPLICATE_LEAD', ...base(group[0]), itemCodes: group.map((i) => i.itemCode), body: null,
            message: `${base(group[0]).townshipName}${LIST_KIND_LABEL[kind]}中${group.map((i) => `“${i.name}”（${i.itemCode}）`).join('与')}是同一事项，都由本乡镇牵头，重复列入`,
          });
        }
      }
    }
    for (const i of snap.items) {
      if (i.townshipRole !== 'RECLAIMED') continue;
      const b = i.accountableBody;
      if (b.regionCode === snap.county.code) continue;
      const where = b.countyCode !== snap.county.code ? '不是本县（市、区）的主体' : b.level === 'COUNTY' ? '不是本县（市、区）的部门' : '不是县级部门，而是乡镇或村级主体';
      findings.push({
        kind: 'RECLAIMED_BY_NON_COUNTY_BODY', ...base(i), itemCodes: [i.itemCode], body: b,
        message: `${base(i).townshipName}“${i.name}”（${i.itemCode}）列为上级部门收回事项，但收回主体“${b.name}”${where}`,
      });
    }
    const cooperatingIds = [...new Set(snap.items.flatMap((i) => i.cooperating.map((c) => c.bodyId)))];
    const bodies = new Map<string, { name: string; kind: string; region_code: string; dissolved_on: string | null }>(
      cooperatingIds.length
        ? (
            await this.dataSource.query(`SELECT id, name, kind, region_code, to_char(dissolved_on, 'YYYY-MM-DD') AS dissolved_on FROM body WHERE id = ANY($1::uuid[])`, [
              cooperatingIds,
            ])
          ).map((r: Record<string, any>) => [r.id, r])
        : [],
    );
    for (const i of snap.items) {
      for (const c of i.cooperating) {
        const b = bodies.get(c.bodyId);
        if (b && (!b.dissolved_on || b.dissolved_on > snap.asOf)) continue;
        findings.push({
          kind: 'COOPERATING_BODY_GONE', ...base(i), itemCodes: [i.itemCode],
          body: b ? toBodyModel({ id: c.bodyId, name: b.name, kind: b.kind as BodyKind, regionCode: b.region_code }) : null,
          message: b
            ? `${base(i).townshipName}“${i.name}”（${i.itemCode}）的配合主体“${b.name}”已于${b.dissolved_on}撤销，配合职责“${c.duty}”无人承担`
            : `${base(i).townshipName}“${i.name}”（${i.itemCode}）的一个配合主体已不存在，配合职责“${c.duty}”无人承担`,
        });
      }
    }
    const months = await reviewMonths(snap.county.code);
    if (months) {
      for (const v of snap.versions) {
        const due = addMonths(v.effectiveFrom, months);
        if (due > snap.asOf) continue;
        findings.push({
          kind: 'LIST_PAST_REVIEW', townshipCode: v.code, townshipName: v.name, listKind: v.kind, versionId: v.versionId, itemCodes: [], body: null,
          message: `${v.name}${LIST_KIND_LABEL[v.kind]}第${v.versionNumber}版自${v.effectiveFrom}施行，按本县每${months}个月复核一次的规定，应于${due}前完成复核，已逾期`,
        });
      }
    }
    const order = new Map(['DUPLICATE_LEAD', 'RECLAIMED_BY_NON_COUNTY_BODY', 'COOPERATING_BODY_GONE', 'LIST_PAST_REVIEW'].map((k, n) => [k, n]));
    return findings.sort((a, b) => order.get(a.kind)! - order.get(b.kind)! || (a.townshipCode < b.townshipCode ? -1 : a.townshipCode > b.townshipCode ? 1 : 0));
  }

  /** 部门履职事项清单: every item in force in the county's townships naming the body as accountable or cooperating. */
  async bodyDuties(bodyId: string, asOf: string): Promise<BodyDutiesModel> {
    if (!parseLocalDate(asOf)) throw badInput('asOf', `日期“${asOf}”无效`);
    const [body] = isUuid(bodyId) ? await this.dataSource.query('SELECT id, name, kind, region_code, county_code FROM body WHERE id = $1', [bodyId]) : [];
    if (!body) throw notFound('未找到该主体');
    const [low, high] = regionCodeRange(body.county_code);
    const rows: Record<string, any>[] = await this.dataSource.query(
      `WITH v AS (
         SELECT v.id, v.list_id, v.kind, v.number, v.region_code, r.name AS township_name
         FROM list_version v JOIN region r ON r.code = v.region_code
         WHERE v.region_code BETWEEN $1 AND $2 AND v.status = ANY($3::text[])
           AND v.effective_from <= $4 AND (v.effective_to IS NULL OR v.effective_to > $4))
       SELECT v.id AS version_id, v.kind, v.number, v.region_code, v.township_name,
         i.item_code, i.name, i.section, i.township_role, i.cooperating, i.lead_duty, i.township_duty,
         b.id AS body_id, b.name AS body_name, b.kind AS body_kind, b.region_code AS body_region
       FROM v
       JOIN list_item i ON i.list_id = v.list_id AND NOT i.pending AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)
       JOIN body b ON b.id = i.accountable_body_id
       WHERE i.accountable_body_id = $5 OR i.cooperating @> jsonb_build_array(jsonb_build_object('bodyId', $5::text))
       ORDER BY v.region_code, v.kind, i.item_code`,
      [low, high, PUBLISHED_STATUSES, asOf, body.id],
    );
    const duties: BodyDutyModel[] = rows.map((r) => {
      const accountable = r.body_id === body.id;
      const mine = (r.cooperating as StoredCooperation[]).find((c) => c.bodyId === body.id);
      return {
        relation: accountable ? 'ACCOUNTABLE' : 'COOPERATING',
        townshipCode: r.region_code,
        townshipName: r.township_name,
        listKind: r.kind,
        versionId: r.version_id,
        versionNumber: r.number,
        itemCode: r.item_code,
        itemName: r.name,
        section: r.section,
        townshipRole: r.township_role,
        accountableBody: toBodyModel({ id: r.body_id, name: r.body_name, kind: r.body_kind, regionCode: r.body_region }),
        cooperatingDuty: accountable ? null : (mine?.duty ?? null),
        leadDuty: r.lead_duty,
        townshipDuty: r.township_duty,
      };
    });
    const accountable = duties.filter((d) => d.relation === 'ACCOUNTABLE');
    return {
      body: toBodyModel({ id: body.id, name: body.name, kind: body.kind, regionCode: body.region_code }),
      asOf,
      accountableCount: accountable.length,
      reclaimedCount: accountable.filter((d) => d.townshipRole === 'RECLAIMED').length,
      cooperatingCount: duties.length - accountable.length,
      duties,
    };
  }

  /**
   * An editor's decision on two items of the county's townships: `linked` one matter, or never
   * one. Replaces an earlier decision on the same pair; audited. Items are named by township and
   * item code (stable across versions), and must be in a list of that kind in the county.
   */
  async setMatterLink(actor: Actor, countyInput: string, kind: ListKind, a: ItemRef, b: ItemRef, linked: boolean | null): Promise<boolean> {
    if (!can(actor, Permission.EDIT_LISTS)) throw forbidden();
    if (!LIST_KINDS.includes(kind)) throw badInput('kind', `清单类型“${kind}”无效`);
    return this.dataSource.transaction(async (em) => {
      const county = await this.requireCounty(countyInput, em);
      if (!coversRegion(actor, county.code)) throw forbidden('不在您的管辖区划内：无权调整该县的事项归并');
      const refs = [a, b].map((r, n) => ({ region: this.regions.parseCode(r.regionCode, n ? 'regionCodeB' : 'regionCodeA'), itemCode: r.itemCode?.trim() ?? '', n }));
      for (const r of refs) {
        const field = r.n ? 'B' : 'A';
        if (countyOf(r.region) !== county.code || r.region === county.code) throw badInput(`regionCode${field}`, `乡镇“${r.region}”不在${county.name}内`);
        const [row] = await em.query(
          `SELECT 1 FROM duty_list d JOIN list_item i ON i.list_id = d.id WHERE d.region_code = $1 AND d.kind = $2 AND i.item_code = $3 AND NOT i.removed LIMIT 1`,
          [r.region, kind, r.itemCode],
        );
        if (!row) throw badInput(`itemCode${field}`, `${LIST_KIND_LABEL[kind]}中没有事项编码为“${r.itemCode}”的事项（乡镇 ${r.region}）`);
      }
      const [x, y] = [refs[0], refs[1]].sort((p, q) => (p.region + '|' + p.itemCode < q.region + '|' + q.itemCode ? -1 : 1));
      if (x.region === y.region && x.itemCode === y.itemCode) throw badInput('itemCodeB', '不能把一个事项与它自己归并或拆分');
      const repo = em.getRepository(MatterLinkEntity);
      const where = { countyCode: county.code, kind, regionA: x.region, itemCodeA: x.itemCode, regionB: y.region, itemCodeB: y.itemCode };
      const existing = await repo.findOne({ where, lock: { mode: 'pessimistic_write' } });
      const before = existing ? { linked: existing.linked } : null;
      if (linked === null) {
        if (!existing) return false;
        await repo.delete({ id: existing.id });
      } else if (existing) {
        if (existing.linked === linked) return false;
        await repo.update({ id: existing.id }, { linked, createdBy: actor.username ?? 'system' });
      } else {
        await repo.insert({ ...where, linked, createdBy: actor.username ?? 'system' });
      }
      await this.audit.record(em, actor, {
        action: linked === null ? 'clearMatterLink' : linked ? 'linkMatterItems' : 'unlinkMatterItems',
        entityType: 'MatterLink',
        entityId: `${county.code}|${kind}|${x.region}|${x.itemCode}|${y.region}|${y.itemCode}`,
        regionCode: county.code,
        before,
        after: linked === null ? null : { linked, a: `${x.region}|${x.itemCode}`, b: `${y.region}|${y.itemCode}` },
      });
      return true;
    });
  }
}

export interface ItemRef {
  regionCode: string;
  itemCode: string;
}

/** A date `months` later (the last day of the month when the day does not exist there). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** One row of the matrix: a cell per township, and the flags. */
function matterRow(m: Matter<CountyItem>, townships: MatrixTownshipModel[]): MatterModel {
  const byTownship = new Map<string, CountyItem[]>();
  for (const i of m.items) byTownship.set(i.regionCode, [...(byTownship.get(i.regionCode) ?? []), i]);
  const rank: Record<MatrixRole, number> = { LEAD: 0, RECLAIMED: 1, COOPERATE: 2, ABSENT: 3 };
  const cells: MatrixCellModel[] = townships.map((t) => {
    const its = (byTownship.get(t.code) ?? []).sort((a, b) => rank[toMatrixRole(a.townshipRole)] - rank[toMatrixRole(b.townshipRole)]);
    const first = its[0];
    if (!first)
      return { townshipCode: t.code, role: 'ABSENT', itemCode: null, itemName: null, accountableBody: null, basis: null, instruments: [], versionId: null, versionNumber: null, itemCount: 0 };
    return {
      townshipCode: t.code,
      role: toMatrixRole(first.townshipRole),
      itemCode: first.itemCode,
      itemName: first.name,
      accountableBody: first.accountableBody,
      basis: first.legalBasis,
      instruments: first.instruments,
      versionId: first.versionId,
      versionNumber: first.versionNumber,
      itemCount: its.length,
    };
  });
  return { id: m.id, name: m.name, evidence: m.evidence, townshipCount: byTownship.size, cells, flags: matterFlags(cells, townships) };
}

/** The inconsistencies of one matter between townships. */
export function matterFlags(cells: MatrixCellModel[], townships: Pick<MatrixTownshipModel, 'code' | 'name'>[]): MatterFlagModel[] {
  const name = new Map(townships.map((t) => [t.code, t.name]));
  const names = (cs: MatrixCellModel[]) => cs.map((c) => name.get(c.townshipCode)).join('、');
  const present = cells.filter((c) => c.role !== 'ABSENT');
  const flags: MatterFlagModel[] = [];
  const lead = present.filter((c) => c.role === 'LEAD');
  const reclaimed = present.filter((c) => c.role === 'RECLAIMED');
  if (lead.length && reclaimed.length)
    flags.push({
      kind: 'LEAD_AND_RECLAIMED', townshipCodes: [...lead, ...reclaimed].map((c) => c.townshipCode),
      message: `${names(lead)}列为本乡镇基本履职，${names(reclaimed)}列为已由上级部门收回`,
    });
  const reclaimers = new Map<string, MatrixCellModel[]>();
  for (const c of reclaimed) reclaimers.set(c.accountableBody!.id, [...(reclaimers.get(c.accountableBody!.id) ?? []), c]);
  if (reclaimers.size > 1)
    flags.push({
      kind: 'RECLAIMED_BY_DIFFERENT_BODIES', townshipCodes: reclaimed.map((c) => c.townshipCode),
      message: `收回部门不一致：${[...reclaimers.values()].map((cs) => `${names(cs)}为${cs[0].accountableBody!.name}`).join('，')}`,
    });
  const based = present.filter((c) => c.instruments.length);
  const disjoint: [MatrixCellModel, MatrixCellModel][] = [];
  for (let x = 0; x < based.length; x++)
    for (let y = x + 1; y < based.length; y++) if (!based[x].instruments.some((t) => based[y].instruments.includes(t))) disjoint.push([based[x], based[y]]);
  if (disjoint.length) {
    const involved = [...new Set(disjoint.flat())];
    flags.push({
      kind: 'DIFFERENT_LEGAL_BASES', townshipCodes: involved.map((c) => c.townshipCode),
      message: `依据的法律法规互不相同：${involved.map((c) => `${name.get(c.townshipCode)}依据${c.instruments.map((t) => `《${t}》`).join('')}`).join('；')}`,
    });
  }
  if (cells.length >= 3 && present.length * 2 > cells.length && present.length < cells.length) {
    const missing = cells.filter((c) => c.role === 'ABSENT');
    flags.push({
      kind: 'MISSING_IN_TOWNSHIP', townshipCodes: missing.map((c) => c.townshipCode),
      message: `${cells.length}个乡镇中${present.length}个列入此事项，${names(missing)}未列入`,
    });
  }
  return flags;
}
