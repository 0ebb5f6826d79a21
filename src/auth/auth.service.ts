import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import type { DataSource, EntityManager } from 'typeorm';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { badInput, notFound, unauthenticated } from '../common/domain-error.js';
import { isUuid } from '../common/ids.js';
import { hasInvalidCharacters } from '../common/text-input.js';
import { BodyEntity } from '../modules/bodies/body.entity.js';
import { levelOfCode } from '../modules/regions/region-extract.js';
import { RegionsService } from '../modules/regions/regions.service.js';
import { regionPrefix, systemActor, type Actor } from './actor.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { hashPassword, verifyPassword } from './password.js';
import { ROLES, UserEntity, type Role } from './user.entity.js';

interface TokenClaims {
  sub: string;
  role: Role;
  region: string | null;
  name: string;
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  regionCode?: string | null;
  /** DEPARTMENT users only: the county department they work for. */
  bodyId?: string | null;
}

const USERNAME_RE = /^[A-Za-z0-9_.@-]{3,64}$/;

// A hash to verify against when the user does not exist, so timing does not reveal usernames.
const DUMMY_HASH = hashPassword('quanze-timing-equaliser');

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  async login(username: string, password: string): Promise<{ token: string; user: UserEntity }> {
    // What no user can have (createUser's rules) reaches neither the database nor the hash: same answer as a wrong password.
    if (!USERNAME_RE.test(username) || password.length < 10 || password.length > 200 || hasInvalidCharacters(password))
      throw unauthenticated('用户名或密码错误');
    const user = await this.users.findOneBy({ username });
    const ok = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), password);
    if (!user || !ok) throw unauthenticated('用户名或密码错误');
    const claims: TokenClaims = { sub: user.id, role: user.role, region: user.regionCode, name: user.username };
    const token = jwt.sign(claims, this.config.jwtSecret, { algorithm: 'HS256', expiresIn: this.config.jwtTtlSeconds, issuer: 'quanze' });
    return { token, user };
  }

  /** The actor a bearer token stands for, checked against the user table (a deleted user's token stops working). */
  async actorFromToken(token: string): Promise<Actor> {
    let claims: TokenClaims;
    try {
      claims = jwt.verify(token, this.config.jwtSecret, { algorithms: ['HS256'], issuer: 'quanze' }) as TokenClaims;
    } catch (e) {
      throw unauthenticated(e instanceof jwt.TokenExpiredError ? '登录已过期，请重新登录' : '登录凭证无效，请重新登录');
    }
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user) throw unauthenticated('登录凭证无效，请重新登录');
    return { userId: user.id, username: user.username, role: user.role, regionCode: user.regionCode, bodyId: user.bodyId };
  }

  async createUser(actor: Actor, input: NewUser): Promise<UserEntity> {
    if (!USERNAME_RE.test(input.username))
      throw badInput('username', '用户名须为3至64位字母、数字或 _ . @ -');
    if (input.password.length < 10 || input.password.length > 200)
      throw badInput('password', '密码长度须为10至200位');
    // Any printable text is a password (it is only ever hashed); invisible or invalid characters cannot be typed again.
    if (hasInvalidCharacters(input.password)) throw badInput('password', '密码不能含控制字符或无效字符');
    if (!ROLES.includes(input.role)) throw badInput('role', `未知角色：${input.role}`);
    // Everything that can be refused is checked before the (deliberately slow) hash is computed.
    let regionCode: string | null = null;
    if (input.role === 'ADMIN') {
      // An administrator acts everywhere; a regional administrator would be scoped in some places only.
      if (input.regionCode) throw badInput('regionCode', '系统管理员不限区划，请勿指定所辖区划');
    } else if (!input.regionCode) {
      throw badInput('regionCode', '除系统管理员外，用户必须指定所辖区划');
    } else {
      const region = await this.regions.requireRegion(input.regionCode, 'regionCode');
      // Township staff see their own township's drafts; the other roles work for a county (or above).
      if (input.role === 'TOWNSHIP' && region.level !== 'TOWNSHIP')
        throw badInput('regionCode', `乡镇用户的所辖区划须为乡镇（街道），“${region.name}”不是`);
      if (input.role !== 'TOWNSHIP' && !['COUNTY', 'CITY', 'PROVINCE'].includes(region.level))
        throw badInput('regionCode', `该角色的所辖区划须为县级或以上，“${region.name}”不是`);
      regionCode = region.code;
    }
    const bodyId = input.bodyId ? (await this.departmentBody(input.role, regionCode, input.bodyId)).id : null;
    const taken = () => badInput('username', `用户名“${input.username}”已存在`);
    if (await this.users.existsBy({ username: input.username })) throw taken();
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (em) => {
      if (await em.existsBy(UserEntity, { username: input.username })) throw taken();
      const user = await em.save(em.create(UserEntity, { username: input.username, passwordHash, role: input.role, regionCode, bodyId }));
      await this.audit.record(em, actor, {
        action: 'createUser', entityType: 'User', entityId: user.id, regionCode,
        after: { username: user.username, role: user.role, regionCode, ...(bodyId ? { bodyId } : {}) },
      });
      return user;
    });
  }

  /** Links a DEPARTMENT user to the county department it works for (its task requests are issued by that body). */
  async assignUserBody(actor: Actor, userId: string, bodyId: string): Promise<UserEntity> {
    return this.dataSource.transaction(async (em) => {
      const user = isUuid(userId) ? await em.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!user) throw notFound('未找到该用户');
      const body = await this.departmentBody(user.role, user.regionCode, bodyId, em);
      const before = user.bodyId;
      user.bodyId = body.id;
      const saved = await em.save(user);
      await this.audit.record(em, actor, { action: 'assignUserBody', entityType: 'User', entityId: user.id, regionCode: user.regionCode, before: { bodyId: before }, after: { bodyId: body.id } });
      return saved;
    });
  }

  /** The body a DEPARTMENT user may be linked to: a county body inside the user's region. */
  private async departmentBody(role: Role, regionCode: string | null, bodyId: string, em: EntityManager = this.dataSource.manager): Promise<BodyEntity> {
    if (role !== 'DEPARTMENT') throw badInput('bodyId', '只有部门用户（DEPARTMENT）关联所属部门');
    const body = isUuid(bodyId) ? await em.findOneBy(BodyEntity, { id: bodyId }) : null;
    if (!body) throw badInput('bodyId', '未找到该主体，请先在主体目录中登记');
    if (!regionCode || !body.regionCode.startsWith(regionPrefix(regionCode)))
      throw badInput('bodyId', `“${body.name}”不在该用户的所辖区划内`);
    // Task requests are issued by county departments (see AdmissionService.issuingBody).
    if (levelOfCode(body.regionCode) !== 'COUNTY') throw badInput('bodyId', `部门用户应关联县级部门，“${body.name}”不是县级主体`);
    return body;
  }

  /**
   * The first administrator when no user exists yet: from ADMIN_USERNAME/ADMIN_PASSWORD, or, on
   * the embedded engine without them, `admin` with a generated password kept in the data folder
   * (a newcomer's first start needs no configuration at all).
   */
  async ensureFirstAdmin(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    let { adminUsername, adminPassword } = this.config;
    if (!adminUsername || !adminPassword) {
      if (this.config.databaseUrl) {
        this.logger.warn('No user exists and ADMIN_USERNAME/ADMIN_PASSWORD are not set: nobody can log in to /admin/graphql yet.');
        return;
      }
      adminUsername = 'admin';
      adminPassword = randomBytes(12).toString('base64url');
      const file = path.join(this.config.dataDir, 'admin-password');
      fs.writeFileSync(file, `${adminPassword}\n`, { mode: 0o600 });
      this.logger.log(`First administrator: admin / ${adminPassword} (also in ${file}; set ADMIN_USERNAME/ADMIN_PASSWORD to choose)`);
    }
    await this.createUser(systemActor('first-start'), { username: adminUsername, password: adminPassword, role: 'ADMIN' });
    this.logger.log(`Created the first administrator "${adminUsername}"`);
  }
}
