import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { requireRole, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, conflict } from '../../common/domain-error.js';
import { todayInChina } from '../../common/local-date.scalar.js';
import { checkText } from '../../common/text-input.js';
import { translateDatabaseError } from '../../database/database-errors.js';
import { AuditService } from '../audit/audit.service.js';
import { BodiesService, toBodyModel } from '../bodies/bodies.service.js';
import type { BodyModel } from '../bodies/body.model.js';
import { bodyIdsOf, contentToInput, type CooperationInput, type ItemContent } from './item-fields.js';
import { ItemRepository } from './item.repository.js';
import { ListItemPreparer } from './list-item.preparer.js';
import { ListVersionEntity } from './list-version.entity.js';
import type { ListItemInput } from './list.model.js';

const actorName = (actor: Actor) => actor.username ?? 'system';

/**
 * Merging two bodies of a county that are one (`mergeBodies(keepId, mergeId, reason)`), in one
 * transaction with its audit events:
 * - items of open **drafts** that name the merged body (accountable or cooperating) name the kept
 *   body instead: each is rewritten through the preparer, as `saveItem` would write it (a cooperating
 *   entry that becomes the accountable body is dropped, two entries of one body are joined);
 *   each such draft's revision is bumped and gets an event;
 * - a version **in review or approved** that names the merged body refuses the merge (CONFLICT): what
 *   a reviewer reviews does not change under them; reject it back to a draft first;
 * - **published** items are immutable and keep referring to the merged body, which stays as a
 *   record with `mergedInto` set (shown by its name in those versions); its name, and its aliases
 *   (moved to the kept body), now resolve to the kept body wherever a list names it;
 * - DEPARTMENT users linked to the merged body are linked to the kept one; task requests keep the
 *   body that issued them (a record of what happened).
 */
