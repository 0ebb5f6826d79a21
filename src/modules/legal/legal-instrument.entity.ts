import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export const LEGAL_RANKS = ['宪法', '法律', '行政法规', '地方性法规', '部门规章', '地方政府规章', '规范性文件'] as const;
export type LegalRank = (typeof LEGAL_RANKS)[number];

/** 法律法规: the work, across its versions. */
@Entity('legal_instrument')
export class LegalInstrumentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('legal_instrument_title_uq', { unique: true })
  @Column({ type: 'text' })
  title: string;

  @Index('legal_instrument_short_title_idx')
  @Column({ type: 'text', nullable: true })
  shortTitle: string | null;

  @Column({ type: 'varchar', length: 16 })
  rank: LegalRank;

  /** 废止日期: from this day the instrument is no longer in force (no version of it is). */
  @Column({ type: 'date', nullable: true })
  repealedOn: string | null;

  /** The instrument that replaces a repealed one, if any. */
  @Column({ type: 'uuid', nullable: true })
  successorId: string | null;

  @ManyToOne(() => LegalInstrumentEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'successor_id', foreignKeyConstraintName: 'legal_instrument_successor_fk' })
  successor?: LegalInstrumentEntity;
}
