import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { can, coversRegion, outOfScope, scopeWords, type Actor } from '../../auth/actor.js';
import { regionPrefix } from '../regions/region-code.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, conflict, forbidden, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { parseLocalDate } from '../../common/local-date.scalar.js';
import { checkText, clip } from '../../common/text-input.js';
import { AuditService } from '../audit/audit.service.js';
import { BodyEntity } from '../bodies/body.entity.js';
import { KIND_LABEL } from '../import-export/sheet-writers.js';
import { ListVersionsService } from '../lists/list-versions.service.js';
import type { ListVersionModel } from '../lists/list.model.js';
import { RegionsService } from '../regions/regions.service.js';
import { levelOfCode } from '../regions/region-extract.js';
import type { RegionEntity } from '../regions/region.entity.js';
import type { AdmissionConditionsInput, TaskRequestInput, TaskRequestModel, TaskTargetModel } from './admission.model.js';
import { burdenFlags, FLAG_LABELS, type ReportingRequirements } from './burden-flags.js';
import { ListMatcher, type TaskText } from './list-matcher.js';
import { TaskRequestEntity, TaskTargetEntity, type AdmissionConditions, type Decision, type StoredMatch } from './task-request.entity.js';
import { decideVerdict, type Candidate, type VerdictOutcome } from './verdict.js';

const LIMITS = { title: 200, content: 5000, basis: 2000, listElements: 30, element: 200, condition: 1000, reason: 2000, targets: 300 };
const PAGE_MAX = 200;
/** Requests answered when `first` is not given. */
export const DEFAULT_TASK_REQUESTS = 50;

/** A request's fields once checked. */
interface CheckedRequest extends TaskText {
  requestedStart: string;
  deadline: string | null;
  reporting: ReportingRequirements;
  attachmentNames: string[];
}

const actorName = (actor: Actor) => actor.username ?? 'system';

/**
 * Task admission (职责准入): a department's request is checked against each target township's
 * lists in force on its start date, its burden flagged, and, where the lists do not settle it,
 * admitted or declined by a county reviewer who did not submit it. Every write is one transaction
 * with its audit event; region scope is checked on each request.
 */
