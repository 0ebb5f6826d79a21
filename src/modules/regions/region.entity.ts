import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

export const REGION_LEVELS = ['PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP', 'VILLAGE'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** 行政区划: a statistical division, always keyed by its 12-digit code. */
@Entity('region')
@Check('region_code_ck', `code ~ '^[0-9]{12}$'`)
@Check('region_level_ck', `level IN ('PROVINCE','CITY','COUNTY','TOWNSHIP','VILLAGE')`)
export class RegionEntity {
  @PrimaryColumn({ type: 'char', length: 12 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  level: RegionLevel;

  @Index('region_parent_code_idx')
  @Column({ type: 'char', length: 12, nullable: true })
  parentCode: string | null;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_code', foreignKeyConstraintName: 'region_parent_fk' })
  parent?: RegionEntity;
}
