// Faults: the database going away under a running app and coming back; SIGTERM while
// requests are in flight; kill -9 during writes, then a restart on the same data. The last two run
// the real entry point (dist/src/main.js, bundled by the global setup as `npm run build` does) as a
// child process.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';
import { cloneTestDatabase, serverUrl, TEST_ADMIN, withDatabase, type TestDatabase } from '../setup/test-database.js';

const JWT_SECRET = 'faults-secret-faults-secret-faults-secret-0123';
const CREATE_BODY = 'mutation($n:String!){ createBody(name:$n, kind:"政府部门", regionCode:"320282"){ id name } }';
const BODY_NAMES = '{ bodies(regionCode:"320282") { name } }';

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('the database goes away while the app runs, then comes back', () => {
  let app: TestApp;
  let admin: pg.Client | undefined;
  let databaseName = '';

  beforeAll(async () => {
    app = await startTestApp();
    if (app.engine === 'postgres') {
      databaseName = new URL(app.db.url).pathname.slice(1);
      admin = new pg.Client({ connectionString: withDatabase(serverUrl()!, 'postgres') });
      await admin.connect();
    }
  });
  afterAll(async () => {
    if (admin) {
      await admin.query(`ALTER DATABASE ${databaseName} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    }
    await app?.close();
  });

  /** Stops the database as far as the app can tell: the server refuses new connections and cuts the app's; PGlite's socket closes. */
  async function stopDatabase() {
    if (admin) {
      await admin.query(`ALTER DATABASE ${databaseName} WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]);
    } else {
      await app.db.embedded!.stopSocket();
    }
  }
  async function startDatabase() {
    if (admin) await admin.query(`ALTER DATABASE ${databaseName} WITH ALLOW_CONNECTIONS true`);
    else await app.db.embedded!.startSocket();
  }

  it('/health says so, requests fail fast with SERVICE_UNAVAILABLE (503), nothing crashes, and all recovers without a restart', async () => {
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    const dbLogger = app.dataSource.logger;
    dbLogger.logQueryError = () => undefined; // the failures are expected: not printed
    try {
      await stopDatabase();

      const health = await until('/health to report the database down', async () => {
        const r = await fetch(`${app.url}/health`);
        return r.status === 503 ? r.json() : undefined;
      });
      expect(health).toMatchObject({ status: 'error', database: { engine: app.engine, status: 'down' } });

      for (const run of [
        () => app.publicGql('{ region(code:"320282") { name } }'),
        () => app.adminGql('{ bodies(regionCode:"320282") { name } }'),
        () => app.adminGql(CREATE_BODY, { n: '停机期间新建的主体' }),
        () => app.adminGql('mutation { login(username:"test-admin", password:"test-admin-password") { token } }', {}, null),
      ]) {
        const started = Date.now();
        const r = await run();
        expect({ status: r.status, code: r.errors?.[0]?.extensions?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
        expect(r.errors![0].extensions!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
        expect(r.errors![0].message).toMatch(/数据库暂时不可用/);
        expect(JSON.stringify(r.errors)).not.toMatch(/ECONNREFUSED|accepting connections|127\.0\.0\.1|\bat \S+ \(/);
        // fails fast: well below the pool's 5 s connection timeout, so it did not wait for a connection that will not come
        expect(Date.now() - started).toBeLessThan(4000);
      }
      // what needs no database still answers
      expect((await app.publicGql('{ __typename }')).data).toEqual({ __typename: 'Query' });

      await startDatabase();
      await until('/health to recover', async () => ((await fetch(`${app.url}/health`)).status === 200 ? true : undefined));
      expect((await app.publicGql('{ region(code:"320282") { name } }')).data.region.name).toBe('宜兴市');
      const created = await app.adminGql(CREATE_BODY, { n: '恢复后新建的主体' });
      expect(created.errors).toBeUndefined();
      const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM body WHERE name IN ('停机期间新建的主体', '恢复后新建的主体')`);
      expect(n).toBe(1);
    } finally {
      delete (dbLogger as { logQueryError?: unknown }).logQueryError;
    }
  });
});

describe('SIGTERM and kill -9 of the real process (dist/src/main.js)', () => {
  let db: TestDatabase | undefined;
  let dataDir: string;
  const children: ChildProcess[] = [];

  interface Child {
    proc: ChildProcess;
    url: string;
    output: () => string;
    exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  }

  async function startChild(): Promise<Child> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0', // the OS picks a free port and the app logs it: none chosen here for another process to take first
      QUANZE_DATA_DIR: dataDir,
      JWT_SECRET,
      NODE_ENV: 'production',
      RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
      RATE_LIMIT_ADMIN_PER_MINUTE: '100000',
    };
    delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the app
    delete env.DATABASE_URL;
    if (db) env.DATABASE_URL = db.url;
    const proc = spawn(process.execPath, ['dist/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(proc);
    let output = '';
    proc.stdout!.on('data', (d) => (output += d));
    proc.stderr!.on('data', (d) => (output += d));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    let exited = false;
    void exit.then(() => (exited = true));
    const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) =>
      until(what, async () => {
        if (exited) throw new Error(`the app exited:\n${output.slice(-2000)}`);
        return probe();
      }, 90_000).catch((e) => {
        throw new Error(`${e.message}\n${output.slice(-2000)}`);
      });
    const url = await waitFor('the app to log its address', async () => /Public GraphQL:\s+(http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(output)?.[1]);
    await waitFor(`${url}/health`, async () => ((await fetch(`${url}/health`)).ok ? true : undefined));
    return { proc, url, output: () => output, exit };
  }

  const login = async (c: Child) => (await gql(`${c.url}/admin/graphql`, 'mutation($u:String!,$p:String!){ login(username:$u, password:$p){ token } }', { u: TEST_ADMIN.username, p: TEST_ADMIN.password })).data.login.token as string;
  const bodyNames = async (c: Child) => new Set<string>((await gql(`${c.url}/graphql`, BODY_NAMES)).data.bodies.map((b: { name: string }) => b.name));

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-faults-'));
    if (serverUrl()) {
      db = await cloneTestDatabase();
    } else {
      // the migrated, seeded template, written out as a data folder the app opens like any other
      const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pgdata'), loadDataDir: process.env.QUANZE_TEST_TEMPLATE!, maxConnections: 1 });
      await embedded.stop();
    }
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM: requests in flight finish and answer, then the database is closed and the process exits 0', async () => {
    const child = await startChild();
    const token = await login(child);
    const names = Array.from({ length: 20 }, (_, i) => `平安建设办公室${String(i).padStart(2, '0')}`);
    let firstAnswered: () => void;
    const first = new Promise<void>((r) => (firstAnswered = r));
    const inFlight = names.map((n) =>
      gql(`${child.url}/admin/graphql`, CREATE_BODY, { n }, token).then((r) => {
        firstAnswered();
        return r;
      }),
    );
    await first; // the server is busy with the others now
    child.proc.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((r) => [r.status, r.data?.createBody?.name])).toEqual(names.map((n) => [200, n]));
    const { code } = await child.exit;
    expect(code).toBe(0);
    expect(child.output()).toContain('SIGTERM: finishing requests and closing the database');
    expect(child.output()).toContain('Stopped: requests finished, database closed');
    if (!db) expect(fs.existsSync(path.join(dataDir, 'pgdata', 'quanze.lock'))).toBe(false); // PGlite closed cleanly
    await expect(fetch(`${child.url}/health`)).rejects.toThrow(); // no longer listening
  });

  it('kill -9 during writes, restart on the same data: every acknowledged write is there, and the app works on', async () => {
    const child = await startChild();
    // the SIGTERM test's writes survived the clean stop
    expect([...(await bodyNames(child))].filter((n) => n.startsWith('平安建设办公室'))).toHaveLength(20);
    const token = await login(child);
    const acknowledged: string[] = [];
    let killed = false;
    // four writers in a loop; the process dies under them once 24 writes are acknowledged
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const name = `应急管理站${w}-${String(i).padStart(3, '0')}`;
        try {
          const r = await gql(`${child.url}/admin/graphql`, CREATE_BODY, { n: name }, token);
          if (r.data?.createBody?.name === name) acknowledged.push(name);
        } catch {
          return; // the connection died with the process
        }
        if (acknowledged.length >= 24 && !killed) {
          killed = true;
          child.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(writer));
    expect((await child.exit).signal).toBe('SIGKILL');

    const restarted = await startChild(); // on embedded, takes over the dead process's lock
    const present = await bodyNames(restarted);
    expect(acknowledged.filter((n) => !present.has(n))).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(24);
    const token2 = await login(restarted);
    const after = await gql(`${restarted.url}/admin/graphql`, CREATE_BODY, { n: '重启后新建的主体' }, token2);
    expect(after.errors).toBeUndefined();
    // an input object through the validation pipe (class-transformer, class-validator), as the built entry point loads them
    const user = await gql(`${restarted.url}/admin/graphql`, 'mutation($i:UserInput!){ createUser(input:$i){ username } }',
      { i: { username: 'faults-editor', password: 'faults-editor-password', role: 'EDITOR', regionCode: '320282' } }, token2);
    expect(user).toMatchObject({ status: 200, data: { createUser: { username: 'faults-editor' } } });
    restarted.proc.kill('SIGTERM');
    expect((await restarted.exit).code).toBe(0);
  }, 180_000);
});
