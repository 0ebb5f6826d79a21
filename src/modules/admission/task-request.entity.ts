import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { BodyEntity } from '../bodies/body.entity.js';
import type { ListKind } from '../lists/duty-list.entity.js';
import type { ListSection, TownshipRole } from '../lists/list-item.entity.js';
import { ListVersionEntity } from '../lists/list-version.entity.js';
import { RegionEntity } from '../regions/region.entity.js';

export const REPORTING_FREQUENCIES = ['ONCE', 'MONTHLY', 'WEEKLY', 'DAILY'] as const;
export type ReportingFrequency = (typeof REPORTING_FREQUENCIES)[number];
export const VERDICTS = ['IN_LIST_LEAD', 'IN_LIST_COOPERATE', 'RECLAIMED', 'NOT_IN_LIST'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const CONFIDENCES = ['HIGH', 'LOW'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
/** AWAITING_DECISION: a target needs the county's decision; SETTLED: the lists in force settle every target (no decision). */
export const REQUEST_STATUSES = ['AWAITING_DECISION', 'SETTLED', 'ADMITTED', 'DECLINED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const DECISIONS = ['ADMITTED', 'DECLINED'] as const;
export type Decision = (typeof DECISIONS)[number];
export const BURDEN_FLAG_KINDS = [
  'DAILY_REPORTING',
  'WEEKLY_REPORTING',
  'SAME_DAY_REPORTING',
  'DUPLICATE_FORMS',
  'PHOTO_EVIDENCE',
  'RESPONSIBILITY_LETTER',
  'MEETINGS',
] as const;
export type BurdenFlagKind = (typeof BURDEN_FLAG_KINDS)[number];

export interface StoredBurdenFlag {
  kind: BurdenFlagKind;
  reason: string;
}

/** The county's conditions for an admitted task (资源、人员、经费、期限). */
export interface AdmissionConditions {
  resources: string | null;
  staff: string | null;
  funds: string | null;
  timeLimit: string | null;
}

/** One matched list item, as it stood when the request was checked (the lists in force are published, hence fixed). */
export interface StoredMatch {
  itemId: string;
  itemCode: string;
  name: string;
  kind: ListKind;
  section: ListSection | null;
  townshipRole: TownshipRole;
  accountableBodyId: string;
  /** The township's own duty in the item (for a cooperative item: its cooperating duty). */
  townshipDuty: string | null;
  versionId: string;
  /** The search engine's score; 0 when the item was found by its citations only. */
  score: number;
  matchedTerms: string[];
  /** Articles of the claimed basis that this item also cites (canonical labels). */
  citedArticles: string[];
}

/** What the automatic check saw and why it concluded as it did. */
export interface TargetEvidence {
  /** The published versions in force in the township on the requested start date. */
  versionIds: string[];
  matches: StoredMatch[];
  reasons: string[];
}

/** 职责准入: a task a county department wants townships to take on, with its reporting requirements. */
@Entity('task_request')
@Check('task_request_frequency_ck', `reporting_frequency IN ('ONCE','MONTHLY','WEEKLY','DAILY')`)
@Check('task_request_status_ck', `status IN ('AWAITING_DECISION','SETTLED','ADMITTED','DECLINED')`)
@Check('task_request_decision_ck', `(decision IS NULL AND decided_by IS NULL) = (status IN ('AWAITING_DECISION','SETTLED')) AND (decision IS NULL OR decision = status)`)
@Check('task_request_deadline_ck', `deadline IS NULL OR deadline >= requested_start`)
@Index('task_request_county_submitted_idx', ['countyCode', 'submittedAt'])
export class TaskRequestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The county of the issuing body: requests are region-scoped by it. */
  @Column({ type: 'char', length: 12 })
  countyCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_code', foreignKeyConstraintName: 'task_request_county_fk' })
  county?: RegionEntity;

  @Index('task_request_body_idx')
  @Column({ type: 'uuid' })
  issuingBodyId: string;

  @ManyToOne(() => BodyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'issuing_body_id', foreignKeyConstraintName: 'task_request_body_fk' })
  issuingBody?: BodyEntity;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'date' })
  requestedStart: string;

  @Column({ type: 'date', nullable: true })
  deadline: string | null;

  @Column({ type: 'varchar', length: 16 })
  reportingFrequency: ReportingFrequency;

  @Column({ type: 'boolean', default: false })
  sameDayReporting: boolean;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  forms: string[];

  @Column({ type: 'boolean', default: false })
  photoEvidence: boolean;

  @Column({ type: 'boolean', default: false })
  meetings: boolean;

  @Column({ type: 'boolean', default: false })
  responsibilityLetter: boolean;

  /** Weight of the task in the township's annual assessment (考核分值), when it is assessed. */
  @Column({ type: 'double precision', nullable: true })
  assessmentWeight: number | null;

  @Column({ type: 'text', nullable: true })
  claimedBasis: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  attachmentNames: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  flags: StoredBurdenFlag[];

  @Column({ type: 'varchar', length: 24 })
  status: RequestStatus;

  @Column({ type: 'text' })
  submittedBy: string;

  @Column({ type: 'uuid', nullable: true })
  submittedByUserId: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  submittedAt: Date;

  @Column({ type: 'varchar', length: 16, nullable: true })
  decision: Decision | null;

  @Column({ type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ type: 'jsonb', nullable: true })
  conditions: AdmissionConditions | null;

  @Column({ type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;
}

/** The automatic check of a request for one target township, with its evidence. */
@Entity('task_target')
@Unique('task_target_request_township_uq', ['requestId', 'townshipCode'])
@Check('task_target_verdict_ck', `verdict IN ('IN_LIST_LEAD','IN_LIST_COOPERATE','RECLAIMED','NOT_IN_LIST')`)
@Check('task_target_confidence_ck', `confidence IN ('HIGH','LOW')`)
export class TaskTargetEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  requestId: string;

  @ManyToOne(() => TaskRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'task_target_request_fk' })
  request?: TaskRequestEntity;

  @Index('task_target_township_idx')
  @Column({ type: 'char', length: 12 })
  townshipCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'township_code', foreignKeyConstraintName: 'task_target_township_fk' })
  township?: RegionEntity;

  @Column({ type: 'varchar', length: 24 })
  verdict: Verdict;

  @Column({ type: 'varchar', length: 8 })
  confidence: Confidence;

  /** Whether the county must decide (NOT_IN_LIST, a low-confidence match, a cooperation asked by another than the lead). */
  @Column({ type: 'boolean' })
  needsDecision: boolean;

  /** For IN_LIST_COOPERATE and RECLAIMED: whether the requester is the item's listed body. */
  @Column({ type: 'boolean', nullable: true })
  requesterIsLead: boolean | null;

  @Column({ type: 'jsonb' })
  evidence: TargetEvidence;

  /** The draft of the township's list opened for an admitted task (change reason 职责准入). */
  @Column({ type: 'uuid', nullable: true })
  draftVersionId: string | null;

  /** A discarded draft (discardDraft) leaves the target without one. */
  @ManyToOne(() => ListVersionEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'draft_version_id', foreignKeyConstraintName: 'task_target_draft_fk' })
  draftVersion?: ListVersionEntity;
}
