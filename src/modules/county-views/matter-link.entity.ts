import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { ListKind } from '../lists/duty-list.entity.js';
import { RegionEntity } from '../regions/region.entity.js';

/**
 * An editor's decision about two items of a county's townships (each named by township and item
 * code, which stay the same across versions): `linked` — one matter whatever the automatic grouping
 * says; not linked — never grouped into one matter. The pair is stored in order (a < b).
 */
@Entity('matter_link')
@Unique('matter_link_pair_uq', ['countyCode', 'kind', 'regionA', 'itemCodeA', 'regionB', 'itemCodeB'])
@Check('matter_link_kind_ck', `kind IN ('POWER','RESPONSIBILITY')`)
@Check('matter_link_order_ck', `(region_a, item_code_a) < (region_b, item_code_b)`)
export class MatterLinkEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 12 })
  countyCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_code', foreignKeyConstraintName: 'matter_link_county_fk' })
  county?: RegionEntity;

  @Column({ type: 'varchar', length: 16 })
  kind: ListKind;

  @Column({ type: 'char', length: 12 })
  regionA: string;

  @Column({ type: 'varchar', length: 64 })
  itemCodeA: string;

  @Column({ type: 'char', length: 12 })
  regionB: string;

  @Column({ type: 'varchar', length: 64 })
  itemCodeB: string;

  @Column({ type: 'boolean' })
  linked: boolean;

  @Column({ type: 'text' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
