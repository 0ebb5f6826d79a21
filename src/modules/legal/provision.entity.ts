import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { InstrumentVersionEntity } from './instrument-version.entity.js';

/** 条款: an article (条), paragraph (款) or item (项) of one instrument version, with its text. */
@Entity('provision')
// Unique NULLS NOT DISTINCT on (instrument_version_id, article, paragraph, item): made in the migration.
@Index('provision_version_path_uq', { synchronize: false })
export class ProvisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  instrumentVersionId: string;

  @ManyToOne(() => InstrumentVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instrument_version_id', foreignKeyConstraintName: 'provision_instrument_version_fk' })
  instrumentVersion?: InstrumentVersionEntity;

  @Column({ type: 'int' })
  article: number;

  @Column({ type: 'int', nullable: true })
  paragraph: number | null;

  @Column({ type: 'int', nullable: true })
  item: number | null;

  @Column({ type: 'text' })
  text: string;
}
