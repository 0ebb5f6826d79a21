import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/** Typed configuration read once from the environment; a wrong value stops the process. */
export interface QuanzeConfig {
  /** PostgreSQL server URL; null means the embedded engine (PGlite) in `dataDir`. */
  databaseUrl: string | null;
  /** Read replicas (DATABASE_REPLICA_URLS, comma-separated): public reads go there (docs/operations.md). */
  databaseReplicaUrls: string[];
  /** Entries per space of the in-process cache of public answers (READ_CACHE_ENTRIES, 0 = off; src/common/read-cache.ts). */
  readCacheEntries: number;
  /** Days a logged public question (and a "was this right?" answer) is kept (QUESTION_LOG_RETENTION_DAYS). */
  questionLogRetentionDays: number;
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
  /** Spreadsheet import: largest file accepted (bytes) and most rows, both refused before parsing. */
  importMaxBytes: number;
  importMaxRows: number;
  /** An .xlsx is a ZIP archive: the most its entries may expand to (IMPORT_MAX_UNCOMPRESSED_BYTES). */
  importMaxUncompressedBytes: number;
  /** How long reading one uploaded file may take, off the main thread, before it is ended and refused. */
  importParseTimeoutSeconds: number;
  /** Limits of the GraphQL API (docs/security.md). */
  api: ApiLimits;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe for the client's IP (false: none). */
  trustProxy: boolean | number | string;
  /** Delivery of webhooks (docs/county-views.md). */
  webhooks: WebhookSettings;
  /** The console's session ends after this many seconds without a request (CONSOLE_IDLE_SECONDS). */
  consoleIdleSeconds: number;
}

export interface WebhookSettings {
  /** How often the dispatcher looks for due deliveries (WEBHOOK_POLL_MS; 0: no dispatcher in this process). */
  pollMs: number;
  /** The wait after a first failed attempt, doubled after each further one (WEBHOOK_RETRY_BASE_MS), at most six hours. */
  retryBaseMs: number;
  /** Attempts before a delivery is given up as FAILED (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** How long one attempt may take (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Per-endpoint values: the public `/graphql` and the authenticated `/admin/graphql`. */
export interface PerEndpoint<T> {
  public: T;
  admin: T;
}

/** The classes of public routes, each with its own rate limit per client IP (docs/security.md). */
export const PUBLIC_ROUTE_CLASSES = ['pages', 'questions', 'exports'] as const;
export type PublicRouteClass = (typeof PUBLIC_ROUTE_CLASSES)[number];

export interface RouteRateLimit {
  /** requests per minute, sustained */
  perMinute: number;
  /** requests beyond that a client may make in a burst, at most `burst` per burst window */
  burst: number;
  /** the settings that set them, named in a 429 */
  setting: string;
}

export interface ApiLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxQueryChars: number;
  maxComplexity: PerEndpoint<number>;
  /** Largest `first` of any list argument. */
  pageMax: PerEndpoint<number>;
  /** Requests per minute: `public` is the default of every public route class; `admin` per user (or IP before login) on /admin/graphql. */
  requestsPerMinute: PerEndpoint<number>;
  /** Per client IP, per class of public route: pages (the portal), questions (/graphql), exports (/exports/…). */
  publicRoutes: Record<PublicRouteClass, RouteRateLimit>;
  /** The window in which a class's burst allowance is spent, then renewed. */
  burstWindowSeconds: number;
  /** Failed logins per username and IP within the window before 429. */
  loginMaxFailures: number;
  loginWindowSeconds: number;
  /** max-age of public GET answers. */
  publicCacheSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * RATE_LIMIT_<CLASS>_PER_MINUTE (default RATE_LIMIT_PUBLIC_PER_MINUTE, 600) and
 * RATE_LIMIT_<CLASS>_BURST (default half the class's per-minute limit) for pages, questions, exports.
 */
function readRouteLimits(env: Env): Record<PublicRouteClass, RouteRateLimit> {
  const base = readInt(env, 'RATE_LIMIT_PUBLIC_PER_MINUTE', 600, 1, 10_000_000);
  const entries = PUBLIC_ROUTE_CLASSES.map((routeClass) => {
    const name = `RATE_LIMIT_${routeClass.toUpperCase()}`;
    const perMinute = readInt(env, `${name}_PER_MINUTE`, base, 1, 10_000_000);
    const burst = readInt(env, `${name}_BURST`, Math.floor(perMinute / 2), 0, 10_000_000);
    return [routeClass, { perMinute, burst, setting: `${name}_PER_MINUTE` }] as const;
  });
  return Object.fromEntries(entries) as Record<PublicRouteClass, RouteRateLimit>;
}

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

/** TRUST_PROXY: false (default), true, a number of hops, or addresses/subnets/names (loopback, uniquelocal). */
function readTrustProxy(env: Env): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^(true|yes|on)$/i.test(raw)) return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (!/^[0-9A-Za-z.:/, ]+$/.test(raw)) throw new ConfigError('TRUST_PROXY', `must be true, false, a number of proxies or a list of addresses, got "${raw}"`);
  return raw;
}

