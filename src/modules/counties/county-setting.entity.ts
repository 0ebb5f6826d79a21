import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { RegionEntity } from '../regions/region.entity.js';

/**
 * A county's own rules, one small row per county (absent: the defaults). Read by the features
 * that need a county's policy: the review date of lists (county views), how far back a version
 * may take effect and whether publication needs a third person (list lifecycle).
 */
@Entity('county_setting')
@Check('county_setting_review_ck', 'list_review_months BETWEEN 1 AND 120')
@Check('county_setting_backdate_ck', 'backdate_limit_days BETWEEN 0 AND 3650')
export class CountySettingEntity {
  @PrimaryColumn({ type: 'char', length: 12 })
  countyCode: string;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_code', foreignKeyConstraintName: 'county_setting_region_fk' })
  county?: RegionEntity;

  /** A list in force longer than this without a new version is past its review date; null: never. */
  @Column({ type: 'int', nullable: true })
  listReviewMonths: number | null;

  /** How many days before its publication a version may take effect; null: no bound. */
  @Column({ type: 'int', nullable: true })
  backdateLimitDays: number | null;

  /** Publication needs a third person: submitter, approver and publisher all different. */
  @Column({ type: 'boolean', default: false })
  threePartyPublication: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @Column({ type: 'text' })
  updatedBy: string;
}
