import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One append-only, hash-chained record of a change: who, what, before and after. */
@Entity('audit_event')
@Index('audit_event_entity_idx', ['entityType', 'entityId', 'seq'])
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  actorRole: string | null;

  @Column({ type: 'char', length: 12, nullable: true })
  actorRegion: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ type: 'varchar', length: 32 })
  entityType: string;

  @Column({ type: 'text' })
  entityId: string;

  /** The region the changed object belongs to, for region-scoped reading of the trail. */
  @Column({ type: 'char', length: 12, nullable: true })
  regionCode: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  @Column({ type: 'char', length: 64, nullable: true })
  prevHash: string | null;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
