import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schemaDrift } from '../../src/database/schema-drift.js';
import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

describe('foundation over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('entities and migrations agree (no schema drift)', async () => {
    expect(await schemaDrift(app.dataSource)).toEqual([]);
  });

  it('lists the real townships of the demo county on /graphql', async () => {
    const r = await app.publicGql('{ regions(parentCode:"320282") { code name level parent { code name } } }');
    const towns = r.data.regions;
    expect(towns.length).toBeGreaterThanOrEqual(5);
    expect(towns).toContainEqual({ code: '320282100000', name: '张渚镇', level: 'TOWNSHIP', parent: { code: '320282000000', name: '宜兴市' } });
  });

  it('GET /health answers 200 with the database engine', async () => {
    const res = await fetch(`${app.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { engine: app.engine, status: 'up' } });
  });

  it('answers errors with a code and no stack, SQL or path', async () => {
    const r = await app.publicGql('{ region(code:"3202x") { code } }');
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    const text = JSON.stringify(r.errors);
    expect(text).not.toMatch(/stacktrace|\bat \w+ \(|\.ts:\d+|SELECT |node_modules/);
  });

  describe('the CLI (dist/src/cli.js, built by the global setup) on this test database', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-cli-test-'));
    });
    afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    /** Runs the CLI as an operator would; asynchronous, so this process keeps serving the embedded engine meanwhile. */
    const cli = (args: string[], env: Record<string, string> = {}) =>
      new Promise<CliRun>((resolve) => {
        const childEnv = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATABASE_URL: app.db.url, QUANZE_DATA_DIR: dataDir, DB_POOL_SIZE: '2', ...env };
        execFile(process.execPath, ['dist/src/cli.js', ...args], { env: childEnv, timeout: 60_000 }, (error, stdout, stderr) => {
          resolve({ code: error ? ((error.code as number | undefined) ?? 1) : 0, stdout, stderr });
        });
      });

    it('prints its commands with --help, and help for each command', async () => {
      const help = await cli(['--help']);
      expect(help.code).toBe(0);
      for (const command of ['migration:run', 'migration:revert', 'migration:show', 'migration:generate', 'schema:check', 'user:create', 'regions:load', 'regions:villages', 'legal:import'])
        expect(help.stdout).toContain(command);
      const userHelp = await cli(['user:create', '--help']);
      expect(userHelp.code).toBe(0);
      expect(userHelp.stdout).toMatch(/--username[\s\S]*--password[\s\S]*--role[\s\S]*--region/);
    });

    it('creates a user who can then log in over HTTP; a second time fails with one line and exit code 1', async () => {
      const args = ['user:create', '--username', 'cli-township', '--password', 'cli-password-1', '--role', 'TOWNSHIP', '--region', '320282100'];
      const created = await cli(args);
      expect(created.stderr).not.toMatch(/quanze:/);
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('Created user cli-township (TOWNSHIP, region 320282100000)');
      const login = await app.adminGql('mutation { login(username:"cli-township", password:"cli-password-1") { role regionCode } }', {}, null);
      expect(login.data.login).toEqual({ role: 'TOWNSHIP', regionCode: '320282100000' });

      const again = await cli(args);
      expect(again.code).toBe(1);
      expect(again.stderr.trim().split('\n').filter((l) => l.startsWith('quanze:'))).toEqual(['quanze: 用户名“cli-township”已存在 (--username)']);
    });

    it('stops with exit code 2 and the variable name on a configuration error', async () => {
      const r = await cli(['migration:show'], { PORT: 'eighty' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('PORT');
    });
  });
});