@Injectable()
export class AdmissionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly matcher: ListMatcher,
    private readonly versions: ListVersionsService,
    private readonly audit: AuditService,
  ) {}

  async submit(actor: Actor, input: TaskRequestInput): Promise<TaskRequestModel> {
    const checked = checkRequest(input);
    const body = await this.issuingBody(actor, input.issuingBodyId ?? null);
    const county = body.regionCode;
    if (!coversRegion(actor, county)) throw outOfScope(actor, `“${body.name}”`);
    const townships = await this.targetTownships(county, input.targetCodes);

    // The check reads published lists only; it runs before the transaction, which then writes all at once.
    const inForce = await this.matcher.versionsInForce(county, checked.requestedStart);
    const allVersions = [...inForce.values()].flat();
    const cited = await this.matcher.itemsCitingClaim(allVersions, checked.claimedBasis, checked.requestedStart);
    const townshipOfVersion = new Map(allVersions.map((v) => [v.id, v.regionCode]));
    const outcomes: { township: RegionEntity; outcome: VerdictOutcome }[] = [];
    for (const township of townships) {
      const versions = inForce.get(township.code) ?? [];
      const found = versions.length ? await this.matcher.searchTask(checked, township.code, checked.requestedStart) : [];
      const citing = cited.filter((c) => townshipOfVersion.get(c.versionId) === township.code);
      const candidates = await this.describe(mergeMatches(found, citing), versions);
      outcomes.push({
        township,
        outcome: decideVerdict({ townshipName: township.name, hasLists: versions.length > 0, candidates, requesterBodyId: body.id, requesterName: body.name }),
      });
    }
    const flags = burdenFlags(checked.reporting);
    const status = outcomes.some((o) => o.outcome.needsDecision) ? 'AWAITING_DECISION' : 'SETTLED';

    const id = await this.dataSource.transaction(async (em) => {
      const request = await em.save(
        em.create(TaskRequestEntity, {
          countyCode: county,
          issuingBodyId: body.id,
          title: checked.title,
          content: checked.content,
          requestedStart: checked.requestedStart,
          deadline: checked.deadline,
          reportingFrequency: checked.reporting.frequency,
          sameDayReporting: checked.reporting.sameDay,
          forms: checked.reporting.forms,
          photoEvidence: checked.reporting.photos,
          meetings: checked.reporting.meetings,
          responsibilityLetter: checked.reporting.responsibilityLetter,
          assessmentWeight: checked.reporting.assessmentWeight,
          claimedBasis: checked.claimedBasis,
          attachmentNames: checked.attachmentNames,
          flags,
          status,
          submittedBy: actorName(actor),
          submittedByUserId: actor.userId,
        }),
      );
      await em.getRepository(TaskTargetEntity).insert(
        outcomes.map(({ township, outcome }) => ({
          requestId: request.id,
          townshipCode: township.code,
          verdict: outcome.verdict,
          confidence: outcome.confidence,
          needsDecision: outcome.needsDecision,
          requesterIsLead: outcome.requesterIsLead,
          evidence: { versionIds: (inForce.get(township.code) ?? []).map((v) => v.id), matches: outcome.matches.map(toStoredMatch), reasons: outcome.reasons },
        })),
      );
      await this.audit.record(em, actor, {
        action: 'submitTaskRequest', entityType: 'TaskRequest', entityId: request.id, regionCode: county,
        after: {
          issuingBodyId: body.id, title: checked.title, requestedStart: checked.requestedStart, status,
          flags: flags.map((f) => f.kind),
          verdicts: Object.fromEntries(outcomes.map(({ township, outcome }) => [township.code, outcome.verdict])),
        },
      });
      return request.id;
    });
    return (await this.find(actor, id))!;
  }

  /** Admits or declines a request awaiting the county's decision; never by its submitter (four eyes). */
  async decide(actor: Actor, id: string, decision: Decision, reasonInput: string | null | undefined, conditionsInput: AdmissionConditionsInput | null | undefined): Promise<TaskRequestModel> {
    const reason = text('reason', reasonInput, LIMITS.reason, 'text');
    if (decision === 'DECLINED' && !reason) throw badInput('reason', '不予准入须写明理由');
    const conditions = conditionsInput ? checkConditions(conditionsInput) : null;
    if (decision === 'DECLINED' && conditions) throw badInput('conditions', '不予准入时不附准入条件');
    await this.dataSource.transaction(async (em) => {
      const request = await this.lockForWrite(em, actor, id);
      if (request.status !== 'AWAITING_DECISION')
        throw conflict(request.status === 'SETTLED' ? '该任务已由清单判定，无需准入决定' : '该任务已作出准入决定，不能再次决定', { status: request.status });
      if (request.submittedBy === actorName(actor)) throw forbidden('不能对自己提交的准入申请作出决定');
      const before = { status: request.status };
      Object.assign(request, { status: decision, decision, decisionReason: reason, conditions, decidedBy: actorName(actor), decidedAt: new Date() });
      await em.save(request);
      await this.audit.record(em, actor, {
        action: 'decideTaskRequest', entityType: 'TaskRequest', entityId: request.id, regionCode: request.countyCode,
        before, after: { status: decision, decisionReason: reason, conditions },
      });
    });
    return (await this.find(actor, id))!;
  }

  /** Opens a draft of an admitted township's responsibility list (change reason 职责准入), linked to the request. */
  async openAdmissionDraft(actor: Actor, id: string, townshipInput: string): Promise<ListVersionModel> {
    const townshipCode = this.regions.parseCode(townshipInput, 'townshipCode');
    return this.dataSource.transaction(async (em) => {
      const request = await this.lockForWrite(em, actor, id);
      if (request.status !== 'ADMITTED') throw conflict('只有准予准入的任务才能据此调整清单', { status: request.status });
      const target = await em.findOneBy(TaskTargetEntity, { requestId: request.id, townshipCode });
      if (!target || !target.needsDecision) throw badInput('townshipCode', '该乡镇不是这项准入决定所涉及的乡镇');
      if (target.draftVersionId) throw conflict('已为该乡镇打开过清单草稿', { versionId: target.draftVersionId });
      const draft = await this.versions.createDraft(actor, townshipCode, 'RESPONSIBILITY', '职责准入', em);
      await em.update(TaskTargetEntity, { id: target.id }, { draftVersionId: draft.id });
      await this.audit.record(em, actor, {
        action: 'openAdmissionDraft', entityType: 'TaskRequest', entityId: request.id, regionCode: request.countyCode,
        after: { townshipCode, versionId: draft.id },
      });
      return draft;
    });
  }

  async find(actor: Actor, id: string): Promise<TaskRequestModel | null> {
    if (!isUuid(id)) return null;
    const [request] = await this.query(actor, { id });
    return request ?? null;
  }

  /** Requests the actor may see, newest first; `regionCode` narrows to a county or a township targeted. */
  async list(actor: Actor, filter: { regionCode?: string | null; status?: string | null; first?: number | null }): Promise<TaskRequestModel[]> {
    const first = filter.first ?? DEFAULT_TASK_REQUESTS;
    if (!Number.isInteger(first) || first < 1 || first > PAGE_MAX) throw badInput('first', `first 应为1至${PAGE_MAX}之间的整数`);
    const regionCode = filter.regionCode ? this.regions.parseCode(filter.regionCode, 'regionCode') : null;
    return this.query(actor, { regionCode, status: filter.status ?? null, first });
  }

  // ------------------------------------------------------------------ internals

  /** The requests an actor may see (see docs/permissions.md), with their targets, in two statements. */
  private async query(actor: Actor, f: { id?: string; regionCode?: string | null; status?: string | null; first?: number }): Promise<TaskRequestModel[]> {
    const qb = this.dataSource.getRepository(TaskRequestEntity).createQueryBuilder('r');
    const seen = visibility(actor);
    qb.where(seen.sql, seen.params);
    if (f.id) qb.andWhere('r.id = :id', { id: f.id });
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    if (f.regionCode)
      qb.andWhere('EXISTS (SELECT 1 FROM task_target t WHERE t.request_id = r.id AND t.township_code LIKE :targetPrefix)', { targetPrefix: `${regionPrefix(f.regionCode)}%` });
    const requests = await qb.orderBy('r.submittedAt', 'DESC').addOrderBy('r.id').limit(f.first ?? 1).getMany();
    if (!requests.length) return [];
    const targets = await this.dataSource
      .getRepository(TaskTargetEntity)
      .createQueryBuilder('t')
      .where('t.request_id IN (:...ids)', { ids: requests.map((r) => r.id) })
      .orderBy('t.townshipCode')
      .getMany();
    return requests.map((r) => toRequestModel(r, targets.filter((t) => t.requestId === r.id), this.matcher.claimedLabels(r.claimedBasis)));
  }

  /** A request about to be changed, locked; outside the actor's region FORBIDDEN whether or not it exists. */
  private async lockForWrite(em: EntityManager, actor: Actor, id: string): Promise<TaskRequestEntity> {
    const request = isUuid(id)
      ? await em.getRepository(TaskRequestEntity).createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne()
      : null;
    if (!request || !coversRegion(actor, request.countyCode)) {
      if (actor.role === 'ADMIN') throw notFound('未找到该准入申请');
      throw forbidden(`无权操作该准入申请：它不在${scopeWords(actor)} 内，或不存在`);
    }
    return request;
  }

  /** The department a request is issued by: a DEPARTMENT user's own body; for the county office, the one it names. */
  private async issuingBody(actor: Actor, bodyIdInput: string | null): Promise<BodyEntity> {
    let bodyId = bodyIdInput;
    if (actor.role === 'DEPARTMENT') {
      if (!actor.bodyId) throw forbidden('您的账号尚未关联所属部门，请联系系统管理员');
      if (bodyId && bodyId !== actor.bodyId) throw forbidden('部门用户只能以本部门名义提交准入申请');
      bodyId = actor.bodyId;
    }
    if (!bodyId) throw badInput('issuingBodyId', '请指定提出任务的部门（issuingBodyId）');
    const body = isUuid(bodyId) ? await this.dataSource.getRepository(BodyEntity).findOneBy({ id: bodyId }) : null;
    if (!body) throw badInput('issuingBodyId', '未找到提出任务的部门，请先在主体目录中登记');
    if (levelOfCode(body.regionCode) !== 'COUNTY') throw badInput('issuingBodyId', `准入申请由县级部门提出，“${body.name}”不是县级主体`);
    return body;
  }

  /** Target townships: townships of the county, or the county itself for all its townships. */
  private async targetTownships(county: string, codes: string[]): Promise<RegionEntity[]> {
    if (!Array.isArray(codes) || !codes.length) throw badInput('targetCodes', '请指定至少一个乡镇（街道），或县级代码表示全县各乡镇');
    if (codes.length > LIMITS.targets) throw badInput('targetCodes', `一次最多指定${LIMITS.targets}个地区`);
    const byCode = new Map<string, RegionEntity>();
    for (const [i, input] of codes.entries()) {
      const region = await this.regions.requireRegion(input, `targetCodes[${i}]`);
      if (region.code === county) {
        for (const t of await this.regions.listRegions(county, 'TOWNSHIP')) byCode.set(t.code, t);
      } else if (region.level === 'TOWNSHIP' && region.code.startsWith(regionPrefix(county))) {
        byCode.set(region.code, region);
      } else {
        throw badInput(`targetCodes[${i}]`, `“${region.name}”不是提出部门所在县（市、区）的乡镇（街道）`);
      }
    }
    return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  /** Candidates with what the reasons quote: the accountable body's name and the list version. */
  private async describe(matches: StoredMatch[], versions: ListVersionModel[]): Promise<Candidate[]> {
    if (!matches.length) return [];
    const rows: { id: string; name: string }[] = await this.dataSource.query('SELECT id, name FROM body WHERE id = ANY($1::uuid[])', [
      [...new Set(matches.map((m) => m.accountableBodyId))],
    ]);
    const names = new Map(rows.map((r) => [r.id, r.name]));
    const labels = new Map(versions.map((v) => [v.id, `${KIND_LABEL[v.kind]}第${v.number}版`]));
    return matches.map((m) => ({ ...m, accountableBodyName: names.get(m.accountableBodyId) ?? '', listLabel: labels.get(m.versionId) ?? '' }));
  }
}

