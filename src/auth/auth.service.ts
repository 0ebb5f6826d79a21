import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import jwt from 'jsonwebtoken';
import type { DataSource } from 'typeorm';
import { QUANZE_CONFIG, type QuanzeConfig } from '../config/config.js';
import { unauthenticated } from '../common/domain-error.js';
import { systemActor, type Actor } from './actor.js';
import { hashPassword, verifyPassword } from './password.js';
import { UserEntity, type Role } from './user.entity.js';
import { isPossiblePassword, isPossibleUsername, UsersService } from './users.service.js';

interface TokenClaims {
  sub: string;
  role: Role;
  region: string | null;
  name: string;
  /** The user's token version when the token was issued (tokens from before token versions: 0). */
  ver?: number;
}

// A hash to verify against when the user does not exist, so timing does not reveal usernames.
const DUMMY_HASH = hashPassword('quanze-timing-equaliser');

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

  async login(username: string, password: string): Promise<{ token: string; user: UserEntity }> {
    // What no user can have (createUser's rules) reaches neither the database nor the hash: same answer as a wrong password.
    if (!isPossibleUsername(username) || !isPossiblePassword(password)) throw unauthenticated('用户名或密码错误');
    const user = await this.users.findByUsername(username);
    const ok = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), password);
    if (!user || !ok) throw unauthenticated('用户名或密码错误');
    if (user.disabledAt) throw unauthenticated('该账号已停用，请联系系统管理员');
    return { token: this.issueToken(user), user };
  }

  /** A token for the user as it is now (role, region, token version). */
  issueToken(user: UserEntity): string {
    const claims: TokenClaims = { sub: user.id, role: user.role, region: user.regionCode, name: user.username, ver: user.tokenVersion };
    return jwt.sign(claims, this.config.jwtSecret, { algorithm: 'HS256', expiresIn: this.config.jwtTtlSeconds, issuer: 'quanze' });
  }

  /**
   * The actor a bearer token stands for, checked against the user table: the token of a deleted or
   * disabled user, or one issued before the user's token version was raised (new password, new role
   * or region), stops working.
   */
  async actorFromToken(token: string): Promise<Actor> {
    let claims: TokenClaims;
    try {
      claims = jwt.verify(token, this.config.jwtSecret, { algorithms: ['HS256'], issuer: 'quanze' }) as TokenClaims;
    } catch (e) {
      throw unauthenticated(e instanceof jwt.TokenExpiredError ? '登录已过期，请重新登录' : '登录凭证无效，请重新登录');
    }
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: claims.sub });
    if (!user || user.disabledAt || (claims.ver ?? 0) !== user.tokenVersion) throw unauthenticated('登录凭证已失效，请重新登录');
    return { userId: user.id, username: user.username, role: user.role, regionCode: user.regionCode, bodyId: user.bodyId };
  }

  /**
   * The first administrator when no user exists yet: from ADMIN_USERNAME/ADMIN_PASSWORD, or, on
   * the embedded engine without them, `admin` with a generated password written to the data folder
   * (a newcomer's first start needs no configuration at all). The log names the file, never the
   * password: logs are collected and kept where the password should not be.
   */
  async ensureFirstAdmin(): Promise<void> {
    if ((await this.dataSource.getRepository(UserEntity).count()) > 0) return;
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
      this.logger.log(`First administrator: admin, with the password generated into ${file} (set ADMIN_USERNAME/ADMIN_PASSWORD to choose)`);
    }
    await this.users.createUser(systemActor('first-start'), { username: adminUsername, password: adminPassword, role: 'ADMIN' });
    this.logger.log(`Created the first administrator "${adminUsername}"`);
  }
}
