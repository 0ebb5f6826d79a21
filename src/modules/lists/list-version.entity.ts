import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { DutyListEntity, type ListKind } from './duty-list.entity.js';
import type { GateException, StoredGateFinding } from './gate-findings.js';

export const VERSION_STATUSES = ['DRAFT', 'IN_REVIEW', 'APPROVED', 'PUBLISHED', 'SUPERSEDED'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];
export const PUBLISHED_STATUSES: readonly VersionStatus[] = ['PUBLISHED', 'SUPERSEDED'];

/** One version of a list: a draft, then reviewed, approved and published for a date range [from, to). */
@Entity('list_version')
@Unique('list_version_number_uq', ['listId', 'number'])
@Check('list_version_status_ck', `status IN ('DRAFT','IN_REVIEW','APPROVED','PUBLISHED','SUPERSEDED')`)
@Check('list_version_published_ck', `status NOT IN ('PUBLISHED','SUPERSEDED') OR (effective_from IS NOT NULL AND approval_doc_number IS NOT NULL)`)
@Check('list_version_range_ck', `effective_to IS NULL OR effective_to > effective_from`)
@Check('list_version_published_at_ck', `status NOT IN ('PUBLISHED','SUPERSEDED') OR published_at IS NOT NULL`)
@Check('list_version_superseded_ck', `status <> 'SUPERSEDED' OR effective_to IS NOT NULL`)
@Exclusion('list_version_in_force_excl', `USING gist (list_id WITH =, daterange(effective_from, effective_to, '[)') WITH &&) WHERE (status IN ('PUBLISHED','SUPERSEDED'))`)
@Index('list_version_one_open_uq', { synchronize: false })
@Index('list_version_region_kind_idx', ['regionCode', 'kind', 'effectiveFrom'])
export class ListVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  listId: string;

  @ManyToOne(() => DutyListEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'list_version_list_fk' })
  list?: DutyListEntity;

  @Column({ type: 'char', length: 12 })
  regionCode: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ListKind;

  @Column({ type: 'int' })
  number: number;

  @Column({ type: 'varchar', length: 16, default: 'DRAFT' })
  status: VersionStatus;

  @Column({ type: 'date', nullable: true })
  effectiveFrom: string | null;

  @Column({ type: 'date', nullable: true })
  effectiveTo: string | null;

  @Column({ type: 'text', nullable: true })
  approvalDocNumber: string | null;

  @Column({ type: 'text', nullable: true })
  reviewOpinion: string | null;

  @Column({ type: 'text', nullable: true })
  changeReason: string | null;

  /** Free text beside the change reason (which is one of CHANGE_REASONS). */
  @Column({ type: 'text', nullable: true })
  changeNote: string | null;

  /** Per item code of a draft: why the editor passes its gate findings on to the reviewer (see gate-findings.ts). */
  // TypeORM reads column defaults without their cast ('{}'::jsonb as '{}'): written the same way, schema:check agrees.
  @Column({ type: 'jsonb', default: () => "'{}'" })
  gateExceptions: Record<string, GateException>;

  /** The gate findings as they stood when the draft was submitted; null before (and for versions submitted before the gates). */
  @Column({ type: 'jsonb', nullable: true })
  gateFindings: StoredGateFinding[] | null;

  @Column({ type: 'uuid', nullable: true })
  basedOnId: string | null;

  @ManyToOne(() => ListVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'based_on_id', foreignKeyConstraintName: 'list_version_based_on_fk' })
  basedOn?: ListVersionEntity;

  @Column({ type: 'int', default: 0 })
  revision: number;

  @Column({ type: 'text' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'text', nullable: true })
  submittedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  approvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  /** The start date the approval covers (approveVersion's effectiveFrom); null: it named none. */
  @Column({ type: 'date', nullable: true })
  approvedEffectiveFrom: string | null;

  @Column({ type: 'text', nullable: true })
  publishedBy: string | null;

  /** When it was published (transaction time): what the public was told from then on (knownAt reads). */
  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