@Injectable()
export class BodyMergeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bodies: BodiesService,
    private readonly items: ItemRepository,
    private readonly preparer: ListItemPreparer,
    private readonly audit: AuditService,
  ) {}

  async mergeBodies(actor: Actor, keepId: string, mergeId: string, reason: string): Promise<BodyModel> {
    requireRole(actor, Permission.MANAGE_COUNTY_BODIES);
    const why = checkText(reason, { max: 1000, kind: 'text', required: true });
    if (!why.ok || !why.value) throw badInput('reason', `合并理由${why.ok ? '不能为空' : why.problem}（不超过1000个字符）`);
    if (keepId === mergeId) throw badInput('mergeId', '不能把主体与自己合并');
    try {
      return await this.dataSource.transaction(async (em) => {
        // Locked in a fixed order, so two merges of the same pair cannot deadlock.
        const [first, second] = [keepId, mergeId].sort();
        const locked = new Map<string, Awaited<ReturnType<BodiesService['lockForMaintenance']>>>();
        locked.set(first, await this.bodies.lockForMaintenance(em, actor, first, first === keepId ? 'keepId' : 'mergeId'));
        locked.set(second, await this.bodies.lockForMaintenance(em, actor, second, second === keepId ? 'keepId' : 'mergeId'));
        const keep = locked.get(keepId)!;
        const merge = locked.get(mergeId)!;
        if (keep.mergedIntoId) throw badInput('keepId', `主体“${keep.name}”已合并到其他主体，请选择合并后的主体`);
        if (merge.mergedIntoId) throw conflict(`主体“${merge.name}”已经合并过`, { field: 'mergeId' });
        if (keep.countyCode !== merge.countyCode) throw badInput('mergeId', `只能合并同一县（市、区）的主体：“${merge.name}”与“${keep.name}”不在同一县`);

        const held: { number: number; status: string; region_code: string }[] = await em.query(
          `SELECT DISTINCT v.number, v.status, v.region_code FROM list_item i
           JOIN list_version v ON v.list_id = i.list_id AND v.number = i.from_version
           WHERE i.pending AND NOT i.removed AND v.status IN ('IN_REVIEW', 'APPROVED')
             AND (i.accountable_body_id = $1 OR i.cooperating @> jsonb_build_array(jsonb_build_object('bodyId', $1::text)))`,
          [merge.id],
        );
        if (held.length)
          throw conflict(
            `主体“${merge.name}”出现在审核中或已审核通过的版本中（${held.map((h) => `${h.region_code.slice(0, 9)} v${h.number}`).join('、')}），审核内容不能改动：请先退回为草稿再合并`,
            { versions: held.map((h) => ({ regionCode: h.region_code, number: h.number, status: h.status })) },
          );

        const drafts = await this.rewriteDrafts(em, actor, keep, merge);
        const aliases: { alias: string }[] = await em.query('WITH changed AS (UPDATE body_alias SET body_id = $1 WHERE body_id = $2 RETURNING alias) SELECT * FROM changed', [keep.id, merge.id]);
        const users: { username: string }[] = await em.query('WITH changed AS (UPDATE app_user SET body_id = $1 WHERE body_id = $2 RETURNING username) SELECT * FROM changed', [keep.id, merge.id]);
        // Bodies merged into the merged body earlier now lead to the kept one (one step, always).
        const earlier: { id: string }[] = await em.query('WITH changed AS (UPDATE body SET merged_into_id = $1 WHERE merged_into_id = $2 RETURNING id) SELECT * FROM changed', [keep.id, merge.id]);
        await em.query('UPDATE body SET merged_into_id = $1, updated_at = now() WHERE id = $2', [keep.id, merge.id]);
        await this.audit.record(em, actor, {
          action: 'mergeBodies', entityType: 'Body', entityId: merge.id, regionCode: merge.regionCode,
          before: { name: merge.name, mergedIntoId: null },
          after: {
            mergedIntoId: keep.id, keptName: keep.name, reason: why.value,
            drafts: drafts.map((d) => ({ versionId: d.id, items: d.items })), aliasesMoved: aliases.map((a) => a.alias),
            usersMoved: users.map((u) => u.username), earlierMergesRedirected: earlier.map((e) => e.id),
          },
        });
        await this.audit.record(em, actor, {
          action: 'mergeBodies', entityType: 'Body', entityId: keep.id, regionCode: keep.regionCode,
          after: { absorbed: { id: merge.id, name: merge.name }, reason: why.value },
        });
        return toBodyModel(keep);
      });
    } catch (e) {
      translateDatabaseError(e);
    }
  }

  /** The drafts' items that name the merged body, rewritten to name the kept one; answers each draft and its item codes. */
  private async rewriteDrafts(em: EntityManager, actor: Actor, keep: { id: string; name: string }, merge: { id: string; name: string }) {
    const rows: { version_id: string; item_code: string }[] = await em.query(
      `SELECT v.id AS version_id, i.item_code FROM list_item i
       JOIN list_version v ON v.list_id = i.list_id AND v.number = i.from_version
       WHERE i.pending AND NOT i.removed AND v.status = 'DRAFT'
         AND (i.accountable_body_id = $1 OR i.cooperating @> jsonb_build_array(jsonb_build_object('bodyId', $1::text)))
       ORDER BY v.id, i.item_code`,
      [merge.id],
    );
    const byVersion = new Map<string, string[]>();
    for (const r of rows) byVersion.set(r.version_id, [...(byVersion.get(r.version_id) ?? []), r.item_code]);
    const done: { id: string; items: string[] }[] = [];
    for (const [versionId, codes] of byVersion) {
      const version = await em.getRepository(ListVersionEntity).createQueryBuilder('v').setLock('pessimistic_write').where('v.id = :id', { id: versionId }).getOneOrFail();
      const current = [];
      for (const code of codes) current.push((await this.items.itemOfVersion(version, code, em))!);
      const names = await this.bodies.namesOf(bodyIdsOf(current as unknown as ItemContent[]), em);
      names.set(merge.id, keep.name);
      const inputs = current.map((item) => renamed(contentToInput(item.itemCode, item as unknown as ItemContent, names) as unknown as ListItemInput));
      const prepared = await this.preparer.prepare(inputs, version, todayInChina(), em);
      const failed = prepared.findIndex((p) => !p.ok);
      if (failed >= 0) {
        const errors = (prepared[failed] as { ok: false; errors: { field: string; message: string }[] }).errors;
        throw conflict(`合并后草稿 v${version.number} 的事项“${codes[failed]}”不再有效：${errors.map((e) => e.message).join('；')}`, { itemCode: codes[failed] });
      }
      await this.items.writeDraftItems(em, version, prepared.map((p) => (p as Extract<typeof p, { ok: true }>).item));
      await em.getRepository(ListVersionEntity).update({ id: version.id }, { revision: version.revision + 1 });
      await this.audit.record(em, actor, {
        action: 'mergeBodies', entityType: 'ListVersion', entityId: version.id, regionCode: version.regionCode,
        before: { body: merge.name, revision: version.revision }, after: { body: keep.name, items: codes, revision: version.revision + 1, by: actorName(actor) },
      });
      done.push({ id: version.id, items: codes });
    }
    return done;
  }
}

/**
 * An item's input after the merge (bodies already by their new names): a cooperating entry of the
 * accountable body is dropped (the lead does it now), two entries of one body become one, duties joined.
 */
export function renamed(input: ListItemInput): ListItemInput {
  const lead = input.accountableBodyName;
  const merged: CooperationInput[] = [];
  for (const c of (input.cooperating ?? []) as CooperationInput[]) {
    if (c.bodyName === lead) continue;
    const same = merged.find((m) => m.bodyName === c.bodyName);
    if (same) same.duty = same.duty === c.duty ? same.duty : `${same.duty}；${c.duty}`;
    else merged.push({ ...c });
  }
  return { ...input, cooperating: merged };
}
