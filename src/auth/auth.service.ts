import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import type { DataSource } from 'typeorm';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { badInput, unauthenticated } from '../common/domain-error.js';
import { RegionsService } from '../modules/regions/regions.service.js';
import { systemActor, type Actor } from './actor.js';
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
}

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
    return { userId: user.id, username: user.username, role: user.role, regionCode: user.regionCode };
  }

  async createUser(actor: Actor, input: NewUser): Promise<UserEntity> {
    if (!/^[A-Za-z0-9_.@-]{3,64}$/.test(input.username))
      throw badInput('username', '用户名须为3至64位字母、数字或 _ . @ -');
    if (input.password.length < 10 || input.password.length > 200)
      throw badInput('password', '密码长度须为10至200位');
    if (!ROLES.includes(input.role)) throw badInput('role', `未知角色：${input.role}`);
    const passwordHash = await hashPassword(input.password);
    return this.dataSource.transaction(async (em) => {
      let regionCode: string | null = null;
      if (input.regionCode) {
        regionCode = (await this.regions.requireRegion(input.regionCode, 'regionCode', em)).code;
      } else if (input.role !== 'ADMIN') {
        throw badInput('regionCode', '除系统管理员外，用户必须指定所辖区划');
      }
      if (await em.existsBy(UserEntity, { username: input.username }))
        throw badInput('username', `用户名“${input.username}”已存在`);
      const user = await em.save(em.create(UserEntity, { username: input.username, passwordHash, role: input.role, regionCode }));
      await this.audit.record(em, actor, {
        action: 'createUser', entityType: 'User', entityId: user.id, regionCode,
        after: { username: user.username, role: user.role, regionCode },
      });
      return user;
    });
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
