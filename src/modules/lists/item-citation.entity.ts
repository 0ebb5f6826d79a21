import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { InstrumentVersionEntity } from '../legal/instrument-version.entity.js';
import { LegalInstrumentEntity } from '../legal/legal-instrument.entity.js';
import { ProvisionEntity } from '../legal/provision.entity.js';
import { ListItemEntity } from './list-item.entity.js';

/** An item's legal basis, one citation per row: the raw text beside its parsed and resolved form. */
@Entity('item_citation')
@Unique('item_citation_ordinal_uq', ['itemId', 'ordinal'])
export class ItemCitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  itemId: string;

  @ManyToOne(() => ListItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'item_id', foreignKeyConstraintName: 'item_citation_item_fk' })
  listItem?: ListItemEntity;

  @Column({ type: 'int' })
  ordinal: number;

  @Column({ type: 'text' })
  raw: string;

  @Column({ type: 'text', nullable: true })
  instrumentTitle: string | null;

  @Column({ type: 'int', nullable: true })
  article: number | null;

  @Column({ type: 'int', nullable: true })
  paragraph: number | null;

  @Column({ type: 'int', nullable: true })
  item: number | null;

  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'boolean' })
  resolved: boolean;

  @Index('item_citation_instrument_idx')
  @Column({ type: 'uuid', nullable: true })
  instrumentId: string | null;

  @ManyToOne(() => LegalInstrumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_id', foreignKeyConstraintName: 'item_citation_instrument_fk' })
  instrument?: LegalInstrumentEntity;

  @Column({ type: 'uuid', nullable: true })
  instrumentVersionId: string | null;

  @ManyToOne(() => InstrumentVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'instrument_version_id', foreignKeyConstraintName: 'item_citation_instrument_version_fk' })
  instrumentVersion?: InstrumentVersionEntity;

  @Index('item_citation_provision_idx')
  @Column({ type: 'uuid', nullable: true })
  provisionId: string | null;

  @ManyToOne(() => ProvisionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provision_id', foreignKeyConstraintName: 'item_citation_provision_fk' })
  provision?: ProvisionEntity;
}
