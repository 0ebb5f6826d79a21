import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/** Typed configuration read once from the environment; a wrong value stops the process. */
export interface QuanzeConfig {
  /** PostgreSQL server URL; null means the embedded engine (PGlite) in `dataDir`. */
  databaseUrl: string | null;
  port: number;
  /** Interface to listen on; 0.0.0.0 in containers. */
  host: string;
  dataDir: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  adminUsername: string | null;
  adminPassword: string | null;
  /** Load the demo county (regions, bodies, legal catalogue, lists) on first start. */
  loadDemoData: boolean;
  production: boolean;
  dbPoolSize: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readDatabaseUrl(env: Env): string | null {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a URL (expected postgres://user@host:5432/database)');
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol))
    throw new ConfigError('DATABASE_URL', `must start with postgres:// (got ${url.protocol}//)`);
  if (url.pathname.length <= 1) throw new ConfigError('DATABASE_URL', 'names no database');
  return raw;
}

/**
 * The JWT secret: JWT_SECRET if set, otherwise one generated once and kept in the data folder
 * (so tokens survive restarts). In production with a server database it must be set, because
 * several instances must share it.
 */
function resolveJwtSecret(env: Env, dataDir: string, databaseUrl: string | null, production: boolean): string {
  const raw = env.JWT_SECRET;
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
    return raw;
  }
  if (production && databaseUrl) throw new ConfigError('JWT_SECRET', 'must be set in production with DATABASE_URL');
  const file = path.join(dataDir, 'jwt-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env): QuanzeConfig {
  const production = env.NODE_ENV === 'production';
  const databaseUrl = readDatabaseUrl(env);
  const dataDir = path.resolve(env.QUANZE_DATA_DIR?.trim() || './data');
  const adminUsername = env.ADMIN_USERNAME?.trim() || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if (adminUsername && !/^[A-Za-z0-9_.@-]{3,64}$/.test(adminUsername))
    throw new ConfigError('ADMIN_USERNAME', 'must be 3–64 letters, digits or _ . @ -');
  if (adminPassword !== null && adminPassword.length < 10)
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 10 characters');
  if (!!adminUsername !== !!adminPassword)
    throw new ConfigError(adminUsername ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME', 'must be set together with the other');
  return {
    databaseUrl,
    port: readInt(env, 'PORT', 3000, 1, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir,
    jwtSecret: resolveJwtSecret(env, dataDir, databaseUrl, production),
    jwtTtlSeconds: readInt(env, 'JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    adminUsername,
    adminPassword,
    loadDemoData: readBool(env, 'QUANZE_DEMO_DATA', true),
    production,
    dbPoolSize: readInt(env, 'DB_POOL_SIZE', 10, 1, 200),
  };
}

export const QUANZE_CONFIG = Symbol('QUANZE_CONFIG');
