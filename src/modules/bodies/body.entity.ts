import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { RegionEntity } from '../regions/region.entity.js';

export const BODY_KINDS = ['人民政府', '政府部门', '党委部门', '派出机构', '执法机构', '村(居)民委员会'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

/** 主体: an organ that can be accountable. Its name (without invisible characters) is unique within its county, in its NFKC form too. */
@Entity('body')
@Unique('body_county_name_uq', ['countyCode', 'name'])
// Unique on (county_code, normalize(name, NFKC)): look-alike spellings are one name (migration 1796303798929).
@Index('body_county_name_key_uq', { synchronize: false })
@Check('body_not_merged_into_itself_ck', 'merged_into_id IS NULL OR merged_into_id <> id')
export class BodyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  kind: BodyKind;

  @Index('body_region_code_idx')
  @Column({ type: 'char', length: 12 })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'body_region_fk' })
  region?: RegionEntity;

  /** The county the region belongs to (the region itself for a county body): names are unique there. */
  @Column({ type: 'char', length: 12 })
  countyCode: string;

  /**
   * Set when the body was merged into another (mergeBodies): it stays as a record, since published
   * items keep referring to it, and its name then resolves to the body it was merged into.
   */
  @Column({ type: 'uuid', nullable: true })
  mergedIntoId: string | null;

  @ManyToOne(() => BodyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'merged_into_id', foreignKeyConstraintName: 'body_merged_into_fk' })
  mergedInto?: BodyEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
