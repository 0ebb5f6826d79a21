import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { InstrumentVersionEntity } from './instrument-version.entity.js';

export const CROSSWALK_CHANGES = ['MOVED', 'MERGED', 'SPLIT', 'DELETED'] as const;
export type CrosswalkChange = (typeof CROSSWALK_CHANGES)[number];

/**
 * 条文对照: where an article (or paragraph) of one version of an instrument went in the next one.
 * A split has several rows for one source; a merge several sources with one target; a deletion
 * no target. A number absent from the crosswalk kept its number.
 */
@Entity('provision_crosswalk')
@Check('provision_crosswalk_change_ck', `change IN ('MOVED','MERGED','SPLIT','DELETED')`)
@Check('provision_crosswalk_target_ck', `(change = 'DELETED') = (to_article IS NULL)`)
// Unique NULLS NOT DISTINCT on the whole path: made in the migration.
@Index('provision_crosswalk_path_uq', { synchronize: false })
export class ProvisionCrosswalkEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  fromVersionId: string;

  @ManyToOne(() => InstrumentVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'from_version_id', foreignKeyConstraintName: 'provision_crosswalk_from_fk' })
  fromVersion?: InstrumentVersionEntity;

  @Column({ type: 'uuid' })
  toVersionId: string;

  @ManyToOne(() => InstrumentVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'to_version_id', foreignKeyConstraintName: 'provision_crosswalk_to_fk' })
  toVersion?: InstrumentVersionEntity;

  @Column({ type: 'int' })
  fromArticle: number;

  @Column({ type: 'int', nullable: true })
  fromParagraph: number | null;

  @Column({ type: 'int', nullable: true })
  toArticle: number | null;

  @Column({ type: 'int', nullable: true })
  toParagraph: number | null;

  @Column({ type: 'varchar', length: 16 })
  change: CrosswalkChange;

  /** Where the numbers come from (an official text, a repository file). */
  @Column({ type: 'text', nullable: true })
  source: string | null;

  /** false: the numbers were not checked against an official text. */
  @Column({ type: 'boolean', default: true })
  verified: boolean;
}
