import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, forbidden, notFound, unauthenticated } from '../common/domain-error.js';
import { isUuid } from '../common/ids.js';
import { hasInvalidCharacters, normalizeName } from '../common/text-input.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { BodyEntity } from '../modules/bodies/body.entity.js';
import { levelOfCode } from '../modules/regions/region-extract.js';
import { regionPrefix } from '../modules/regions/region-code.js';
import { RegionsService } from '../modules/regions/regions.service.js';
import type { Actor } from './actor.js';
import { hashPassword, verifyPassword } from './password.js';
import { ROLES, UserEntity, type Role } from './user.entity.js';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  regionCode?: string | null;
  /** DEPARTMENT users only: the county department they work for. */
  bodyId?: string | null;
}

const USERNAME_RE = /^[A-Za-z0-9_.@-]{3,64}$/;

/** A username as it is stored and compared (case aside): NFKC, no invisible characters. */
export const normalizeUsername = (username: string) => normalizeName(String(username));

/** Whether a username could be one of ours once normalised (createUser's rule). */
export const isPossibleUsername = (username: string) => USERNAME_RE.test(normalizeUsername(username));

/** Whether a password could be one of ours (createUser's rules): what cannot be need not be hashed or verified. */
export const isPossiblePassword = (password: string) => password.length >= 10 && password.length <= 200 && !hasInvalidCharacters(password);

function requirePassword(field: string, password: string): void {
  if (password.length < 10 || password.length > 200) throw badInput(field, '密码长度须为10至200位');
  // Any printable text is a password (it is only ever hashed); invisible or invalid characters cannot be typed again.
  if (hasInvalidCharacters(password)) throw badInput(field, '密码不能含控制字符或无效字符');
}