/** Search matches with the citations found for them, then the items found by their citations only. */
export function mergeMatches(found: StoredMatch[], citing: StoredMatch[]): StoredMatch[] {
  const citedBy = new Map(citing.map((c) => [c.itemId, c.citedArticles]));
  const merged = found.map((m) => ({ ...m, citedArticles: citedBy.get(m.itemId) ?? [] }));
  const seen = new Set(found.map((m) => m.itemId));
  return [...merged, ...citing.filter((c) => !seen.has(c.itemId))];
}

const toStoredMatch = ({ accountableBodyName: _n, listLabel: _l, ...stored }: Candidate): StoredMatch => stored;

/** Who sees which requests: ADMIN all; a DEPARTMENT its own body's; a TOWNSHIP those sent to it; the others their region's. */
function visibility(actor: Actor): { sql: string; params: Record<string, unknown> } {
  if (actor.role === 'ADMIN' && actor.regionCode === null) return { sql: 'TRUE', params: {} };
  if (!can(actor, Permission.READ_TASK_REQUESTS) || !actor.regionCode) return { sql: 'FALSE', params: {} };
  const prefix = `${regionPrefix(actor.regionCode)}%`;
  if (actor.role === 'DEPARTMENT') return actor.bodyId ? { sql: 'r.issuing_body_id = :ownBody', params: { ownBody: actor.bodyId } } : { sql: 'FALSE', params: {} };
  if (actor.role === 'TOWNSHIP') return { sql: 'EXISTS (SELECT 1 FROM task_target o WHERE o.request_id = r.id AND o.township_code LIKE :own)', params: { own: prefix } };
  return { sql: 'r.county_code LIKE :own', params: { own: prefix } };
}

