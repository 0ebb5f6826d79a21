// Region-scoped roles: the permission matrix of docs/permissions.md, cell by cell. Every
// admin operation called by every role, inside and outside its region, expecting success or the
// exact code, and every refused call shown to change nothing (a fingerprint of every table a
// mutation may touch, audit trail included). Then who reads what: drafts per role and region,
// through nested fields too, and the audit trail per role and region.
import { addDays, todayInChina } from '../setup/lists-api.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';
import { TEST_ADMIN } from '../setup/test-database.js';
import {
  createUsers,
  eventsAfter,
  fingerprint,
  item,
  JIANGYIN,
  JIANGYIN_BODY,
  lastSeq,
  ok,
  outcome,
  revisionOf,
  trustApi,
  usernameOf,
  XIZHU,
  YIXING,
  YIXING_BODY,
  ZHANGZHU,
  type Kind,
} from '../setup/trust.js';

const USERS = {
  editorYx: ['EDITOR', YIXING],
  editorJy: ['EDITOR', JIANGYIN],
  reviewerYx: ['REVIEWER', YIXING],
  reviewerJy: ['REVIEWER', JIANGYIN],
  townshipZz: ['TOWNSHIP', ZHANGZHU],
  townshipXz: ['TOWNSHIP', XIZHU],
  departmentYx: ['DEPARTMENT', YIXING],
} satisfies Record<string, [string, string]>;
type Named = keyof typeof USERS;
type UserKey = 'admin' | Named | 'anonymous';
const COLUMNS: UserKey[] = ['admin', 'editorYx', 'editorJy', 'reviewerYx', 'reviewerJy', 'townshipZz', 'townshipXz', 'departmentYx', 'anonymous'];
const PREFIX = 'tp';
const usernameOfKey = (u: UserKey) => (u === 'admin' ? TEST_ADMIN.username : usernameOf(PREFIX, u));
const roleOf = (u: UserKey) => (u === 'admin' ? 'ADMIN' : u === 'anonymous' ? null : USERS[u][0]);

type Op =
  | 'createDraft' | 'saveItem' | 'removeItem' | 'submitForReview' | 'approveVersion' | 'rejectVersion' | 'publishVersion'
  | 'createBody' | 'renameBody' | 'createUser' | 'updateUser' | 'disableUser' | 'enableUser' | 'resetPassword' | 'saveSynonym' | 'removeSynonym' | 'synonyms';
type Expected = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED';
const [o, F, U] = ['ok', 'FORBIDDEN', 'UNAUTHENTICATED'] as const;

/**
 * The matrix on targets in 宜兴市 (320282): list operations on versions of 张渚镇 (320282100) for
 * drafting, of 西渚镇 (320282101) for review and publication, so that each TOWNSHIP user is once
 * inside and once outside. Columns as in COLUMNS.
 */
// prettier-ignore
const YIXING_MATRIX: Record<Op, Expected[]> = {
  //                 admin editorYx editorJy reviewerYx reviewerJy townshipZz townshipXz departmentYx anonymous
  createDraft:     [o,    o,       F,       F,         F,         F,         F,         F,           U],
  saveItem:        [o,    o,       F,       F,         F,         F,         F,         F,           U],
  removeItem:      [o,    o,       F,       F,         F,         F,         F,         F,           U],
  submitForReview: [o,    o,       F,       F,         F,         F,         F,         F,           U],
  approveVersion:  [o,    F,       F,       o,         F,         F,         F,         F,           U],
  rejectVersion:   [o,    F,       F,       o,         F,         F,         F,         F,           U],
  publishVersion:  [o,    o,       F,       F,         F,         F,         F,         F,           U],
  createBody:      [o,    F,       F,       F,         F,         F,         F,         F,           U],
  renameBody:      [o,    F,       F,       F,         F,         F,         F,         F,           U],
  createUser:      [o,    F,       F,       F,         F,         F,         F,         F,           U],
  updateUser:      [o,    F,       F,       F,         F,         F,         F,         F,           U],
  disableUser:     [o,    F,       F,       F,         F,         F,         F,         F,           U],
  enableUser:      [o,    F,       F,       F,         F,         F,         F,         F,           U],
  resetPassword:   [o,    F,       F,       F,         F,         F,         F,         F,           U],
  saveSynonym:     [o,    F,       F,       F,         F,         F,         F,         F,           U],
  removeSynonym:   [o,    F,       F,       F,         F,         F,         F,         F,           U],
  synonyms:        [o,    F,       F,       F,         F,         F,         F,         F,           U],
};

