import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BodyEntity } from './body.entity.js';

/**
 * Another name of a body that lists may write (an old name, a short form): resolved to the body
 * wherever a list names a body. Unique per county in its NFKC form (index body_alias_county_key_uq,
 * migration 1796313033614), and never the name of another body of the county (checked by the service).
 */
@Entity('body_alias')
@Index('body_alias_county_key_uq', { synchronize: false })
export class BodyAliasEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('body_alias_body_idx')
  @Column({ type: 'uuid' })
  bodyId: string;

  @ManyToOne(() => BodyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'body_id', foreignKeyConstraintName: 'body_alias_body_fk' })
  body?: BodyEntity;

  @Column({ type: 'char', length: 12 })
  countyCode: string;

  @Column({ type: 'text' })
  alias: string;

  @Column({ type: 'text' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
