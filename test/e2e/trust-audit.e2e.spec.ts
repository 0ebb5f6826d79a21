// The audit trail: every data-changing mutation writes its events in its own transaction
// (naming actor, role, region, action and entity), a failed one writes none, the database refuses
// to change the trail, and the hash chain names the first event that was edited, deleted or
// reordered behind the database's back (AuditService.verify, and `audit:verify` on the server).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventHash } from '../../src/modules/audit/audit-chain.js';
import { AuditService } from '../../src/modules/audit/audit.service.js';
import { sqlRefusal } from '../setup/lists-api.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';
import { serverUrl } from '../setup/test-database.js';
import {
  createUsers,
  eventsAfter,
  fingerprint,
  item,
  JIANGYIN,
  lastSeq,
  ok,
  outcome,
  trustApi,
  XIZHU,
  YIXING,
  YIXING_BODY,
  type AuditRow,
} from '../setup/trust.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const onServer = !!serverUrl();
const HEX64 = /^[0-9a-f]{64}$/;

/**
 * A private build of the CLI, as `npm run build` makes dist/ (SWC, ES modules, node_modules beside
 * it): dist/ itself is shared with every other build and test run in this working tree, and
 * `npm run build` starts with `rm -rf dist`.
 */
function buildCli(): { cli: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-cli-build-'));
  execFileSync(path.join(ROOT, 'node_modules/.bin/swc'), ['src', 'migrations', '-d', dir, '-q', '--ignore', 'src/web/assets/**'], { cwd: ROOT, stdio: 'inherit' });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // files read at run time from the project tree (src/common/project-files.ts), beside the compiled code as in dist/
  fs.symlinkSync(path.join(ROOT, 'src/web/assets'), path.join(dir, 'src/web/assets'), 'dir');
  return { cli: path.join(dir, 'src/cli.js'), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** `node <build>/src/cli.js audit:verify` on the test's database: exit code, stdout, stderr. */
function cliVerify(cli: string, databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-cli-'));
  const env = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), DATABASE_URL: databaseUrl, QUANZE_DATA_DIR: dataDir, JWT_SECRET: 'cli-test-secret-cli-test-secret-0123456789' };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'audit:verify'], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs `work` with TypeORM's "query failed" log silenced: the failures here are the point. */
async function quietly<T>(app: TestApp, work: () => Promise<T>): Promise<T> {
  const logger = app.dataSource.logger;
  const own = Object.prototype.hasOwnProperty.call(logger, 'logQueryError');
  const original = logger.logQueryError;
  logger.logQueryError = () => undefined;
  try {
    return await work();
  } finally {
    if (own) logger.logQueryError = original;
    else delete (logger as { logQueryError?: unknown }).logQueryError;
  }
}

