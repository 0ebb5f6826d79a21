import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BodyEntity } from '../modules/bodies/body.entity.js';
import { RegionEntity } from '../modules/regions/region.entity.js';

export const ROLES = ['ADMIN', 'EDITOR', 'REVIEWER', 'TOWNSHIP', 'DEPARTMENT'] as const;
export type Role = (typeof ROLES)[number];

@Entity('app_user')
@Check('app_user_role_ck', `role IN ('ADMIN','EDITOR','REVIEWER','TOWNSHIP','DEPARTMENT')`)
@Check('app_user_scope_ck', `role = 'ADMIN' OR region_code IS NOT NULL`)
// Unique on lower(username): `Admin` is `admin` (migration 1796303798929).
@Index('app_user_username_lower_uq', { synchronize: false })
@Check('app_user_body_ck', `body_id IS NULL OR role = 'DEPARTMENT'`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** As written when created (NFKC, no invisible characters); compared in lower case. */
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

  /** Carried by every token; raised when the tokens issued so far must stop working (disabled, new password, new role or region). */
  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  /** Set while the account is disabled: no login, no token works. */
  @Column({ type: 'timestamptz', nullable: true })
  disabledAt: Date | null;
  /** The county department a DEPARTMENT user works for: the body its task requests are issued by. */
  @Column({ type: 'uuid', nullable: true })
  bodyId: string | null;

  @ManyToOne(() => BodyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'body_id', foreignKeyConstraintName: 'app_user_body_fk' })
  body?: BodyEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
