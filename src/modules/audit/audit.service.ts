import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { coversRegion, scopeWords, type Actor } from '../../auth/actor.js';
import { forbidden } from '../../common/domain-error.js';
import { eventHash, verifyChain, type ChainBreak, type ChainedEvent } from './audit-chain.js';
import { AuditEventEntity } from './audit-event.entity.js';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  /** The region the object belongs to (a township, county…), for scoped reading. */
  regionCode: string | null;
  before?: unknown;
  after?: unknown;
}

// One lock for the whole chain: appends are serialised so every event follows exactly one other.
const CHAIN_LOCK = 0x5155_414e; // "QUAN"

const toChained = (e: AuditEventEntity): ChainedEvent & { hash: string } => ({
  seq: Number(e.seq),
  at: e.at.toISOString(),
  actor: e.actor,
  actorRole: e.actorRole,
  actorRegion: e.actorRegion,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  regionCode: e.regionCode,
  before: e.before ?? null,
  after: e.after ?? null,
  prevHash: e.prevHash,
  hash: e.hash,
});

/**
 * Writes the audit trail in the same transaction as the change it records (so a failed change
 * leaves no event), and reads and verifies it.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(em: EntityManager, actor: Actor, change: AuditChange): Promise<void> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('audit events are written inside the transaction of their change');
    await em.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const [last] = await em.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
    const event: ChainedEvent = {
      seq: last ? Number(last.seq) + 1 : 1,
      at: new Date().toISOString(),
      actor: actor.username ?? 'system',
      actorRole: actor.role,
      actorRegion: actor.regionCode,
      action: change.action,
      entityType: change.entityType,
      entityId: change.entityId,
      regionCode: change.regionCode,
      // Stored as jsonb and read back identically: normalise through JSON first.
      before: change.before === undefined ? null : JSON.parse(JSON.stringify(change.before)),
      after: change.after === undefined ? null : JSON.parse(JSON.stringify(change.after)),
      prevHash: last ? String(last.hash) : null,
    };
    await em.query(
      `INSERT INTO audit_event (seq, at, actor, actor_role, actor_region, action, entity_type, entity_id, region_code, before, after, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13)`,
      [
        event.seq, event.at, event.actor, event.actorRole, event.actorRegion, event.action, event.entityType, event.entityId,
        event.regionCode, JSON.stringify(event.before), JSON.stringify(event.after), event.prevHash, eventHash(event),
      ],
    );
  }

  /**
   * The events of one object, oldest first; only inside the reader's region (ADMIN: all). Outside
   * it the answer is FORBIDDEN whether or not the object exists, so a refusal reveals nothing:
   * for anyone but ADMIN an object without events is refused like one outside the region.
   */
  async trail(actor: Actor, entityType: string, entityId: string): Promise<AuditEventEntity[]> {
    const events = await this.dataSource.getRepository(AuditEventEntity).find({ where: { entityType, entityId }, order: { seq: 'ASC' } });
    const outside = events.some((e) => (e.regionCode ? !coversRegion(actor, e.regionCode) : actor.role !== 'ADMIN'));
    if (outside || (events.length === 0 && actor.role !== 'ADMIN'))
      throw forbidden(`无权查看该对象的审计记录：它不在${scopeWords(actor)} 内，或不存在`);
    return events;
  }

  /** Walks the whole chain in seq order; reports the first broken event and the head hash. */
  async verify(): Promise<{ events: number; headSeq: number; headHash: string | null; broken: ChainBreak | null }> {
    let head: { seq: number; hash: string | null } = { seq: 0, hash: null };
    const repo = this.dataSource.getRepository(AuditEventEntity);
    for (;;) {
      const batch = await repo.createQueryBuilder('e').where('e.seq > :after', { after: head.seq }).orderBy('e.seq', 'ASC').limit(5000).getMany();
      if (!batch.length) break;
      const result = verifyChain(batch.map(toChained), head);
      if (result.broken) return { events: result.head.seq, headSeq: result.head.seq, headHash: result.head.hash, broken: result.broken };
      head = result.head;
    }
    // Rows after a gap at the very start (seq 1 deleted) are caught above; an empty chain is intact.
    return { events: head.seq, headSeq: head.seq, headHash: head.hash, broken: null };
  }
}
