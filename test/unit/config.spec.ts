import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const SECRET = 'a-jwt-secret-of-at-least-thirty-two-characters';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-config-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: Record<string, string> = {}) => loadConfig({ QUANZE_DATA_DIR: dataDir, ...env });

  /** The ConfigError a bad environment raises: it must name the variable, in the message too. */
  function errorOf(env: Record<string, string>): ConfigError {
    try {
      load(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
  }

  it('defaults: embedded engine in the data folder, port 3000, demo data', () => {
    const config = load();
    expect(config).toMatchObject({ databaseUrl: null, port: 3000, host: '127.0.0.1', dataDir, loadDemoData: true, adminUsername: null });
  });

  it.each([['abc'], ['70000'], ['30.5'], ['-1']])('refuses PORT=%s', (port) => {
    const e = errorOf({ PORT: port });
    expect(e.variable).toBe('PORT');
    expect(e.message).toContain('PORT');
  });

  it('reads a good PORT, 0 for any free one', () => {
    expect(load({ PORT: '8080' }).port).toBe(8080);
    expect(load({ PORT: '0' }).port).toBe(0);
  });

  it.each([['not a url'], ['mysql://root@localhost/db'], ['postgres://postgres@127.0.0.1:5432'], ['postgres://postgres@127.0.0.1:5432/']])(
    'refuses DATABASE_URL=%s',
    (url) => {
      const e = errorOf({ DATABASE_URL: url });
      expect(e.variable).toBe('DATABASE_URL');
      expect(e.message).toContain('DATABASE_URL');
    },
  );

  it('accepts a postgres:// or postgresql:// URL naming a database', () => {
    expect(load({ DATABASE_URL: 'postgres://u:p@db:5432/quanze', JWT_SECRET: SECRET }).databaseUrl).toBe('postgres://u:p@db:5432/quanze');
    expect(load({ DATABASE_URL: 'postgresql://u@db/quanze', JWT_SECRET: SECRET }).databaseUrl).toBe('postgresql://u@db/quanze');
  });

  it('refuses a JWT_SECRET shorter than 32 characters', () => {
    const e = errorOf({ JWT_SECRET: 'too-short' });
    expect(e.variable).toBe('JWT_SECRET');
    expect(e.message).toContain('JWT_SECRET');
  });

  it('in production with a server database, uses JWT_SECRET, or warns and generates one (instances must share it)', () => {
    expect(load({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db/quanze', JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(load({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db/quanze' }).jwtSecret.length).toBeGreaterThanOrEqual(32);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('JWT_SECRET'));
    } finally {
      warn.mockRestore();
    }
  });

  it('generates a JWT secret once and keeps it in the data folder across loads', () => {
    const first = load().jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first);
    expect(load().jwtSecret).toBe(first);
    expect(load({ JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET); // an explicit secret wins
  });

  it('creates the data folder when it does not exist yet', () => {
    const nested = path.join(dataDir, 'a', 'b');
    const config = loadConfig({ QUANZE_DATA_DIR: nested });
    expect(config.dataDir).toBe(nested);
    expect(fs.existsSync(path.join(nested, 'jwt-secret'))).toBe(true);
  });

  it('refuses ADMIN_USERNAME without ADMIN_PASSWORD, and the reverse', () => {
    const noPassword = errorOf({ ADMIN_USERNAME: 'admin' });
    expect(noPassword.variable).toBe('ADMIN_PASSWORD');
    expect(noPassword.message).toContain('ADMIN_PASSWORD');
    expect(errorOf({ ADMIN_PASSWORD: 'a-long-enough-password' }).variable).toBe('ADMIN_USERNAME');
  });

  it('refuses a short ADMIN_PASSWORD and a malformed ADMIN_USERNAME', () => {
    expect(errorOf({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short' }).variable).toBe('ADMIN_PASSWORD');
    expect(errorOf({ ADMIN_USERNAME: 'a b', ADMIN_PASSWORD: 'a-long-enough-password' }).variable).toBe('ADMIN_USERNAME');
    expect(load({ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'a-long-enough-password' })).toMatchObject({ adminUsername: 'admin', adminPassword: 'a-long-enough-password' });
  });

  it('names the variable of other bad values too', () => {
    expect(errorOf({ QUANZE_DEMO_DATA: 'maybe' }).variable).toBe('QUANZE_DEMO_DATA');
    expect(errorOf({ DB_POOL_SIZE: '0' }).variable).toBe('DB_POOL_SIZE');
    expect(errorOf({ JWT_TTL_SECONDS: '5' }).variable).toBe('JWT_TTL_SECONDS');
  });

  it('reads DATABASE_REPLICA_URLS (comma-separated, each a postgres:// URL), only beside DATABASE_URL', () => {
    const primary = { DATABASE_URL: 'postgres://u@primary/quanze', JWT_SECRET: SECRET };
    expect(load(primary).databaseReplicaUrls).toEqual([]);
    expect(load({ ...primary, DATABASE_REPLICA_URLS: ' postgres://u@r1/quanze , postgresql://u@r2:5433/quanze ' }).databaseReplicaUrls).toEqual([
      'postgres://u@r1/quanze',
      'postgresql://u@r2:5433/quanze',
    ]);
    expect(errorOf({ ...primary, DATABASE_REPLICA_URLS: 'mysql://r1/quanze' }).variable).toBe('DATABASE_REPLICA_URLS');
    expect(errorOf({ ...primary, DATABASE_REPLICA_URLS: 'postgres://r1' }).variable).toBe('DATABASE_REPLICA_URLS');
    expect(errorOf({ DATABASE_REPLICA_URLS: 'postgres://u@r1/quanze' }).message).toContain('DATABASE_URL');
  });

  it('reads READ_CACHE_ENTRIES (0 turns the cache of public answers off)', () => {
    expect(load().readCacheEntries).toBe(5000);
    expect(load({ READ_CACHE_ENTRIES: '0' }).readCacheEntries).toBe(0);
    expect(errorOf({ READ_CACHE_ENTRIES: '-1' }).variable).toBe('READ_CACHE_ENTRIES');
  });

  it('reads the budgets of reading an upload: 50 MB uncompressed, 60 s, each its own setting', () => {
    expect(load()).toMatchObject({ importMaxBytes: 10 * 1024 * 1024, importMaxUncompressedBytes: 50 * 1024 * 1024, importParseTimeoutSeconds: 60 });
    expect(load({ IMPORT_MAX_UNCOMPRESSED_BYTES: '2097152', IMPORT_PARSE_TIMEOUT_SECONDS: '5' })).toMatchObject({ importMaxUncompressedBytes: 2097152, importParseTimeoutSeconds: 5 });
    expect(errorOf({ IMPORT_MAX_UNCOMPRESSED_BYTES: '1000' }).variable).toBe('IMPORT_MAX_UNCOMPRESSED_BYTES');
    expect(errorOf({ IMPORT_PARSE_TIMEOUT_SECONDS: '0' }).variable).toBe('IMPORT_PARSE_TIMEOUT_SECONDS');
  });
});