/** On targets in 江阴市 (320281): its own EDITOR and REVIEWER act there, 宜兴's do not. */
const JIANGYIN_CELLS: [Op, UserKey, Expected][] = [
  ['createDraft', 'editorJy', o], ['createDraft', 'editorYx', F],
  ['saveItem', 'editorJy', o], ['saveItem', 'editorYx', F],
  ['removeItem', 'editorJy', o], ['removeItem', 'editorYx', F],
  ['submitForReview', 'editorJy', o], ['submitForReview', 'editorYx', F],
  ['approveVersion', 'reviewerJy', o], ['approveVersion', 'reviewerYx', F], ['approveVersion', 'editorJy', F],
  ['rejectVersion', 'reviewerJy', o], ['rejectVersion', 'reviewerYx', F], ['rejectVersion', 'editorJy', F],
  ['publishVersion', 'editorJy', o], ['publishVersion', 'editorYx', F], ['publishVersion', 'reviewerJy', F],
  ['createBody', 'editorJy', F],
];

type Where = 'yx' | 'jy';
type State = 'list' | 'draft' | 'review' | 'approved';
interface Target {
  region: string;
  kind: Kind;
  countyBody: string;
  versionId?: string;
  itemCode?: string;
  bodyId?: string;
  userId?: string;
  term?: string;
  label: string;
}

const STATE_OF: Partial<Record<Op, State>> = {
  createDraft: 'list', saveItem: 'draft', removeItem: 'draft', submitForReview: 'draft',
  approveVersion: 'review', rejectVersion: 'review', publishVersion: 'approved',
};

// Townships (镇) whose lists the successful calls use up, one fresh list each.
const FRESH_TOWNS: Record<Where, string[]> = {
  yx: ['001', '103', '104', '105', '106', '107', '108', '109', '110', '004', '113'].map((t) => `${YIXING}${t}`),
  jy: ['107', '108', '109', '110', '111', '112'].map((t) => `${JIANGYIN}${t}`),
};

