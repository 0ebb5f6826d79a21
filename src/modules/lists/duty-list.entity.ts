import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { RegionEntity } from '../regions/region.entity.js';

export const LIST_KINDS = ['POWER', 'RESPONSIBILITY'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** 清单: one per township and kind; its versions carry the content. */
@Entity('duty_list')
@Unique('duty_list_region_kind_uq', ['regionCode', 'kind'])
@Check('duty_list_kind_ck', `kind IN ('POWER','RESPONSIBILITY')`)
export class DutyListEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 12 })
  regionCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'duty_list_region_fk' })
  region?: RegionEntity;

  @Index('duty_list_county_idx')
  @Column({ type: 'char', length: 12 })
  countyCode: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ListKind;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
