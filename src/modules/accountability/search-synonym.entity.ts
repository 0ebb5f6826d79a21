import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A colloquial form and the terms lists use for it (违建 → 违法建设), kept as data. */
@Entity('search_synonym')
export class SearchSynonymEntity {
  @PrimaryColumn({ type: 'text' })
  term: string;

  @Column({ type: 'text', array: true })
  expansions: string[];

  @Column({ type: 'text', default: 'migration' })
  updatedBy: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
