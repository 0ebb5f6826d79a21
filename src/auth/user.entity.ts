import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BodyEntity } from '../modules/bodies/body.entity.js';
import { RegionEntity } from '../modules/regions/region.entity.js';

export const ROLES = ['ADMIN', 'EDITOR', 'REVIEWER', 'TOWNSHIP', 'DEPARTMENT'] as const;
export type Role = (typeof ROLES)[number];

@Entity('app_user')
@Check('app_user_role_ck', `role IN ('ADMIN','EDITOR','REVIEWER','TOWNSHIP','DEPARTMENT')`)
@Check('app_user_scope_ck', `role = 'ADMIN' OR region_code IS NOT NULL`)
@Check('app_user_body_ck', `body_id IS NULL OR role = 'DEPARTMENT'`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('app_user_username_uq', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  /** Region scope: a county covers its townships; null only for ADMIN (everywhere). */
  @Column({ type: 'char', length: 12, nullable: true })
  regionCode: string | null;

  @ManyToOne(() => RegionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'region_code', foreignKeyConstraintName: 'app_user_region_fk' })
  region?: RegionEntity;

  /** The county department a DEPARTMENT user works for: the body its task requests are issued by. */
  @Column({ type: 'uuid', nullable: true })
  bodyId: string | null;

  @ManyToOne(() => BodyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'body_id', foreignKeyConstraintName: 'app_user_body_fk' })
  body?: BodyEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
