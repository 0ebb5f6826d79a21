import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type QuanzeConfig } from '../../src/config/config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres.js';

/**
 * Test databases are clones of one template built by the real migrations and first-start seed
 * (Immich's approach): on the PostgreSQL server `CREATE DATABASE … TEMPLATE`, on the embedded
 * engine a dumped PGlite data folder loaded into a fresh in-memory instance.
 */
export const TEST_ADMIN = { username: 'test-admin', password: 'test-admin-password' };
const TEMPLATE_ENV = 'QUANZE_TEST_TEMPLATE';

export function testConfig(overrides: Record<string, string> = {}): QuanzeConfig {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-test-'));
  return loadConfig({
    QUANZE_DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    PORT: '3000',
    // Every test's requests come from 127.0.0.1: request rate limits are tested on their own (hardening e2e).
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
    RATE_LIMIT_ADMIN_PER_MINUTE: '1000000',
    // No webhook dispatcher polling in the background (it would add statements to counted requests); the webhook tests drive it.
    WEBHOOK_POLL_MS: '0',
    ...overrides,
  });
}

export const serverUrl = () => process.env.DATABASE_URL || null;

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl()!, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Called once by the global setup with the template's name or tar path. */
export function setTemplate(value: string): void {
  process.env[TEMPLATE_ENV] = value;
}

export interface TestDatabase {
  url: string;
  engine: 'embedded' | 'postgres';
  /** The embedded instance (for tests that reach the engine directly). */
  embedded?: EmbeddedPostgres;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated, seeded template. */
export async function cloneTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('test template missing: run the e2e tests through jest (global setup)');
  if (serverUrl()) {
    const name = `quanze_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    return {
      url: withDatabase(serverUrl()!, name),
      engine: 'postgres',
      drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const embedded = await startEmbeddedPostgres({ loadDataDir: template, maxConnections: 12 });
  return { url: embedded.url, engine: 'embedded', embedded, drop: () => embedded.stop() };
}