describe('audit trail', () => {
  let app: TestApp;
  let api: ReturnType<typeof trustApi>;
  let audit: AuditService;
  let tokens: Record<'editor' | 'reviewer' | 'editorJy', string>;
  const EDITOR = { actor: 'ta-editor', actor_role: 'EDITOR', actor_region: '320282000000' };
  const REVIEWER = { actor: 'ta-reviewer', actor_role: 'REVIEWER', actor_region: '320282000000' };
  const ADMIN = { actor: 'test-admin', actor_role: 'ADMIN', actor_region: null };
  const XIZHU12 = `${XIZHU}000`;

  beforeAll(async () => {
    app = await startTestApp();
    api = trustApi(app);
    audit = app.registry.app.get(AuditService);
    tokens = await createUsers(app, { editor: ['EDITOR', YIXING], reviewer: ['REVIEWER', YIXING], editorJy: ['EDITOR', JIANGYIN] }, 'ta');
  });
  afterAll(() => app?.close());

  describe('every data-changing mutation writes its events, in order, naming who did what to which object', () => {
    /** Ids made along the way, for the steps after. */
    const made: Record<string, string> = {};
    interface Step {
      name: string;
      run: () => Promise<GraphQLResponse>;
      keep?: (data: any) => void;
      events: () => Partial<AuditRow>[];
    }
    const version = (key: string, action: string, extra: Partial<AuditRow> = {}) => ({ action, entity_type: 'ListVersion', entity_id: made[key], region_code: XIZHU12, ...extra });
    const steps: Step[] = [
      {
        name: 'createUser',
        run: () => api.createUser(app.adminToken, { username: 'ta-township', role: 'TOWNSHIP', regionCode: XIZHU }),
        keep: (d) => (made.user = d.createUser.id),
        events: () => [{ ...ADMIN, action: 'createUser', entity_type: 'User', entity_id: made.user, region_code: XIZHU12, before: null, after: { username: 'ta-township', role: 'TOWNSHIP', regionCode: XIZHU12 } }],
      },
      {
        name: 'createBody',
        run: () => api.createBody(app.adminToken, '西渚镇人民政府', XIZHU, '人民政府'),
        keep: (d) => (made.body = d.createBody.id),
        events: () => [{ ...ADMIN, action: 'createBody', entity_type: 'Body', entity_id: made.body, region_code: XIZHU12, after: { name: '西渚镇人民政府', kind: '人民政府', regionCode: XIZHU12 } }],
      },
      {
        name: 'renameBody',
        run: () => api.renameBody(app.adminToken, made.body, '宜兴市西渚镇人民政府'),
        events: () => [{ ...ADMIN, action: 'renameBody', entity_type: 'Body', entity_id: made.body, before: { name: '西渚镇人民政府' }, after: { name: '宜兴市西渚镇人民政府' } }],
      },
      {
        name: 'createDraft',
        run: () => api.createDraft(tokens.editor, XIZHU, 'RESPONSIBILITY', '乡镇申请'),
        keep: (d) => (made.v1 = d.createDraft.id),
        events: () => [version('v1', 'createDraft', { ...EDITOR, before: null, after: { number: 1, kind: 'RESPONSIBILITY', status: 'DRAFT', changeReason: '乡镇申请', changeNote: null, basedOnId: null } })],
      },
      {
        name: 'saveItem',
        run: () => api.saveItem(tokens.editor, made.v1, item('RESPONSIBILITY', 'TA-1', YIXING_BODY, { legalBasis: '《农药管理条例》第三十二条第五款' }), 0),
        events: () => [version('v1', 'saveItem', { ...EDITOR, after: expect.objectContaining({ itemCode: 'TA-1', revision: 1, citations: [expect.objectContaining({ resolved: true })] }) })],
      },
      {
        name: 'saveItem (a second item)',
        run: () => api.saveItem(tokens.editor, made.v1, item('RESPONSIBILITY', 'TA-2', YIXING_BODY), 1),
        events: () => [version('v1', 'saveItem', { ...EDITOR, after: expect.objectContaining({ itemCode: 'TA-2', revision: 2 }) })],
      },
      {
        name: 'removeItem',
        run: () => api.removeItem(tokens.editor, made.v1, 'TA-2', 2),
        events: () => [version('v1', 'removeItem', { ...EDITOR, before: { itemCode: 'TA-2' }, after: { revision: 3 } })],
      },
      {
        name: 'submitForReview',
        run: () => api.submit(tokens.editor, made.v1),
        events: () => [version('v1', 'submitForReview', { ...EDITOR, before: expect.objectContaining({ status: 'DRAFT', submittedBy: null }), after: expect.objectContaining({ status: 'IN_REVIEW', submittedBy: 'ta-editor' }) })],
      },
      {
        name: 'rejectVersion',
        run: () => api.reject(tokens.reviewer, made.v1, '请补充配合部门'),
        events: () => [version('v1', 'rejectVersion', { ...REVIEWER, before: expect.objectContaining({ status: 'IN_REVIEW' }), after: expect.objectContaining({ status: 'DRAFT', reviewOpinion: '请补充配合部门' }) })],
      },
      {
        name: 'submitForReview (again)',
        run: () => api.submit(tokens.editor, made.v1),
        events: () => [version('v1', 'submitForReview', EDITOR)],
      },
      {
        name: 'approveVersion',
        run: () => api.approve(tokens.reviewer, made.v1, '同意', '2026-01-01'), // a past date, confirmed by the reviewer
        events: () => [version('v1', 'approveVersion', { ...REVIEWER, after: expect.objectContaining({ status: 'APPROVED', approvedBy: 'ta-reviewer', reviewOpinion: '同意', approvedEffectiveFrom: '2026-01-01' }) })],
      },
      {
        name: 'publishVersion (a first version)',
        run: () => api.publish(tokens.editor, made.v1, '2026-01-01', '宜政发〔2026〕5号'),
        events: () => [version('v1', 'publishVersion', { ...EDITOR, before: expect.objectContaining({ status: 'APPROVED' }), after: expect.objectContaining({ status: 'PUBLISHED', effectiveFrom: '2026-01-01', publishedBy: 'ta-editor' }) })],
      },
      {
        name: 'createDraft (version 2)',
        run: () => api.createDraft(tokens.editor, XIZHU, 'RESPONSIBILITY'),
        keep: (d) => (made.v2 = d.createDraft.id),
        events: () => [version('v2', 'createDraft', { ...EDITOR, after: expect.objectContaining({ number: 2, basedOnId: made.v1 }) })],
      },
      {
        name: 'removeItem (an item in force)',
        run: () => api.removeItem(tokens.editor, made.v2, 'TA-1', 0),
        events: () => [version('v2', 'removeItem', { ...EDITOR, before: { itemCode: 'TA-1' } })],
      },
      {
        name: 'saveItem (version 2)',
        run: () => api.saveItem(tokens.editor, made.v2, item('RESPONSIBILITY', 'TA-3', YIXING_BODY), 1),
        events: () => [version('v2', 'saveItem', EDITOR)],
      },
      { name: 'submitForReview (version 2)', run: () => api.submit(tokens.editor, made.v2), events: () => [version('v2', 'submitForReview', EDITOR)] },
      { name: 'approveVersion (by ADMIN)', run: () => api.approve(app.adminToken, made.v2, '经合法性审查，同意。', '2026-06-01'), events: () => [version('v2', 'approveVersion', ADMIN)] },
      {
        name: 'publishVersion (a successor): the predecessor superseded, then the successor published',
        run: () => api.publish(tokens.editor, made.v2, '2026-06-01', '宜政发〔2026〕6号'),
        events: () => [
          version('v1', 'supersedeVersion', { ...EDITOR, before: { status: 'PUBLISHED', effectiveTo: null }, after: { status: 'SUPERSEDED', effectiveTo: '2026-06-01' } }),
          version('v2', 'publishVersion', { ...EDITOR, after: expect.objectContaining({ status: 'PUBLISHED', effectiveFrom: '2026-06-01' }) }),
        ],
      },
      {
        name: 'saveSynonym (new)',
        run: () => api.saveSynonym(app.adminToken, '测试烧荒', ['秸秆焚烧', '露天焚烧']),
        events: () => [{ ...ADMIN, action: 'saveSynonym', entity_type: 'SearchSynonym', entity_id: '测试烧荒', region_code: null, before: null, after: ['秸秆焚烧', '露天焚烧'] }],
      },
      {
        name: 'saveSynonym (changed)',
        run: () => api.saveSynonym(app.adminToken, '测试烧荒', ['秸秆焚烧']),
        events: () => [{ ...ADMIN, action: 'saveSynonym', entity_id: '测试烧荒', before: ['秸秆焚烧', '露天焚烧'], after: ['秸秆焚烧'] }],
      },
      {
        name: 'removeSynonym',
        run: () => api.removeSynonym(app.adminToken, '测试烧荒'),
        events: () => [{ ...ADMIN, action: 'removeSynonym', entity_type: 'SearchSynonym', entity_id: '测试烧荒', before: ['秸秆焚烧'], after: null }],
      },
    ];

    it.each(steps.map((s) => [s.name, s] as const))('%s', async (_name, step) => {
      const seq = await lastSeq(app);
      const r = await step.run();
      expect(outcome(r)).toBe('ok');
      step.keep?.(r.data);
      const events = await eventsAfter(app, seq);
      const expected = step.events();
      expect(events).toHaveLength(expected.length);
      expect(events).toEqual(expected.map((e) => expect.objectContaining(e)));
      // consecutive, right after what was there
      expect(events.map((e) => e.seq)).toEqual(expected.map((_, i) => seq + 1 + i));
    });

    it('no password (or its hash) is written to the trail', async () => {
      const [row] = await app.dataSource.query(`SELECT before::text AS b, after::text AS a FROM audit_event WHERE action = 'createUser' AND entity_id = $1`, [made.user]);
      expect(`${row.b} ${row.a}`).not.toMatch(/password|argon|\$argon2/i);
    });

    it('logins and reads write nothing', async () => {
      const before = await fingerprint(app);
      await app.login('ta-township', 'ta-township-password-1');
      ok(await api.version(tokens.editor, made.v2, 'id'), 'listVersion');
      ok(await api.auditTrail(tokens.editor, 'ListVersion', made.v1), 'auditTrail');
      ok(await api.synonyms(app.adminToken), 'synonyms');
      expect(await fingerprint(app)).toEqual(before);
    });

    it('auditTrail answers the same events over GraphQL, oldest first, chained', async () => {
      const trail = ok(await api.auditTrail(tokens.reviewer, 'ListVersion', made.v1), 'auditTrail');
      expect(trail.map((e: any) => [e.action, e.actor, e.role])).toEqual([
        ['createDraft', 'ta-editor', 'EDITOR'],
        ['saveItem', 'ta-editor', 'EDITOR'],
        ['saveItem', 'ta-editor', 'EDITOR'],
        ['removeItem', 'ta-editor', 'EDITOR'],
        ['submitForReview', 'ta-editor', 'EDITOR'],
        ['rejectVersion', 'ta-reviewer', 'REVIEWER'],
        ['submitForReview', 'ta-editor', 'EDITOR'],
        ['approveVersion', 'ta-reviewer', 'REVIEWER'],
        ['publishVersion', 'ta-editor', 'EDITOR'],
        ['supersedeVersion', 'ta-editor', 'EDITOR'],
      ]);
      for (const e of trail) expect(e.hash).toMatch(HEX64);
      expect(JSON.parse(trail[8].after)).toMatchObject({ status: 'PUBLISHED', approvalDocNumber: '宜政发〔2026〕5号' });
    });

    it('the chain verifies', async () => {
      expect(await audit.verify()).toMatchObject({ broken: null, headSeq: await lastSeq(app), headHash: expect.stringMatching(HEX64) });
    });
  });

  describe('a failed mutation leaves no event, and changes nothing', () => {
    let draft: string;
    let empty: string;
    let inReview: string;
    let approved: string;
    beforeAll(async () => {
      draft = ok(await api.createDraft(tokens.editor, '320282110', 'RESPONSIBILITY'), 'createDraft').id;
      ok(await api.saveItem(tokens.editor, draft, item('RESPONSIBILITY', 'TF-1', YIXING_BODY)), 'saveItem');
      empty = ok(await api.createDraft(tokens.editor, '320282110', 'POWER'), 'createDraft').id;
      inReview = ok(await api.createDraft(app.adminToken, '320282104', 'RESPONSIBILITY'), 'createDraft').id;
      ok(await api.saveItem(app.adminToken, inReview, item('RESPONSIBILITY', 'TF-2', YIXING_BODY)), 'saveItem');
      ok(await api.submit(app.adminToken, inReview), 'submitForReview');
      // 张渚镇's responsibility list: v2 in force from 2026-07-01, a v3 approved
      approved = ok(await api.createDraft(tokens.editor, '320282100', 'RESPONSIBILITY'), 'createDraft').id;
      ok(await api.saveItem(tokens.editor, approved, item('RESPONSIBILITY', 'TF-3', YIXING_BODY)), 'saveItem');
      ok(await api.submit(tokens.editor, approved), 'submitForReview');
      ok(await api.approve(tokens.reviewer, approved, '经合法性审查，同意。', '2026-12-01'), 'approveVersion');
    });

    const cases: [string, string, () => Promise<GraphQLResponse>][] = [
      ['saveItem naming an unknown body', 'BAD_USER_INPUT', () => api.saveItem(tokens.editor, draft, item('RESPONSIBILITY', 'TF-9', '不存在的部门'))],
      ['removeItem of an item the draft does not have (after a statement ran)', 'BAD_USER_INPUT', () => api.removeItem(tokens.editor, draft, 'TF-404')],
      ['createBody of an unknown kind', 'BAD_USER_INPUT', () => api.createBody(app.adminToken, '某某中心', XIZHU, '不存在的类型')],
      ['createBody with a name taken in the county', 'BAD_USER_INPUT', () => api.createBody(app.adminToken, '宜兴市农业农村局', YIXING)],
      ['createUser with a short password', 'BAD_USER_INPUT', () => api.createUser(app.adminToken, { username: 'ta-short', role: 'EDITOR', regionCode: YIXING, password: 'short' })],
      ['rejectVersion without an opinion', 'BAD_USER_INPUT', () => api.reject(tokens.reviewer, inReview, '  ')],
      ['publishVersion on an impossible date', 'BAD_USER_INPUT', () => api.publish(tokens.editor, approved, '2026-02-30')],
      ['saveSynonym of a malformed term', 'BAD_USER_INPUT', () => api.saveSynonym(app.adminToken, '两个 词', ['测试'])],
      ['removeSynonym of an unknown term', 'NOT_FOUND', () => api.removeSynonym(app.adminToken, '从未有过')],
      ['saveItem outside the region', 'FORBIDDEN', () => api.saveItem(tokens.editorJy, draft, item('RESPONSIBILITY', 'TF-9', YIXING_BODY))],
      ['createBody by an EDITOR', 'FORBIDDEN', () => api.createBody(tokens.editor, '某某中心', XIZHU)],
      ['approveVersion by whoever submitted it (ADMIN)', 'FORBIDDEN', () => api.approve(app.adminToken, inReview)],
      ['saveItem with a stale expectedRevision', 'VERSION_CONFLICT', () => api.saveItem(tokens.editor, draft, item('RESPONSIBILITY', 'TF-9', YIXING_BODY), 0)],
      ['removeItem with a stale expectedRevision', 'VERSION_CONFLICT', () => api.removeItem(tokens.editor, draft, 'TF-1', 0)],
      ['submitForReview of an empty draft', 'CONFLICT', () => api.submit(tokens.editor, empty)],
      ['createDraft while the list has an open version', 'CONFLICT', () => api.createDraft(tokens.editor, '320282110', 'RESPONSIBILITY')],
      ['approveVersion of a draft', 'CONFLICT', () => api.approve(tokens.reviewer, draft)],
      ['publishVersion effective before the version in force', 'CONFLICT', () => api.publish(tokens.editor, approved, '2026-03-01')],
    ];

    it.each(cases)('%s → %s', async (_name, code, call) => {
      const before = await fingerprint(app);
      const r = await call();
      expect(outcome(r)).toBe(code);
      expect(await fingerprint(app)).toEqual(before);
    });

    it('an audit write that fails takes its change down with it: publishing a successor writes two events, the second fails, nothing remains', async () => {
      // a test-only trigger that refuses the publishVersion event, after the supersedeVersion event and the row changes were written
      await app.dataSource.query(`CREATE FUNCTION ta_refuse_publish_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.action = 'publishVersion' THEN RAISE EXCEPTION 'test: the audit write fails' USING ERRCODE = 'QZ001'; END IF;
          RETURN NEW;
        END $$`);
      await app.dataSource.query('CREATE TRIGGER ta_refuse_publish_event BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION ta_refuse_publish_event()');
      try {
        const before = await fingerprint(app);
        const r = await quietly(app, () => api.publish(tokens.editor, approved, '2026-12-01'));
        expect(outcome(r)).toBe('INTERNAL_SERVER_ERROR');
        expect(await fingerprint(app)).toEqual(before);
        const rows = await app.dataSource.query(
          `SELECT number, status, effective_to FROM list_version WHERE region_code = '320282100000' AND kind = 'RESPONSIBILITY' ORDER BY number`);
        expect(rows).toEqual([
          { number: 1, status: 'SUPERSEDED', effective_to: '2026-07-01' },
          { number: 2, status: 'PUBLISHED', effective_to: null },
          { number: 3, status: 'APPROVED', effective_to: null },
        ]);
      } finally {
        await app.dataSource.query('DROP TRIGGER ta_refuse_publish_event ON audit_event');
        await app.dataSource.query('DROP FUNCTION ta_refuse_publish_event()');
      }
      // and without the trigger the same call goes through, with both events
      const seq = await lastSeq(app);
      ok(await api.publish(tokens.editor, approved, '2026-12-01'), 'publishVersion');
      expect((await eventsAfter(app, seq)).map((e) => e.action)).toEqual(['supersedeVersion', 'publishVersion']);
    });
  });

  describe('the database refuses to change the trail', () => {
    it.each([
      ['UPDATE of one row', 'UPDATE audit_event SET actor = $1 WHERE seq = (SELECT max(seq) FROM audit_event)', ['someone-else'], 'UPDATE'],
      ['UPDATE of every row', 'UPDATE audit_event SET after = NULL', [], 'UPDATE'],
      ['DELETE of one row', 'DELETE FROM audit_event WHERE seq = (SELECT max(seq) FROM audit_event)', [], 'DELETE'],
      ['DELETE of every row', 'DELETE FROM audit_event', [], 'DELETE'],
      ['TRUNCATE', 'TRUNCATE audit_event', [], 'TRUNCATE'],
    ])('%s', async (_name, sql, params, op) => {
      const before = await fingerprint(app);
      const refusal = await sqlRefusal(app, sql, params);
      expect(refusal.code).toBe('P0001');
      expect(refusal.message).toContain(`the audit trail is append-only (${op} refused)`);
      expect(await fingerprint(app)).toEqual(before);
    });

    it('even for the superuser the tests connect as; the chain still verifies', async () => {
      const [{ rolsuper }] = await app.dataSource.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      expect(rolsuper).toBe(true);
      expect((await audit.verify()).broken).toBeNull();
    });
  });

  describe('tampering behind the database\'s back is named by the verifier (in this order: each break lies before the last)', () => {
    let head: number;
    let publishedHash: string;
    let build: ReturnType<typeof buildCli> | undefined;
    /** Runs SQL with the append-only triggers off, as someone with the rights to do so could. */
    async function tamper(...statements: [string, unknown[]][]) {
      await app.dataSource.transaction(async (em) => {
        await em.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
        for (const [sql, params] of statements) await em.query(sql, params);
        await em.query('ALTER TABLE audit_event ENABLE TRIGGER USER');
      });
    }
    const hashAt = async (seq: number) => (await app.dataSource.query('SELECT hash FROM audit_event WHERE seq = $1', [seq]))[0].hash as string;

    beforeAll(async () => {
      head = await lastSeq(app);
      expect(head).toBeGreaterThan(20);
      if (onServer) build = buildCli(); // the CLI runs on the server only: the embedded test database lives in this process's memory
    });
    afterAll(() => build?.remove());

    it('intact: every event verifies, and the head hash is what one publishes', async () => {
      const result = await audit.verify();
      expect(result).toEqual({ events: head, headSeq: head, headHash: await hashAt(head), broken: null });
      publishedHash = result.headHash!;
    });

    (onServer ? it : it.skip)('intact, through the CLI: exit 0, the number of events and the 64-hex head hash', async () => {
      const { code, stdout, stderr } = await cliVerify(build!.cli, app.db.url);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toContain(`audit chain intact: ${head} events`);
      const [, seq, hash] = /head seq (\d+) hash (\S+)/.exec(stdout) ?? [];
      expect([Number(seq), hash]).toEqual([head, publishedHash]);
      expect(hash).toMatch(HEX64);
    });

    it('the newest event deleted: the chain is still whole, only the published head hash shows what is missing', async () => {
      await tamper(['DELETE FROM audit_event WHERE seq = $1', [head]]);
      const result = await audit.verify();
      expect(result).toMatchObject({ broken: null, headSeq: head - 1 });
      expect(result.headHash).not.toBe(publishedHash);
      expect(result.headHash).toBe(await hashAt(head - 1));
    });

    it('two events reordered (their seq swapped): the first of them does not follow its predecessor', async () => {
      const [a, b] = [head - 3, head - 2];
      await tamper(
        ['UPDATE audit_event SET seq = -1 WHERE seq = $1', [a]],
        ['UPDATE audit_event SET seq = $1 WHERE seq = $2', [a, b]],
        ['UPDATE audit_event SET seq = $1 WHERE seq = -1', [b]],
      );
      expect(await audit.verify()).toMatchObject({ broken: { seq: a, problem: 'PREVIOUS_HASH_MISMATCH' }, headSeq: a - 1, headHash: await hashAt(a - 1) });
    });

    it('an event deleted: its seq is reported missing', async () => {
      const gone = head - 6;
      await tamper(['DELETE FROM audit_event WHERE seq = $1', [gone]]);
      expect(await audit.verify()).toMatchObject({ broken: { seq: gone, problem: 'MISSING' }, headSeq: gone - 1 });
    });

    it('an event edited (who did it rewritten): its content no longer matches its hash', async () => {
      const edited = head - 9;
      await tamper(['UPDATE audit_event SET actor = $2 WHERE seq = $1', [edited, 'someone-else']]);
      expect(await audit.verify()).toMatchObject({ broken: { seq: edited, problem: 'HASH_MISMATCH' }, headSeq: edited - 1 });
    });

    it('an event edited and its hash recomputed: the next event no longer follows it', async () => {
      const edited = head - 12;
      const [row] = await app.dataSource.query('SELECT * FROM audit_event WHERE seq = $1', [edited]);
      const forged = {
        seq: Number(row.seq), at: row.at.toISOString(), actor: 'someone-else', actorRole: row.actor_role, actorRegion: row.actor_region,
        action: row.action, entityType: row.entity_type, entityId: row.entity_id, regionCode: row.region_code,
        before: row.before, after: row.after, prevHash: row.prev_hash,
      };
      await tamper(['UPDATE audit_event SET actor = $2, hash = $3 WHERE seq = $1', [edited, forged.actor, eventHash(forged)]]);
      expect(await audit.verify()).toMatchObject({ broken: { seq: edited + 1, problem: 'PREVIOUS_HASH_MISMATCH' }, headSeq: edited });
    });

    (onServer ? it : it.skip)('broken, through the CLI: exit 1, naming the seq and what is wrong with it', async () => {
      const { code, stdout, stderr } = await cliVerify(build!.cli, app.db.url);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain(`audit chain BROKEN at seq ${head - 11}: it does not follow the event before it (reordered or replaced)`);
      expect(stderr).toContain(`the ${head - 12} events before it verify, ending in hash ${await hashAt(head - 12)}`);
    });

    it('the trail is still append-only after the tampering (the triggers are back on)', async () => {
      expect((await sqlRefusal(app, 'DELETE FROM audit_event WHERE seq = 1')).code).toBe('P0001');
    });
  });
});
