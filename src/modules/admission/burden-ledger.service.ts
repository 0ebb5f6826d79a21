import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { regionPrefix } from '../regions/region-code.js';
import { badInput } from '../../common/domain-error.js';
import type { BodyEntity } from '../bodies/body.entity.js';
import { toBodyModel } from '../bodies/bodies.service.js';
import { RegionsService } from '../regions/regions.service.js';
import type { BurdenLedgerModel, BurdenLedgerRowModel } from './admission.model.js';
import { FLAG_LABELS, REPORTS_PER_MONTH } from './burden-flags.js';
import { BURDEN_FLAG_KINDS, type BurdenFlagKind } from './task-request.entity.js';

/** A period of submission in China's calendar, as timestamps: [from 00:00, the day after `to` 00:00) at UTC+8. */
const dayStart = (date: string) => `${date}T00:00:00+08:00`;
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return dayStart(d.toISOString().slice(0, 10));
}

/**
 * The requests of a region and period: those with a target township in the region, submitted in
 * the period; their targets in the region only. Both are materialized (a few thousand rows for a
 * county's year) so that the joins below are hashed, whatever the planner guesses of the CTEs.
 * Rates of recurring reports per month come as JSON.
 */
const SCOPE_SQL = `
  tgt AS MATERIALIZED (
    SELECT t.request_id, t.township_code, t.verdict FROM task_target t WHERE t.township_code BETWEEN $1 AND $2
  ), req AS MATERIALIZED (
    SELECT r.id, r.issuing_body_id, r.status, r.flags, r.reporting_frequency FROM task_request r
    WHERE ($3::timestamptz IS NULL OR r.submitted_at >= $3) AND ($4::timestamptz IS NULL OR r.submitted_at < $4)
      AND r.id IN (SELECT request_id FROM tgt)
  )`;

const COUNTS_SQL = `WITH ${SCOPE_SQL}
  SELECT req.issuing_body_id AS body_id,
    count(DISTINCT req.id)::int AS requests,
    count(DISTINCT tgt.township_code)::int AS townships,
    count(*)::int AS targets,
    (count(*) FILTER (WHERE tgt.verdict = 'IN_LIST_LEAD'))::int AS lead,
    (count(*) FILTER (WHERE tgt.verdict = 'IN_LIST_COOPERATE'))::int AS cooperate,
    (count(*) FILTER (WHERE tgt.verdict = 'RECLAIMED'))::int AS reclaimed,
    (count(*) FILTER (WHERE tgt.verdict = 'NOT_IN_LIST'))::int AS not_in_list,
    (count(DISTINCT req.id) FILTER (WHERE req.status = 'ADMITTED'))::int AS admitted,
    (count(DISTINCT req.id) FILTER (WHERE req.status = 'DECLINED'))::int AS declined,
    coalesce(sum(($5::jsonb ->> req.reporting_frequency)::float8), 0) AS per_month
  FROM req JOIN tgt ON tgt.request_id = req.id
  GROUP BY GROUPING SETS ((req.issuing_body_id), ())`;

const FLAGS_SQL = `WITH ${SCOPE_SQL}
  SELECT req.issuing_body_id AS body_id, f.kind, count(*)::int AS requests
  FROM req CROSS JOIN LATERAL jsonb_to_recordset(req.flags) AS f(kind text)
  GROUP BY GROUPING SETS ((req.issuing_body_id, f.kind), (f.kind))`;

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : 0);

/**
 * The burden ledger (减负台账): per issuing department, what it sent to the townships of a region
 * in a period — requests, townships reached, verdicts, the share outside the lists and declined,
 * burden flags by kind, and the recurring reports a month its requirements imply. Public: it shows
 * counts and department names only, never a request's content.
 */
@Injectable()
export class BurdenLedgerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  async ledger(regionInput: string, from: string | null, to: string | null): Promise<BurdenLedgerModel> {
    const region = await this.regions.requireRegion(regionInput, 'regionCode');
    if (from && to && from > to) throw badInput('to', '截止日期不能早于起始日期');
    const prefix = regionPrefix(region.code);
    const params = [prefix.padEnd(12, '0'), prefix.padEnd(12, '9'), from && dayStart(from), to && dayAfter(to), JSON.stringify(REPORTS_PER_MONTH)];
    const [counts, flags]: Record<string, any>[][] = await Promise.all([
      this.dataSource.query(COUNTS_SQL, params),
      this.dataSource.query(FLAGS_SQL, params.slice(0, 4)),
    ]);
    const bodyIds = counts.map((c) => c.body_id).filter((id): id is string => !!id);
    const bodies: Pick<BodyEntity, 'id' | 'name' | 'kind' | 'regionCode'>[] = bodyIds.length
      ? await this.dataSource.query('SELECT id, name, kind, region_code AS "regionCode" FROM body WHERE id = ANY($1::uuid[])', [bodyIds])
      : [];
    const bodyById = new Map(bodies.map((b) => [b.id, toBodyModel(b)]));
    const flagsOf = (bodyId: string | null) => {
      const counted = new Map<BurdenFlagKind, number>(flags.filter((f) => f.body_id === bodyId).map((f) => [f.kind, f.requests]));
      return BURDEN_FLAG_KINDS.filter((k) => counted.has(k)).map((kind) => ({ kind, label: FLAG_LABELS[kind], requests: counted.get(kind)! }));
    };
    const toRow = (c: Record<string, any> | undefined, bodyId: string | null): BurdenLedgerRowModel => ({
      body: bodyId ? bodyById.get(bodyId) ?? null : null,
      requests: c?.requests ?? 0,
      townshipsReached: c?.townships ?? 0,
      targets: c?.targets ?? 0,
      verdicts: { inListLead: c?.lead ?? 0, inListCooperate: c?.cooperate ?? 0, reclaimed: c?.reclaimed ?? 0, notInList: c?.not_in_list ?? 0 },
      shareOutsideLists: share(c?.not_in_list ?? 0, c?.targets ?? 0),
      shareDeclined: share(c?.declined ?? 0, c?.requests ?? 0),
      admitted: c?.admitted ?? 0,
      declined: c?.declined ?? 0,
      flags: flagsOf(bodyId),
      reportingEventsPerMonth: Math.round(Number(c?.per_month ?? 0) * 10) / 10,
    });
    const departments = counts
      .filter((c) => c.body_id)
      .map((c) => toRow(c, c.body_id))
      .sort((a, b) => b.requests - a.requests || (a.body?.name ?? '').localeCompare(b.body?.name ?? '', 'zh'));
    return { regionCode: region.code, from, to, departments, total: toRow(counts.find((c) => !c.body_id), null) };
  }
}