describe('permission matrix', () => {
  let app: TestApp;
  let api: ReturnType<typeof trustApi>;
  const token = {} as Record<UserKey, string | null>;
  let serial = 0;
  const pool: Record<Where, { region: string; kind: Kind }[]> = {
    yx: FRESH_TOWNS.yx.flatMap((region) => (['RESPONSIBILITY', 'POWER'] as const).map((kind) => ({ region, kind }))),
    jy: FRESH_TOWNS.jy.flatMap((region) => (['RESPONSIBILITY', 'POWER'] as const).map((kind) => ({ region, kind }))),
  };
  /** The shared targets of refused calls (never changed, which is the point). */
  const refusalTarget = {} as Record<Where, Partial<Record<Op, Target>>>;
  /** Demo 张渚镇 RESPONSIBILITY v2, in force. */
  let publishedZ: { id: string };
  let draftZ: Target;
  let reviewX: Target;
  let approvedX: Target;
  let draftJ: Target;

  /**
   * A version of `kind` in `region` brought to `state` by neutral hands (ADMIN drafts, the region's
   * editor writes the item and submits, its reviewer approves): the ADMIN wrote nothing, so four
   * eyes let it approve.
   */
  async function versionAt(where: Where, region: string, kind: Kind, state: State, label: string, extra: Record<string, unknown> = {}): Promise<Target> {
    const countyBody = where === 'yx' ? YIXING_BODY : JIANGYIN_BODY;
    const t: Target = { region, kind, countyBody, label };
    if (state === 'list') return t;
    t.versionId = ok(await api.createDraft(token.admin, region, kind), 'createDraft').id;
    t.itemCode = `TP-${++serial}`;
    ok(await api.saveItem(where === 'yx' ? token.editorYx : token.editorJy, t.versionId!, item(kind, t.itemCode, countyBody, extra)), 'saveItem');
    if (state === 'draft') return t;
    ok(await api.submit(where === 'yx' ? token.editorYx : token.editorJy, t.versionId!), 'submitForReview');
    if (state === 'review') return t;
    ok(await api.approve(where === 'yx' ? token.reviewerYx : token.reviewerJy, t.versionId!, '经审查，同意发布。'), 'approveVersion');
    return t;
  }

  async function freshTarget(op: Op, where: Where): Promise<Target> {
    const state = STATE_OF[op];
    if (state) {
      const list = pool[where].shift();
      if (!list) throw new Error(`no fresh ${where} list left for ${op}`);
      return versionAt(where, list.region, list.kind, state, 'a fresh one');
    }
    const region = where === 'yx' ? ZHANGZHU : JIANGYIN;
    const t: Target = { region, kind: 'RESPONSIBILITY', countyBody: '', label: 'a fresh one' };
    if (op === 'renameBody') t.bodyId = ok(await api.createBody(token.admin, `测试主体${++serial}`, region, '派出机构'), 'createBody').id;
    if (['updateUser', 'disableUser', 'enableUser', 'resetPassword'].includes(op)) t.userId = await managedUser(op === 'enableUser');
    if (op === 'removeSynonym') {
      t.term = `测试词${++serial}`;
      ok(await api.saveSynonym(token.admin, t.term, ['测试']), 'saveSynonym');
    }
    return t;
  }

  /** A TOWNSHIP user of 张渚镇 for the account operations (disabled, for enableUser). */
  async function managedUser(disabled: boolean): Promise<string> {
    const id = ok(await api.createUser(token.admin, { username: `tp-managed-${++serial}`, role: 'TOWNSHIP', regionCode: ZHANGZHU }), 'createUser').id;
    if (disabled) ok(await api.disableUser(token.admin, id), 'disableUser');
    return id;
  }

  /** Each operation, called as `who` on `t`, with arguments that would succeed if the caller were allowed. */
  const CALL: Record<Op, (who: string | null, t: Target) => Promise<GraphQLResponse>> = {
    createDraft: (who, t) => api.createDraft(who, t.region, t.kind),
    saveItem: async (who, t) => api.saveItem(who, t.versionId!, item(t.kind, `TP-${++serial}`, t.countyBody), await revisionOf(app, t.versionId!)),
    removeItem: async (who, t) => api.removeItem(who, t.versionId!, t.itemCode!, await revisionOf(app, t.versionId!)),
    submitForReview: (who, t) => api.submit(who, t.versionId!),
    approveVersion: (who, t) => api.approve(who, t.versionId!),
    rejectVersion: (who, t) => api.reject(who, t.versionId!),
    publishVersion: (who, t) => api.publish(who, t.versionId!, addDays(todayInChina(), 30 + ++serial)),
    createBody: (who, t) => api.createBody(who, `测试主体${++serial}`, t.region),
    renameBody: (who, t) => api.renameBody(who, t.bodyId!, `测试改名${++serial}`),
    createUser: (who, t) => api.createUser(who, { username: `tp-new-${++serial}`, role: 'TOWNSHIP', regionCode: t.region }),
    updateUser: (who, t) => api.updateUser(who, t.userId!, 'REVIEWER', YIXING),
    disableUser: (who, t) => api.disableUser(who, t.userId!),
    enableUser: (who, t) => api.enableUser(who, t.userId!),
    resetPassword: (who, t) => api.resetPassword(who, t.userId!, 'A-reset-password-1'),
    saveSynonym: (who) => api.saveSynonym(who, `测试词${++serial}`, ['测试']),
    removeSynonym: (who, t) => api.removeSynonym(who, t.term!),
    synonyms: (who) => api.synonyms(who),
  };

  /** What success looks like, beyond "no error". */
  const SUCCEEDED: Record<Op, (r: GraphQLResponse, t: Target, who: UserKey) => void> = {
    createDraft: (r, t) => expect(r.data.createDraft).toMatchObject({ status: 'DRAFT', kind: t.kind, region: { code: t.region.padEnd(12, '0') } }),
    saveItem: (r) => expect(r.data.saveItem.itemCode).toMatch(/^TP-/),
    removeItem: (r) => expect(r.data.removeItem).toBe(true),
    submitForReview: (r, _t, who) => expect(r.data.submitForReview).toMatchObject({ status: 'IN_REVIEW', submittedBy: usernameOfKey(who) }),
    approveVersion: (r, _t, who) => expect(r.data.approveVersion).toMatchObject({ status: 'APPROVED', approvedBy: usernameOfKey(who) }),
    rejectVersion: (r) => expect(r.data.rejectVersion).toMatchObject({ status: 'DRAFT', submittedBy: null, reviewOpinion: '请补充法律依据后重新提交' }),
    publishVersion: (r, _t, who) => expect(r.data.publishVersion).toMatchObject({ status: 'PUBLISHED', publishedBy: usernameOfKey(who) }),
    createBody: (r) => expect(r.data.createBody.name).toMatch(/^测试主体/),
    renameBody: (r, t) => expect(r.data.renameBody).toMatchObject({ id: t.bodyId, name: expect.stringMatching(/^测试改名/) }),
    createUser: (r) => expect(r.data.createUser).toMatchObject({ role: 'TOWNSHIP', username: expect.stringMatching(/^tp-new-/) }),
    updateUser: (r, t) => expect(r.data.updateUser).toMatchObject({ id: t.userId, role: 'REVIEWER', regionCode: `${YIXING}000000` }),
    disableUser: (r, t) => expect(r.data.disableUser).toEqual({ id: t.userId, disabled: true }),
    enableUser: (r, t) => expect(r.data.enableUser).toEqual({ id: t.userId, disabled: false }),
    resetPassword: (r, t) => expect(r.data.resetPassword).toEqual({ id: t.userId }),
    saveSynonym: (r) => expect(r.data.saveSynonym.expansions).toEqual(['测试']),
    removeSynonym: (r) => expect(r.data.removeSynonym).toBe(true),
    synonyms: (r) => expect(Array.isArray(r.data.synonyms)).toBe(true),
  };

  beforeAll(async () => {
    app = await startTestApp();
    api = trustApi(app);
    token.admin = app.adminToken;
    token.anonymous = null;
    Object.assign(token, await createUsers(app, USERS, PREFIX));
    ok(await api.createBody(token.admin, JIANGYIN_BODY, JIANGYIN), 'createBody');
    [publishedZ] = await app.dataSource.query(
      `SELECT id FROM list_version WHERE region_code = $1 AND kind = 'RESPONSIBILITY' AND number = 2`, [ZHANGZHU.padEnd(12, '0')]);

    // Drafting is tried on 张渚镇, review and publication on 西渚镇, and the same in 江阴市.
    draftZ = await versionAt('yx', ZHANGZHU, 'RESPONSIBILITY', 'draft', "张渚镇's draft", { keywords: ['违建'], name: '草稿里的违建巡查' });
    reviewX = await versionAt('yx', XIZHU, 'RESPONSIBILITY', 'review', "西渚镇's version in review");
    approvedX = await versionAt('yx', XIZHU, 'POWER', 'approved', "西渚镇's approved version");
    draftJ = await versionAt('jy', `${JIANGYIN}100`, 'RESPONSIBILITY', 'draft', "璜土镇's draft");
    const reviewJ = await versionAt('jy', `${JIANGYIN}102`, 'RESPONSIBILITY', 'review', "月城镇's version in review");
    const approvedJ = await versionAt('jy', `${JIANGYIN}103`, 'RESPONSIBILITY', 'approved', "青阳镇's approved version");
    const [{ id: bodyZ }] = await app.dataSource.query(`SELECT id FROM body WHERE name = '张渚镇人民政府'`);
    ok(await api.saveSynonym(token.admin, '测试保留词', ['测试']), 'saveSynonym');
    const other = (region: string, label: string): Target => ({ region, kind: 'RESPONSIBILITY', countyBody: '', label, bodyId: bodyZ, term: '测试保留词' });
    refusalTarget.yx = {
      createDraft: await versionAt('yx', ZHANGZHU, 'POWER', 'list', "张渚镇's POWER list (no open version)"),
      saveItem: draftZ, removeItem: draftZ, submitForReview: draftZ,
      approveVersion: reviewX, rejectVersion: reviewX,
      publishVersion: approvedX,
      createBody: other(ZHANGZHU, 'a body in 张渚镇'),
      renameBody: other(ZHANGZHU, '张渚镇人民政府'),
      createUser: other(ZHANGZHU, 'a user of 张渚镇'),
      updateUser: { ...other(ZHANGZHU, 'a user of 张渚镇'), userId: await managedUser(false) },
      disableUser: { ...other(ZHANGZHU, 'a user of 张渚镇'), userId: await managedUser(false) },
      enableUser: { ...other(ZHANGZHU, 'a disabled user of 张渚镇'), userId: await managedUser(true) },
      resetPassword: { ...other(ZHANGZHU, 'a user of 张渚镇'), userId: await managedUser(false) },
      saveSynonym: other(ZHANGZHU, 'a new term'),
      removeSynonym: other(ZHANGZHU, 'an existing term'),
      synonyms: other(ZHANGZHU, 'the synonym table'),
    };
    refusalTarget.jy = {
      createDraft: await versionAt('jy', `${JIANGYIN}104`, 'RESPONSIBILITY', 'list', "徐霞客镇's list (no open version)"),
      saveItem: draftJ, removeItem: draftJ, submitForReview: draftJ,
      approveVersion: reviewJ, rejectVersion: reviewJ,
      publishVersion: approvedJ,
      createBody: other(JIANGYIN, 'a body in 江阴市'),
    };
  });
  afterAll(() => app?.close());

  async function runCell(op: Op, who: UserKey, where: Where, expected: Expected) {
    const t = expected === 'ok' ? await freshTarget(op, where) : refusalTarget[where][op]!;
    const before = await fingerprint(app);
    const seq = await lastSeq(app);
    const r = await CALL[op](token[who], t);
    expect([op, who, outcome(r)]).toEqual([op, who, expected]);
    if (expected === 'ok') {
      SUCCEEDED[op](r, t, who);
      const events = await eventsAfter(app, seq);
      if (op === 'synonyms') expect(events).toEqual([]);
      else {
        expect(events.length).toBeGreaterThanOrEqual(1);
        for (const e of events) expect(e).toMatchObject({ actor: usernameOfKey(who), actor_role: roleOf(who) });
      }
    } else {
      expect(r.data?.[op] ?? null).toBeNull();
      expect(await fingerprint(app)).toEqual(before); // nothing written anywhere, no audit event
    }
  }

  describe('on targets in 宜兴市 (张渚镇 drafting, 西渚镇 review and publication)', () => {
    const cells = Object.entries(YIXING_MATRIX).flatMap(([op, row]) => row.map((expected, i) => [op as Op, COLUMNS[i], expected] as const));
    it.each(cells)('%s by %s → %s', async (op, who, expected) => {
      await runCell(op, who, 'yx', expected);
    });
  });

  describe('on targets in 江阴市', () => {
    it.each(JIANGYIN_CELLS)('%s by %s → %s', async (op, who, expected) => {
      await runCell(op, who, 'jy', expected);
    });
  });

  describe('refusals reveal nothing', () => {
    const UNKNOWN = '00000000-0000-4000-8000-000000000000';
    it.each([
      ['saveItem', (who: string | null, id: string) => api.saveItem(who, id, item('RESPONSIBILITY', 'TP-X', YIXING_BODY))],
      ['removeItem', (who: string | null, id: string) => api.removeItem(who, id, 'TP-X')],
      ['submitForReview', (who: string | null, id: string) => api.submit(who, id)],
      ['approveVersion', (who: string | null, id: string) => api.approve(who, id)],
      ['rejectVersion', (who: string | null, id: string) => api.reject(who, id)],
      ['publishVersion', (who: string | null, id: string) => api.publish(who, id, '2030-01-01')],
    ] as const)('%s: an existing version outside the region, an unknown id and a malformed one get the same FORBIDDEN', async (op, call) => {
      const who = ['approveVersion', 'rejectVersion'].includes(op) ? token.reviewerJy : token.editorJy;
      const existing = ({ saveItem: draftZ, removeItem: draftZ, submitForReview: draftZ, approveVersion: reviewX, rejectVersion: reviewX, publishVersion: approvedX } as const)[op];
      const before = await fingerprint(app);
      const answers = await Promise.all([existing.versionId!, UNKNOWN, 'not-a-uuid'].map((id) => call(who, id)));
      expect(answers.map((r) => [outcome(r), r.errors?.[0].message])).toEqual(Array(3).fill(['FORBIDDEN', answers[0].errors?.[0].message]));
      expect(await fingerprint(app)).toEqual(before);
      // ADMIN, who may act everywhere, is told that an unknown id does not exist
      expect(outcome(await call(token.admin, UNKNOWN))).toBe('NOT_FOUND');
    });

    it('createDraft outside the region is FORBIDDEN; a region that is not a township is BAD_USER_INPUT for everyone (regions are public)', async () => {
      const before = await fingerprint(app);
      expect(outcome(await api.createDraft(token.editorJy, ZHANGZHU, 'RESPONSIBILITY'))).toBe('FORBIDDEN');
      expect(outcome(await api.createDraft(token.editorYx, `${JIANGYIN}104`, 'RESPONSIBILITY'))).toBe('FORBIDDEN');
      expect(outcome(await api.createDraft(token.editorJy, YIXING, 'RESPONSIBILITY'))).toBe('BAD_USER_INPUT');
      expect(await fingerprint(app)).toEqual(before);
    });
  });

  describe('four eyes', () => {
    it('whoever submitted a version may not approve or reject it, ADMIN included; another reviewer may', async () => {
      const list = pool.yx.shift()!;
      const t = await versionAt('yx', list.region, list.kind, 'draft', 'four eyes');
      ok(await api.submit(token.admin, t.versionId!), 'submitForReview');
      const before = await fingerprint(app);
      for (const r of [await api.approve(token.admin, t.versionId!), await api.reject(token.admin, t.versionId!)]) {
        expect(outcome(r)).toBe('FORBIDDEN');
        expect(r.errors![0].message).toContain('不能审核自己提交的版本');
      }
      expect(await fingerprint(app)).toEqual(before);
      expect(ok(await api.approve(token.reviewerYx, t.versionId!, '同意。'), 'approveVersion')).toMatchObject({ status: 'APPROVED', submittedBy: TEST_ADMIN.username, approvedBy: 'tp-reviewer-yx' });
    });
  });

  describe('published versions show who signed them, on both endpoints', () => {
    const SIGNED = 'id status submittedBy approvedBy reviewOpinion publishedBy';
    it('a version taken through review by the region\'s editor and reviewer', async () => {
      const list = pool.yx.shift()!;
      const t = await versionAt('yx', list.region, list.kind, 'approved', 'signed');
      ok(await api.publish(token.editorYx, t.versionId!, addDays(todayInChina(), 1), '宜政发〔2026〕77号'), 'publishVersion');
      const expected = { id: t.versionId, status: 'PUBLISHED', submittedBy: 'tp-editor-yx', approvedBy: 'tp-reviewer-yx', reviewOpinion: '经审查，同意发布。', publishedBy: 'tp-editor-yx' };
      for (const who of ['public', token.departmentYx, token.townshipXz, token.editorJy] as const) {
        expect(ok(await api.version(who, t.versionId!, SIGNED), 'listVersion')).toEqual(expected);
      }
    });

    it('the demo versions, in history and in force', async () => {
      const q = `query($r:String!){ listVersions(regionCode:$r, kind:RESPONSIBILITY){ number ${SIGNED} } listVersionInForce(regionCode:$r, kind:RESPONSIBILITY){ number publishedBy } }`;
      for (const who of ['public', token.departmentYx] as const) {
        const r = await api.read(who, q, { r: ZHANGZHU });
        const published = ok(r, 'listVersions').filter((v: any) => v.number <= 2);
        expect(published.map((v: any) => [v.number, v.submittedBy, v.approvedBy, v.reviewOpinion, v.publishedBy])).toEqual([
          [2, 'demo-editor', 'demo-reviewer', '经合法性审查，同意。', 'demo-editor'],
          [1, 'demo-editor', 'demo-reviewer', '经合法性审查，同意。', 'demo-editor'],
        ]);
        expect(r.data.listVersionInForce).toEqual({ number: 2, publishedBy: 'demo-editor' });
      }
    });
  });

  describe('who reads unpublished versions', () => {
    type Reader = Exclude<UserKey, 'anonymous'> | 'public';
    const READERS: Reader[] = ['admin', 'editorYx', 'editorJy', 'reviewerYx', 'reviewerJy', 'townshipZz', 'townshipXz', 'departmentYx', 'public'];
    /** Which of 张渚镇's draft, 西渚镇's version in review and 璜土镇's (江阴) draft each reader sees. */
    const SEES: Record<Reader, ('draftZ' | 'reviewX' | 'draftJ')[]> = {
      admin: ['draftZ', 'reviewX', 'draftJ'],
      editorYx: ['draftZ', 'reviewX'],
      reviewerYx: ['draftZ', 'reviewX'],
      editorJy: ['draftJ'],
      reviewerJy: ['draftJ'],
      townshipZz: ['draftZ'],
      townshipXz: ['reviewX'],
      departmentYx: [],
      public: [],
    };
    const tokenOf = (r: Reader) => (r === 'public' ? 'public' : token[r]);
    const cells = READERS.flatMap((reader) => (['draftZ', 'reviewX', 'draftJ'] as const).map((v) => [reader, v, SEES[reader].includes(v)] as const));
    const fixture = (v: 'draftZ' | 'reviewX' | 'draftJ') => ({ draftZ, reviewX, draftJ })[v];

    it.each(cells)('%s reading %s: visible %s (listVersion, listVersions, versionDiff, items, basedOn)', async (reader, v, visible) => {
      const t = fixture(v);
      const who = tokenOf(reader);
      const byId = ok(await api.version(who, t.versionId!, 'id status basedOn { id status } items { totalCount edges { node { itemCode } } }'), 'listVersion');
      const history = ok(await api.read(who, `query($r:String!,$k:ListKind!){ listVersions(regionCode:$r, kind:$k){ id status } }`, { r: t.region, k: t.kind }), 'listVersions');
      // a diff from the version in force (or, without one, from itself) reaches the version as well
      const from = v === 'draftZ' ? publishedZ.id : t.versionId!;
      const diff = await api.read(who, 'query($a:ID!,$b:ID!){ versionDiff(fromVersionId:$a, toVersionId:$b){ to { id basedOn { id } } changes { itemCode change } } }', { a: from, b: t.versionId });
      if (visible) {
        expect(byId).toMatchObject({ id: t.versionId, basedOn: v === 'draftZ' ? { id: publishedZ.id, status: 'PUBLISHED' } : null });
        expect(byId.items.edges.map((e: any) => e.node.itemCode)).toContain(t.itemCode);
        expect(history.map((x: any) => x.id)).toContain(t.versionId);
        expect(ok(diff, 'versionDiff').to.id).toBe(t.versionId);
        if (v === 'draftZ') expect(diff.data.versionDiff.changes).toContainEqual({ itemCode: t.itemCode, change: 'ADDED' });
      } else {
        expect(byId).toBeNull();
        expect(history.map((x: any) => x.id)).not.toContain(t.versionId);
        expect(history.every((x: any) => ['PUBLISHED', 'SUPERSEDED'].includes(x.status))).toBe(true);
        expect({ code: outcome(diff), field: diff.errors?.[0].extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: v === 'draftZ' ? 'toVersionId' : 'fromVersionId' });
      }
    });

    it.each(READERS)('%s reads published versions', async (reader) => {
      const who = tokenOf(reader);
      expect(ok(await api.version(who, publishedZ.id, 'id status'), 'listVersion')).toEqual({ id: publishedZ.id, status: 'PUBLISHED' });
      const inForce = await api.read(who, 'query($r:String!){ listVersionInForce(regionCode:$r, kind:RESPONSIBILITY){ id } }', { r: ZHANGZHU });
      expect(ok(inForce, 'listVersionInForce')).toEqual({ id: publishedZ.id });
    });

    it('a nested version (basedOn) is checked on its own: a reader who sees the draft does not see what it points to outside the reader\'s scope', async () => {
      // Not something the API produces (drafts are based on published versions), so made in SQL for the test.
      const [{ based_on_id: original }] = await app.dataSource.query('SELECT based_on_id FROM list_version WHERE id = $1', [draftZ.versionId]);
      await app.dataSource.query('UPDATE list_version SET based_on_id = $2 WHERE id = $1', [draftZ.versionId, reviewX.versionId]);
      try {
        const basedOn = async (who: string | null) => ok(await api.version(who, draftZ.versionId!, 'id basedOn { id status }'), 'listVersion');
        expect(await basedOn(token.townshipZz)).toEqual({ id: draftZ.versionId, basedOn: null }); // 张渚镇 sees its draft, not 西渚镇's
        expect(await basedOn(token.editorYx)).toEqual({ id: draftZ.versionId, basedOn: { id: reviewX.versionId, status: 'IN_REVIEW' } });
        const viaDiff = await api.read(token.townshipZz, 'query($a:ID!,$b:ID!){ versionDiff(fromVersionId:$a, toVersionId:$b){ to { basedOn { id } } } }', { a: publishedZ.id, b: draftZ.versionId });
        expect(ok(viaDiff, 'versionDiff').to.basedOn).toBeNull();
      } finally {
        await app.dataSource.query('UPDATE list_version SET based_on_id = $2 WHERE id = $1', [draftZ.versionId, original]);
      }
    });

    it('whoIsAccountable answers from published versions only, even for a reader who sees the drafts', async () => {
      const q = 'query($q:String!,$r:String!){ whoIsAccountable(question:$q, regionCode:$r){ answers { item { itemCode } version { id status } } } }';
      for (const who of [token.editorYx, token.townshipZz, 'public'] as const) {
        const answers = ok(await api.read(who, q, { q: '违建', r: ZHANGZHU }), 'whoIsAccountable').answers;
        expect(answers.length).toBeGreaterThan(0);
        expect(answers.map((a: any) => a.item.itemCode)).not.toContain(draftZ.itemCode);
        expect(answers.every((a: any) => a.version.status === 'PUBLISHED')).toBe(true);
      }
    });

    it('without a token every read on /admin/graphql is UNAUTHENTICATED; /graphql serves no admin-only query', async () => {
      const reads = [
        ['listVersion', `{ listVersion(id:"${publishedZ.id}"){ id } }`],
        ['listVersions', `{ listVersions(regionCode:"${ZHANGZHU}", kind:RESPONSIBILITY){ id } }`],
        ['listVersionInForce', `{ listVersionInForce(regionCode:"${ZHANGZHU}", kind:RESPONSIBILITY){ id } }`],
        ['versionDiff', `{ versionDiff(fromVersionId:"${publishedZ.id}", toVersionId:"${publishedZ.id}"){ changes { itemCode } } }`],
        ['region', '{ region(code:"320282"){ code } }'],
        ['regions', '{ regions(parentCode:"320282"){ code } }'],
        ['bodies', '{ bodies(regionCode:"320282"){ id } }'],
        ['whoIsAccountable', `{ whoIsAccountable(question:"违建", regionCode:"${ZHANGZHU}"){ terms } }`],
        ['auditTrail', `{ auditTrail(entityType:"ListVersion", entityId:"${publishedZ.id}"){ seq } }`],
        ['synonyms', '{ synonyms { term } }'],
      ];
      for (const [name, q] of reads) expect([name, outcome(await app.adminGql(q, {}, null))]).toEqual([name, 'UNAUTHENTICATED']);
      for (const [name, q] of reads.slice(0, 8)) expect([name, outcome(await app.publicGql(q))]).toEqual([name, 'ok']);
      for (const [name, q] of reads.slice(8)) {
        const r = await app.publicGql(q);
        expect([name, r.status, outcome(r)]).toEqual([name, 400, 'GRAPHQL_VALIDATION_FAILED']);
      }
    });
  });

  describe('auditTrail per role and region', () => {
    type Subject = 'draftZ' | 'draftJ' | 'bodyZ' | 'userZ' | 'synonym' | 'unknown';
    const subjects = {} as Record<Subject, { type: string; id: string; actions: string[] }>;
    beforeAll(async () => {
      const [{ id: bodyZ }] = await app.dataSource.query(`SELECT id FROM body WHERE name = '张渚镇人民政府'`);
      const [{ id: userZ }] = await app.dataSource.query(`SELECT id FROM app_user WHERE username = 'tp-township-zz'`);
      subjects.draftZ = { type: 'ListVersion', id: draftZ.versionId!, actions: ['createDraft', 'saveItem'] };
      subjects.draftJ = { type: 'ListVersion', id: draftJ.versionId!, actions: ['createDraft', 'saveItem'] };
      subjects.bodyZ = { type: 'Body', id: bodyZ, actions: ['createBody'] };
      subjects.userZ = { type: 'User', id: userZ, actions: ['createUser'] };
      subjects.synonym = { type: 'SearchSynonym', id: '测试保留词', actions: ['saveSynonym'] };
      subjects.unknown = { type: 'ListVersion', id: '00000000-0000-4000-8000-000000000000', actions: [] };
    });

    // prettier-ignore
    const TRAIL: [Subject, UserKey, Expected][] = [
      ['draftZ', 'admin', o], ['draftZ', 'editorYx', o], ['draftZ', 'reviewerYx', o],
      ['draftZ', 'editorJy', F], ['draftZ', 'reviewerJy', F],
      ['draftZ', 'townshipZz', F], ['draftZ', 'townshipXz', F], ['draftZ', 'departmentYx', F], ['draftZ', 'anonymous', U],
      ['draftJ', 'admin', o], ['draftJ', 'editorJy', o], ['draftJ', 'reviewerJy', o], ['draftJ', 'editorYx', F], ['draftJ', 'reviewerYx', F],
      ['bodyZ', 'admin', o], ['bodyZ', 'editorYx', o], ['bodyZ', 'editorJy', F], ['bodyZ', 'townshipZz', F],
      ['userZ', 'admin', o], ['userZ', 'reviewerYx', o], ['userZ', 'reviewerJy', F],
      ['synonym', 'admin', o], ['synonym', 'editorYx', F], ['synonym', 'reviewerYx', F],
      // an id nobody has seen: ADMIN is told there is nothing; others cannot tell it from an object outside their region
      ['unknown', 'admin', o], ['unknown', 'editorYx', F], ['unknown', 'editorJy', F],
    ];

    it.each(TRAIL)('auditTrail of %s by %s → %s', async (subject, who, expected) => {
      const s = subjects[subject];
      const r = await api.auditTrail(token[who], s.type, s.id);
      expect(outcome(r)).toBe(expected);
      if (expected === 'ok') {
        const trail = r.data.auditTrail;
        expect(trail.map((e: any) => e.action)).toEqual(s.actions);
        for (const e of trail) expect(e).toMatchObject({ entityType: s.type, entityId: s.id, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      } else {
        expect(r.data?.auditTrail ?? null).toBeNull();
      }
    });

    it('an out-of-region object and an unknown id get the same refusal message', async () => {
      const [outside, unknown] = await Promise.all([
        api.auditTrail(token.editorJy, 'ListVersion', draftZ.versionId!),
        api.auditTrail(token.editorJy, 'ListVersion', subjects.unknown.id),
      ]);
      expect(unknown.errors?.[0].message).toBe(outside.errors?.[0].message);
    });
  });
});