/**
 * User accounts: creation, role and region, disabling, passwords. The admin endpoint's resolvers
 * and the console call these same methods. Every change is audited in its transaction (never a
 * password or its hash), and every change that must end the sessions of a user — disabled, a new
 * password, another role or region — raises the user's token version, which every token carries
 * (AuthService.actorFromToken compares it).
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  /** Every account, by username (the console's user registry; MANAGE_USERS is checked by the caller, as by the resolvers). */
  listUsers(): Promise<UserEntity[]> {
    return this.dataSource.getRepository(UserEntity).find({ order: { username: 'ASC' } });
  }

  /** The user a login names, in any letter case (unique on lower(username)). */
  findByUsername(username: string, em: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return em.createQueryBuilder(UserEntity, 'u').where('lower(u.username) = lower(:name)', { name: normalizeUsername(username) }).getOne();
  }

  /** The region a user of `role` works in: none for ADMIN, a township for TOWNSHIP, a county or above for the others. */
  private async scopeOf(role: Role, regionInput: string | null | undefined): Promise<string | null> {
    if (!ROLES.includes(role)) throw badInput('role', `未知角色：${role}`);
    if (role === 'ADMIN') {
      // An administrator acts everywhere; a regional administrator would be scoped in some places only.
      if (regionInput) throw badInput('regionCode', '系统管理员不限区划，请勿指定所辖区划');
      return null;
    }
    if (!regionInput) throw badInput('regionCode', '除系统管理员外，用户必须指定所辖区划');
    const region = await this.regions.requireRegion(regionInput, 'regionCode');
    // Township staff see their own township's drafts; the other roles work for a county (or above).
    if (role === 'TOWNSHIP' && region.level !== 'TOWNSHIP') throw badInput('regionCode', `乡镇用户的所辖区划须为乡镇（街道），“${region.name}”不是`);
    if (role !== 'TOWNSHIP' && !['COUNTY', 'CITY', 'PROVINCE'].includes(region.level))
      throw badInput('regionCode', `该角色的所辖区划须为县级或以上，“${region.name}”不是`);
    return region.code;
  }

  async createUser(actor: Actor, input: NewUser): Promise<UserEntity> {
    const username = normalizeUsername(input.username);
    if (!isPossibleUsername(username)) throw badInput('username', '用户名须为3至64位字母、数字或 _ . @ -');
    requirePassword('password', input.password);
    // Everything that can be refused is checked before the (deliberately slow) hash is computed.
    const regionCode = await this.scopeOf(input.role, input.regionCode);
    const bodyId = input.bodyId ? (await this.departmentBody(input.role, regionCode, input.bodyId)).id : null;
    const taken = (existing: UserEntity) =>
      badInput('username', existing.username === username ? `用户名“${username}”已存在` : `用户名“${username}”与已有的“${existing.username}”相同（用户名不区分大小写）`);
    const before = await this.findByUsername(username);
    if (before) throw taken(before);
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (em) => {
      const existing = await this.findByUsername(username, em);
      if (existing) throw taken(existing);
      const user = await em.save(em.create(UserEntity, { username, passwordHash, role: input.role, regionCode, bodyId }));
      await this.audit.record(em, actor, {
        action: 'createUser', entityType: 'User', entityId: user.id, regionCode,
        after: { username: user.username, role: user.role, regionCode, ...(bodyId ? { bodyId } : {}) },
      });
      return user;
    });
  }

  /** Another role and region (createUser's rules); the user's tokens end when either changes. */
  async updateUser(actor: Actor, id: string, role: Role, regionInput: string | null | undefined): Promise<UserEntity> {
    const regionCode = await this.scopeOf(role, regionInput);
    return this.change(actor, id, 'updateUser', (user) => {
      const before = { role: user.role, regionCode: user.regionCode };
      if (user.role === role && user.regionCode === regionCode) return null;
      // A department link holds for a DEPARTMENT user in its region only: assigned again after a move.
      if (role !== 'DEPARTMENT' || regionCode !== user.regionCode) user.bodyId = null;
      user.role = role;
      user.regionCode = regionCode;
      return { before, after: { role, regionCode }, revokeTokens: true };
    });
  }

  /** Links a DEPARTMENT user to the county department it works for (its task requests are issued by that body). */
  async assignUserBody(actor: Actor, id: string, bodyId: string): Promise<UserEntity> {
    const user = isUuid(id) ? await this.dataSource.getRepository(UserEntity).findOneBy({ id }) : null;
    if (!user) throw notFound('未找到该用户');
    const body = await this.departmentBody(user.role, user.regionCode, bodyId);
    return this.change(actor, id, 'assignUserBody', (locked) => {
      if (locked.bodyId === body.id) return null;
      const before = { bodyId: locked.bodyId };
      locked.bodyId = body.id;
      return { before, after: { bodyId: body.id }, revokeTokens: true };
    });
  }

  /** The body a DEPARTMENT user may be linked to: a county body inside the user's region. */
  private async departmentBody(role: Role, regionCode: string | null, bodyId: string): Promise<BodyEntity> {
    if (role !== 'DEPARTMENT') throw badInput('bodyId', '只有部门用户（DEPARTMENT）关联所属部门');
    const body = isUuid(bodyId) ? await this.dataSource.getRepository(BodyEntity).findOneBy({ id: bodyId }) : null;
    if (!body) throw badInput('bodyId', '未找到该主体，请先在主体目录中登记');
    if (!regionCode || !body.regionCode.startsWith(regionPrefix(regionCode)))
      throw badInput('bodyId', `“${body.name}”不在该用户的所辖区划内`);
    // Task requests are issued by county departments (see AdmissionService.issuingBody).
    if (levelOfCode(body.regionCode) !== 'COUNTY') throw badInput('bodyId', `部门用户应关联县级部门，“${body.name}”不是县级主体`);
    return body;
  }

  async disableUser(actor: Actor, id: string): Promise<UserEntity> {
    return this.change(actor, id, 'disableUser', (user) => {
      if (user.disabledAt) return null;
      user.disabledAt = new Date();
      return { before: { disabled: false }, after: { disabled: true }, revokeTokens: true };
    });
  }

  async enableUser(actor: Actor, id: string): Promise<UserEntity> {
    return this.change(actor, id, 'enableUser', (user) => {
      if (!user.disabledAt) return null;
      user.disabledAt = null;
      // The tokens of before it was disabled stay dead: the version was raised then.
      return { before: { disabled: true }, after: { disabled: false }, revokeTokens: false };
    });
  }

  async resetPassword(actor: Actor, id: string, newPassword: string): Promise<UserEntity> {
    requirePassword('newPassword', newPassword);
    const passwordHash = await hashPassword(newPassword);
    return this.change(actor, id, 'resetPassword', (user) => {
      user.passwordHash = passwordHash;
      return { before: null, after: { passwordReset: true }, revokeTokens: true };
    });
  }

  /**
   * A user's own password, given the current one. A wrong current password is UNAUTHENTICATED, as a
   * wrong login: callers count it through LoginThrottle as they do logins.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<UserEntity> {
    if (!actor.userId) throw forbidden('只有登录的用户可以修改自己的密码');
    requirePassword('newPassword', newPassword);
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: actor.userId });
    if (!user || !isPossiblePassword(currentPassword) || !(await verifyPassword(user.passwordHash, currentPassword))) throw unauthenticated('当前密码不正确');
    if (await verifyPassword(user.passwordHash, newPassword)) throw badInput('newPassword', '新密码不能与当前密码相同');
    const passwordHash = await hashPassword(newPassword);
    return this.change(actor, user.id, 'changePassword', (locked) => {
      locked.passwordHash = passwordHash;
      return { before: null, after: { passwordChanged: true }, revokeTokens: true };
    }, { self: true });
  }

  /**
   * One change to one user, in a transaction with the row locked: `apply` edits the entity and says
   * what to audit, or answers null when there is nothing to change (then nothing is written).
   * Administrators manage other accounts only: their own goes through changePassword, or another
   * administrator (no one locks themselves out by a slip).
   */
  private async change(
    actor: Actor,
    id: string,
    action: string,
    apply: (user: UserEntity) => { before: unknown; after: unknown; revokeTokens: boolean } | null,
    options: { self?: boolean } = {},
  ): Promise<UserEntity> {
    if (!options.self && id === actor.userId) throw forbidden('不能对自己的账号执行此操作：修改自己的密码请用 changePassword，其他变更请由另一位系统管理员办理');
    return this.dataSource.transaction(async (em: EntityManager) => {
      const user = isUuid(id) ? await em.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!user) throw notFound('未找到该用户');
      const changed = apply(user);
      if (!changed) return user;
      if (changed.revokeTokens) user.tokenVersion += 1;
      const saved = await em.save(user);
      await this.audit.record(em, actor, {
        action, entityType: 'User', entityId: user.id, regionCode: user.regionCode,
        before: changed.before ?? undefined, after: { username: user.username, ...(changed.after as object) },
      });
      return saved;
    });
  }
}