function readDatabaseUrl(env: Env, name = 'DATABASE_URL', value = env[name]): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL (expected postgres://user@host:5432/database)');
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol))
    throw new ConfigError(name, `must start with postgres:// (got ${url.protocol}//)`);
  if (url.pathname.length <= 1) throw new ConfigError(name, 'names no database');
  return raw;
}

/** DATABASE_REPLICA_URLS: comma-separated postgres:// URLs of streaming replicas; needs DATABASE_URL. */
function readReplicaUrls(env: Env, databaseUrl: string | null): string[] {
  const urls = (env.DATABASE_REPLICA_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  if (urls.length && !databaseUrl) throw new ConfigError('DATABASE_REPLICA_URLS', 'needs DATABASE_URL (the primary); the embedded engine has no replicas');
  return urls.map((u) => readDatabaseUrl(env, 'DATABASE_REPLICA_URLS', u)!);
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
  // One instance can keep its own; several instances sharing the database must share JWT_SECRET (docs/security.md).
  if (production && databaseUrl)
    console.warn('Warning: JWT_SECRET is not set: using a secret generated in the data folder; set the same JWT_SECRET on every instance');
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
    databaseReplicaUrls: readReplicaUrls(env, databaseUrl),
    readCacheEntries: readInt(env, 'READ_CACHE_ENTRIES', 5000, 0, 1_000_000),
    questionLogRetentionDays: readInt(env, 'QUESTION_LOG_RETENTION_DAYS', 365, 1, 3650),
    port: readInt(env, 'PORT', 3000, 0, 65535), // 0: any free port (the log says which)
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir,
    jwtSecret: resolveJwtSecret(env, dataDir, databaseUrl, production),
    jwtTtlSeconds: readInt(env, 'JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    adminUsername,
    adminPassword,
    loadDemoData: readBool(env, 'QUANZE_DEMO_DATA', true),
    production,
    dbPoolSize: readInt(env, 'DB_POOL_SIZE', 10, 1, 200),
    importMaxBytes: readInt(env, 'IMPORT_MAX_BYTES', 10 * 1024 * 1024, 1024, 200 * 1024 * 1024),
    importMaxRows: readInt(env, 'IMPORT_MAX_ROWS', 20_000, 1, 1_000_000),
    importMaxUncompressedBytes: readInt(env, 'IMPORT_MAX_UNCOMPRESSED_BYTES', 50 * 1024 * 1024, 1024 * 1024, 1024 * 1024 * 1024),
    importParseTimeoutSeconds: readInt(env, 'IMPORT_PARSE_TIMEOUT_SECONDS', 60, 1, 3600),
    api: {
      maxDepth: readInt(env, 'QUERY_MAX_DEPTH', 10, 2, 100),
      maxAliases: readInt(env, 'QUERY_MAX_ALIASES', 15, 0, 1000),
      maxTokens: readInt(env, 'QUERY_MAX_TOKENS', 1000, 50, 100_000),
      maxQueryChars: readInt(env, 'QUERY_MAX_CHARS', 10_000, 100, 1_000_000),
      maxComplexity: {
        public: readInt(env, 'QUERY_MAX_COMPLEXITY_PUBLIC', 10_000, 10, 10_000_000),
        admin: readInt(env, 'QUERY_MAX_COMPLEXITY_ADMIN', 100_000, 10, 10_000_000),
      },
      pageMax: { public: readInt(env, 'PAGE_MAX_PUBLIC', 100, 1, 100_000), admin: readInt(env, 'PAGE_MAX_ADMIN', 1000, 1, 100_000) },
      requestsPerMinute: {
        public: readInt(env, 'RATE_LIMIT_PUBLIC_PER_MINUTE', 600, 1, 10_000_000),
        admin: readInt(env, 'RATE_LIMIT_ADMIN_PER_MINUTE', 1200, 1, 10_000_000),
      },
      publicRoutes: readRouteLimits(env),
      burstWindowSeconds: readInt(env, 'RATE_LIMIT_BURST_WINDOW_SECONDS', 600, 1, 86_400),
      loginMaxFailures: readInt(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
      loginWindowSeconds: readInt(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 60, 1, 86_400),
      publicCacheSeconds: readInt(env, 'PUBLIC_CACHE_MAX_AGE_SECONDS', 60, 0, 86_400),
    },
    trustProxy: readTrustProxy(env),
    webhooks: {
      pollMs: readInt(env, 'WEBHOOK_POLL_MS', 5000, 0, 3_600_000),
      retryBaseMs: readInt(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 0, 3_600_000),
      maxAttempts: readInt(env, 'WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
      timeoutMs: readInt(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    consoleIdleSeconds: readInt(env, 'CONSOLE_IDLE_SECONDS', 30 * 60, 60, 24 * 3600),
  };
}

export const QUANZE_CONFIG = Symbol('QUANZE_CONFIG');