function text(field: string, value: unknown, max: number, kind: 'line' | 'text', required = false): string | null {
  const checked = checkText(value, { max, kind, required });
  if (!checked.ok) throw badInput(field, `「${field}」${checked.problem}`);
  return checked.value;
}

function texts(field: string, values: unknown): string[] {
  if (values === null || values === undefined) return [];
  if (!Array.isArray(values) || values.length > LIMITS.listElements) throw badInput(field, `「${field}」应为不超过${LIMITS.listElements}项的列表`);
  return values.map((v, i) => text(`${field}[${i}]`, v, LIMITS.element, 'line', true)!);
}

/** A request's fields, checked one by one with the field named; dates are already calendar dates (the Date scalar). */
export function checkRequest(input: TaskRequestInput): CheckedRequest {
  const r = input.reporting;
  const weight = r?.assessmentWeight ?? null;
  if (weight !== null && !(Number.isFinite(weight) && weight >= 0 && weight <= 100)) throw badInput('reporting.assessmentWeight', '考核分值应为0至100之间的数');
  const requestedStart = parseLocalDate(input.requestedStart ?? '');
  if (!requestedStart) throw badInput('requestedStart', `开始日期“${clip(input.requestedStart)}”无效`);
  const deadline = input.deadline ?? null;
  if (deadline !== null && deadline < requestedStart) throw badInput('deadline', '完成期限不能早于开始日期');
  return {
    title: text('title', input.title, LIMITS.title, 'line', true)!,
    content: text('content', input.content, LIMITS.content, 'text', true)!,
    claimedBasis: text('claimedBasis', input.claimedBasis, LIMITS.basis, 'text'),
    requestedStart,
    deadline,
    reporting: {
      frequency: r.frequency,
      sameDay: r.sameDay ?? false,
      forms: texts('reporting.forms', r.forms),
      photos: r.photos ?? false,
      meetings: r.meetings ?? false,
      responsibilityLetter: r.responsibilityLetter ?? false,
      assessmentWeight: weight,
    },
    attachmentNames: texts('attachmentNames', input.attachmentNames),
  };
}

