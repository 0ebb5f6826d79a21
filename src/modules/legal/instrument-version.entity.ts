import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LegalInstrumentEntity } from './legal-instrument.entity.js';

/** A dated text of an instrument: the version in force between effectiveFrom and repeal/amendment. */
@Entity('instrument_version')
@Index('instrument_version_instrument_idx', ['instrumentId', 'effectiveFrom'])
export class InstrumentVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  instrumentId: string;

  @ManyToOne(() => LegalInstrumentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'instrument_id', foreignKeyConstraintName: 'instrument_version_instrument_fk' })
  instrument?: LegalInstrumentEntity;

  @Column({ type: 'text', nullable: true })
  enactingOrgan: string | null;

  /** 文号, e.g. 主席令第七十号 */
  @Column({ type: 'text', nullable: true })
  docNumber: string | null;

  @Column({ type: 'date', nullable: true })
  promulgatedOn: string | null;

  @Column({ type: 'date', nullable: true })
  effectiveFrom: string | null;

  @Column({ type: 'date', nullable: true })
  amendedOn: string | null;

  @Column({ type: 'date', nullable: true })
  repealedOn: string | null;
}
