import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { BodyEntity } from '../bodies/body.entity.js';
import { DutyListEntity, type ListKind } from './duty-list.entity.js';

export const LIST_SECTIONS = ['BASIC', 'COOPERATIVE', 'RECLAIMED'] as const;
export type ListSection = (typeof LIST_SECTIONS)[number];
export const POWER_CATEGORIES = ['LICENSING', 'PENALTY', 'COERCION', 'LEVY', 'PAYMENT', 'INSPECTION', 'CONFIRMATION', 'REWARD', 'ADJUDICATION', 'OTHER', 'PUBLIC_SERVICE'] as const;
export type PowerCategory = (typeof POWER_CATEGORIES)[number];
export const POWER_SOURCES = ['STATUTORY', 'DELEGATED', 'ENTRUSTED'] as const;
export type PowerSource = (typeof POWER_SOURCES)[number];
/** 工作方式 of a reclaimed item: how the department that took it back now handles the matter locally. */
export const WORK_MODES = ['STATIONED', 'WINDOW', 'ONLINE', 'ON_SITE', 'OTHER'] as const;
export type WorkMode = (typeof WORK_MODES)[number];
export const TOWNSHIP_ROLES = ['LEAD', 'COOPERATE', 'RECLAIMED', 'NONE'] as const;
export type TownshipRole = (typeof TOWNSHIP_ROLES)[number];

export interface StoredCooperation {
  bodyId: string;
  duty: string;
}

/**
 * One state of an item (事项), valid in versions [fromVersion, toVersion) of its list.
 * `pending` rows belong to the list's unpublished version; `removed` marks a draft's removal.
 * The content columns are described, with everything else about them, in item-fields.ts.
 */
@Entity('list_item')
@Unique('list_item_version_code_uq', ['listId', 'itemCode', 'fromVersion'])
@Check('list_item_range_ck', `to_version IS NULL OR to_version > from_version`)
@Check('list_item_removed_ck', `NOT removed OR pending`)
@Check('list_item_role_ck', `township_role IN ('LEAD','COOPERATE','RECLAIMED','NONE')`)
@Exclusion('list_item_code_excl', `USING gist (list_id WITH =, item_code WITH =, int4range(from_version, to_version) WITH &&) WHERE (NOT pending)`)
@Index('list_item_version_range_idx', ['listId', 'fromVersion', 'toVersion'])
export class ListItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  listId: string;

  @ManyToOne(() => DutyListEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'list_id', foreignKeyConstraintName: 'list_item_list_fk' })
  list?: DutyListEntity;

  @Column({ type: 'char', length: 12 })
  regionCode: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ListKind;

  @Column({ type: 'varchar', length: 64 })
  itemCode: string;

  @Column({ type: 'int' })
  fromVersion: number;

  @Column({ type: 'int', nullable: true })
  toVersion: number | null;

  @Column({ type: 'boolean', default: true })
  pending: boolean;

  @Column({ type: 'boolean', default: false })
  removed: boolean;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** 子项 of a composite power. */
  @Column({ type: 'text', nullable: true })
  subItem: string | null;

  /** 承办机构: the township's internal unit doing the work (free text). */
  @Column({ type: 'text', nullable: true })
  handlingUnit: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  section: ListSection | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  category: PowerCategory | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  source: PowerSource | null;

  @Index('list_item_body_idx')
  @Column({ type: 'uuid' })
  accountableBodyId: string;

  @ManyToOne(() => BodyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'accountable_body_id', foreignKeyConstraintName: 'list_item_body_fk' })
  accountableBody?: BodyEntity;

  @Column({ type: 'varchar', length: 16 })
  townshipRole: TownshipRole;

  /** 承接部门 of a reclaimed item: the unit that handles it now (a body of the catalogue). */
  @Column({ type: 'uuid', nullable: true })
  takeoverBodyId: string | null;

  @ManyToOne(() => BodyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'takeover_body_id', foreignKeyConstraintName: 'list_item_takeover_body_fk' })
  takeoverBody?: BodyEntity;

  /** 工作方式 of a reclaimed item (派驻, 窗口受理, 线上办理…). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  workMode: WorkMode | null;

  /** 上级部门职责: what the lead department itself does (cooperative items). */
  @Column({ type: 'text', nullable: true })
  leadDuty: string | null;

  @Column({ type: 'text', nullable: true })
  townshipDuty: string | null;

  @Column({ type: 'text', nullable: true })
  villageDuty: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  cooperating: StoredCooperation[];

  @Column({ type: 'text', nullable: true })
  legalBasis: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  stagedDuties: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  accountabilityCircumstances: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  exemptions: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  /** 常见问法: phrases people use for the item (added from logged questions), searched like keywords. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];

  @Column({ type: 'boolean', default: false })
  hasUnresolvedCitations: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /** Who wrote this row in its draft (a saved or imported item, a removal marker): the approver may not be one of them. */
  @Column({ type: 'text', nullable: true })
  writtenBy: string | null;

  /** Weighted segmented text for who-is-accountable search (accountability/item-search-document.ts); derived, recomputable. */
  @Column({ type: 'tsvector', nullable: true, select: false })
  searchVector: string | null;
}