function checkConditions(c: AdmissionConditionsInput): AdmissionConditions | null {
  const conditions: AdmissionConditions = {
    resources: text('conditions.resources', c.resources, LIMITS.condition, 'text'),
    staff: text('conditions.staff', c.staff, LIMITS.condition, 'text'),
    funds: text('conditions.funds', c.funds, LIMITS.condition, 'text'),
    timeLimit: c.timeLimit ?? null,
  };
  return Object.values(conditions).some((v) => v !== null) ? conditions : null;
}

function toRequestModel(r: TaskRequestEntity, targets: TaskTargetEntity[], claimedCitations: string[]): TaskRequestModel {
  return {
    id: r.id,
    countyCode: r.countyCode,
    issuingBodyId: r.issuingBodyId,
    title: r.title,
    content: r.content,
    requestedStart: r.requestedStart,
    deadline: r.deadline,
    reporting: {
      frequency: r.reportingFrequency,
      sameDay: r.sameDayReporting,
      forms: r.forms,
      photos: r.photoEvidence,
      meetings: r.meetings,
      responsibilityLetter: r.responsibilityLetter,
      assessmentWeight: r.assessmentWeight,
    },
    claimedBasis: r.claimedBasis,
    claimedCitations,
    attachmentNames: r.attachmentNames,
    flags: r.flags.map((f) => ({ ...f, label: FLAG_LABELS[f.kind] })),
    status: r.status,
    submittedBy: r.submittedBy,
    submittedAt: r.submittedAt,
    decision: r.decision,
    decisionReason: r.decisionReason,
    conditions: r.conditions,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    targets: targets.map(toTargetModel),
  };
}

function toTargetModel(t: TaskTargetEntity): TaskTargetModel {
  return {
    townshipCode: t.townshipCode,
    verdict: t.verdict,
    confidence: t.confidence,
    needsDecision: t.needsDecision,
    requesterIsLead: t.requesterIsLead,
    reasons: t.evidence.reasons,
    matches: t.evidence.matches,
    versionIds: t.evidence.versionIds,
    draftVersionId: t.draftVersionId,
  };
}
