import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DutyListEntity } from '../lists/duty-list.entity.js';
import { ListItemEntity } from '../lists/list-item.entity.js';
import { ListVersionEntity } from '../lists/list-version.entity.js';

export const ALERT_KINDS = ['RENUMBERED', 'AMENDED', 'DELETED', 'REPEALED', 'UNRESOLVED'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/** What each kind of alert says to a clerk. */
export const ALERT_KIND_LABEL: Record<AlertKind, string> = {
  RENUMBERED: '条文序号变动', AMENDED: '条文修改', DELETED: '条文删除', REPEALED: '法规废止', UNRESOLVED: '无法对应到法规目录',
};
export const ALERT_STATUSES = ['OPEN', 'CLOSED', 'DISMISSED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * 依据变更提醒: an item of a version in force or scheduled cites a provision that a newer law
 * version renumbered, amended or deleted, an instrument that was repealed, or something that never
 * resolved. Found again after every catalogue change (one row per item row, citation, kind and
 * newer law version); closed when the version that fixes it is published, or dismissed with a reason.
 */
@Entity('basis_alert')
@Check('basis_alert_kind_ck', `kind IN ('RENUMBERED','AMENDED','DELETED','REPEALED','UNRESOLVED')`)
@Check('basis_alert_status_ck', `status IN ('OPEN','CLOSED','DISMISSED')`)
@Check('basis_alert_dismiss_ck', `status <> 'DISMISSED' OR dismiss_reason IS NOT NULL`)
@Index('basis_alert_key_uq', { synchronize: false })
@Index('basis_alert_region_status_idx', ['regionCode', 'status'])
@Index('basis_alert_list_idx', ['listId', 'status'])
export class BasisAlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  listId: string;

  @ManyToOne(() => DutyListEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'basis_alert_list_fk' })
  list?: DutyListEntity;

  @Column({ type: 'char', length: 12 })
  regionCode: string;

  /** The latest version in force or scheduled holding the item row. */
  @Column({ type: 'uuid' })
  listVersionId: string;

  @ManyToOne(() => ListVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'list_version_id', foreignKeyConstraintName: 'basis_alert_version_fk' })
  listVersion?: ListVersionEntity;

  @Column({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => ListItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'item_id', foreignKeyConstraintName: 'basis_alert_item_fk' })
  listItem?: ListItemEntity;

  @Column({ type: 'text' })
  itemCode: string;

  @Column({ type: 'text' })
  itemName: string;

  @Column({ type: 'int' })
  citationOrdinal: number;

  @Column({ type: 'text' })
  citationRaw: string;

  @Column({ type: 'text' })
  citationLabel: string;

  @Column({ type: 'varchar', length: 16 })
  kind: AlertKind;

  @Column({ type: 'varchar', length: 16, default: 'OPEN' })
  status: AlertStatus;

  @Column({ type: 'uuid', nullable: true })
  instrumentId: string | null;

  /** The law version the citation was read against (in force on the list version's effectiveFrom, or the older one whose numbering it uses). */
  @Column({ type: 'uuid', nullable: true })
  fromInstrumentVersionId: string | null;

  /** The newer law version it is compared with. */
  @Column({ type: 'uuid', nullable: true })
  toInstrumentVersionId: string | null;

  @Column({ type: 'text', nullable: true })
  oldText: string | null;

  @Column({ type: 'text', nullable: true })
  newText: string | null;

  /** The citation that would replace the cited one (《title》第N条…), when the catalogue says. */
  @Column({ type: 'text', nullable: true })
  proposedCitation: string | null;

  @Column({ type: 'uuid', nullable: true })
  successorInstrumentId: string | null;

  /** The draft opened (or reused) by acting on the alert; publishing it closes the alert. */
  @Column({ type: 'uuid', nullable: true })
  draftVersionId: string | null;

  @ManyToOne(() => ListVersionEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'draft_version_id', foreignKeyConstraintName: 'basis_alert_draft_fk' })
  draftVersion?: ListVersionEntity;

  @Column({ type: 'uuid', nullable: true })
  closedByVersionId: string | null;

  @Column({ type: 'text', nullable: true })
  dismissReason: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  closedBy: string | null;
}
