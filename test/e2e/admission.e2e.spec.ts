import ExcelJS from 'exceljs';
import { readCsvRecords } from '../../src/common/csv.js';
import { errorOf, ok, TOWN_A, TOWN_B } from '../setup/lists-api.js';
import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

const COUNTY = '320282000000';
const OTHER_COUNTY = '320281000000'; // 江阴市
const START = '2026-09-01';

const REQUEST_FIELDS = `id status submittedBy decision decisionReason decidedBy claimedCitations
  issuingBody { name } county { code }
  reporting { frequency sameDay forms }
  flags { kind label reason }
  conditions { resources staff funds timeLimit }
  targets { township { code name } verdict confidence needsDecision requesterIsLead reasons
    listVersions { number kind }
    draftVersion { id changeReason status }
    matches { itemCode name townshipRole townshipDuty score citedArticles accountableBody { name } version { number } citations { label } } }`;
const SUBMIT = `mutation($i: TaskRequestInput!) { submitTaskRequest(input: $i) { ${REQUEST_FIELDS} } }`;
const DECIDE = `mutation($id: ID!, $d: AdmissionDecision!, $r: String, $c: AdmissionConditionsInput) {
  decideTaskRequest(id: $id, decision: $d, reason: $r, conditions: $c) { ${REQUEST_FIELDS} } }`;
const LEDGER = `query($r: String!, $f: Date, $t: Date) { burdenLedger(regionCode: $r, from: $f, to: $t) {
  regionCode from to
  departments { body { name } requests townshipsReached targets verdicts { inListLead inListCooperate reclaimed notInList }
    shareOutsideLists shareDeclined admitted declined flags { kind label requests } reportingEventsPerMonth }
  total { requests townshipsReached targets verdicts { notInList } declined } } }`;

/** The daily-dispute order of the issue, as 宜兴市委政法委 would send it. */
const ANECDOTE = {
  title: '每日矛盾纠纷排查化解',
  content: '各镇（街道）每天排查一件矛盾，当天解决一件矛盾，并当天填表上报市委政法委。',
  requestedStart: START,
  deadline: '2026-12-31',
  reporting: { frequency: 'DAILY', sameDay: true, forms: ['矛盾纠纷排查化解登记表'] },
  claimedBasis: '《中华人民共和国人民调解法》第三十四条',
};
const NOT_LISTED = {
  title: '农家书屋全民阅读推广',
  content: '请组织开展全民阅读推广活动，每个村农家书屋建立借阅台账，每月报送活动开展情况。',
  requestedStart: START,
  reporting: { frequency: 'MONTHLY', forms: ['农家书屋借阅台账'], photos: true },
};

describe('task admission (职责准入) and the burden ledger', () => {
  let app: TestApp;
  const bodyIds: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  const createBody = async (name: string, kind: string, region: string) =>
    ok(await app.adminGql('mutation($n:String!,$k:String!,$r:String!){ createBody(name:$n, kind:$k, regionCode:$r){ id } }', { n: name, k: kind, r: region }), 'createBody').id as string;
  const bodyNamed = async (name: string) =>
    ok(await app.publicGql('{ bodies(regionCode:"320282"){ id name } }'), 'bodies').find((b: any) => b.name === name).id as string;
  const submit = (token: string, input: Record<string, unknown>) => app.adminGql(SUBMIT, { i: input }, token);
  const target = (request: any, code: string) => request.targets.find((t: any) => t.township.code === code);

  beforeAll(async () => {
    app = await startTestApp();
    bodyIds.politics = await createBody('宜兴市委政法委', '党委部门', COUNTY);
    bodyIds.culture = await createBody('宜兴市文化广电和旅游局', '政府部门', COUNTY);
    bodyIds.police = await bodyNamed('宜兴市公安局');
    bodyIds.jiangyin = await createBody('江阴市民政局', '政府部门', OTHER_COUNTY);
    tokens.politics = await app.createUser('ad-politics', 'DEPARTMENT', COUNTY, { bodyId: bodyIds.politics });
    tokens.culture = await app.createUser('ad-culture', 'DEPARTMENT', COUNTY, { bodyId: bodyIds.culture });
    tokens.police = await app.createUser('ad-police', 'DEPARTMENT', COUNTY, { bodyId: bodyIds.police });
    tokens.unlinked = await app.createUser('ad-unlinked', 'DEPARTMENT', COUNTY);
    tokens.jiangyinDept = await app.createUser('ad-jiangyin', 'DEPARTMENT', OTHER_COUNTY, { bodyId: bodyIds.jiangyin });
    tokens.editor = await app.createUser('ad-editor', 'EDITOR', COUNTY);
    tokens.reviewer = await app.createUser('ad-reviewer', 'REVIEWER', COUNTY);
    tokens.reviewer2 = await app.createUser('ad-reviewer-2', 'REVIEWER', COUNTY);
    tokens.jiangyinReviewer = await app.createUser('ad-jiangyin-reviewer', 'REVIEWER', OTHER_COUNTY);
    tokens.townA = await app.createUser('ad-town-a', 'TOWNSHIP', TOWN_A);
  });
  afterAll(() => app?.close());

  describe('the daily-dispute order sent by 宜兴市委政法委 to every township of the county', () => {
    let request: any;
    beforeAll(async () => {
      request = ok(await submit(tokens.politics, { ...ANECDOTE, targetCodes: ['320282'] }), 'submitTaskRequest');
    });

    it('is checked in every township of 宜兴市', async () => {
      const townships = ok(await app.publicGql('{ regions(parentCode:"320282", level:TOWNSHIP){ code } }'), 'regions');
      expect(request.targets.map((t: any) => t.township.code).sort()).toEqual(townships.map((r: any) => r.code).sort());
      expect(request.issuingBody.name).toBe('宜兴市委政法委');
      expect(request.submittedBy).toBe('ad-politics');
    });

    it('张渚镇 and 徐舍镇: IN_LIST_LEAD for their dispute-mediation item, with the evidence', () => {
      const a = target(request, TOWN_A);
      expect(a).toMatchObject({ verdict: 'IN_LIST_LEAD', confidence: 'HIGH', needsDecision: false, requesterIsLead: null });
      expect(a.matches[0]).toMatchObject({ itemCode: '320282-100-JB-004', name: '矛盾纠纷排查调处', townshipRole: 'LEAD', accountableBody: { name: '张渚镇人民政府' } });
      expect(a.matches[0].citedArticles).toEqual(['《中华人民共和国人民调解法》第三十四条']);
      expect(a.matches[0].score).toBeGreaterThan(a.matches[1]?.score ?? 0);
      expect(a.matches[0].citations.map((c: any) => c.label)).toContain('《中华人民共和国人民调解法》第三十四条');
      expect(a.listVersions).toEqual(expect.arrayContaining([{ number: 2, kind: 'RESPONSIBILITY' }, { number: 1, kind: 'POWER' }]));
      expect(a.reasons[0]).toContain('矛盾纠纷排查调处');
      const b = target(request, TOWN_B);
      expect(b).toMatchObject({ verdict: 'IN_LIST_LEAD', confidence: 'HIGH' });
      expect(b.matches[0]).toMatchObject({ itemCode: '320282-103-JB-004', name: '人民调解和矛盾纠纷化解' });
    });

    it('townships without a published list: NOT_IN_LIST, needing admission', () => {
      // 丁蜀镇 has a responsibility list (demo data), without a dispute item: not in its list either
      const taihua = target(request, '320282112000');
      expect(taihua).toMatchObject({ verdict: 'NOT_IN_LIST', needsDecision: true, matches: [], listVersions: [{ number: 1, kind: 'RESPONSIBILITY' }] });
      const others = request.targets.filter((t: any) => ![TOWN_A, TOWN_B, '320282112000'].includes(t.township.code));
      expect(others.length).toBeGreaterThan(10);
      for (const t of others) {
        expect(t).toMatchObject({ verdict: 'NOT_IN_LIST', needsDecision: true, matches: [], listVersions: [] });
        expect(t.reasons[0]).toContain('没有已发布且生效的清单');
      }
      expect(request.status).toBe('AWAITING_DECISION');
    });

    it('the requirements are flagged: daily reporting and same-day reporting, each with its reason', () => {
      expect(request.flags.map((f: any) => f.kind)).toEqual(['DAILY_REPORTING', 'SAME_DAY_REPORTING']);
      expect(request.flags[0]).toMatchObject({ label: '每日报送', reason: expect.stringContaining('每年约365次') });
      expect(request.claimedCitations).toEqual(['《中华人民共和国人民调解法》第三十四条']);
    });

    it('is audited, and the county can read it back; the submitter sees it, another department does not', async () => {
      const trail = ok(await app.adminGql('query($id:ID!){ auditTrail(entityType:"TaskRequest", entityId:$id){ action actor after } }', { id: request.id }, tokens.editor), 'auditTrail');
      expect(trail).toHaveLength(1);
      expect(trail[0]).toMatchObject({ action: 'submitTaskRequest', actor: 'ad-politics' });
      expect(JSON.parse(trail[0].after).verdicts[TOWN_A]).toBe('IN_LIST_LEAD');
      const read = (token: string) => app.adminGql('query($id:ID!){ taskRequest(id:$id){ id } }', { id: request.id }, token);
      expect(ok(await read(tokens.politics), 'taskRequest')).toEqual({ id: request.id });
      expect(ok(await read(tokens.reviewer), 'taskRequest')).toEqual({ id: request.id });
      expect(ok(await read(tokens.townA), 'taskRequest')).toEqual({ id: request.id });
      expect(ok(await read(tokens.culture), 'taskRequest')).toBeNull();
    });
  });

  it('a matter 张渚镇\'s list marks 上级部门收回 is RECLAIMED, citing the item and the department; no decision is taken on it', async () => {
    const request = ok(
      await submit(tokens.police, {
        targetCodes: ['320282100'],
        title: '户籍人口信息核查',
        content: '请张渚镇组织村（社区）逐户上门核对户籍人口信息，办理户口登记变更，并填报户籍人口核查表。',
        requestedStart: START,
        reporting: { frequency: 'ONCE', forms: ['户籍人口核查表'] },
      }),
      'submitTaskRequest',
    );
    const a = target(request, TOWN_A);
    // RECLAIMED is refused whatever the confidence; with the concept lexicon the match scores LOW here.
    expect(a).toMatchObject({ verdict: 'RECLAIMED', requesterIsLead: true });
    expect(a.matches[0]).toMatchObject({ itemCode: '320282-100-SH-002', name: '户口登记', townshipRole: 'RECLAIMED', accountableBody: { name: '宜兴市公安局' } });
    expect(a.reasons[0]).toContain('已由宜兴市公安局收回');
    expect(request.flags.map((f: any) => f.kind)).toEqual(['DUPLICATE_FORMS']);
    if (a.confidence === 'HIGH') {
      expect(request.status).toBe('SETTLED');
      const refused = await app.adminGql(DECIDE, { id: request.id, d: 'ADMITTED' }, tokens.reviewer);
      expect(errorOf(refused).code).toBe('CONFLICT');
    } else {
      // A low-confidence match is left to a person, even when it is RECLAIMED.
      expect(a.needsDecision).toBe(true);
      expect(request.status).toBe('AWAITING_DECISION');
    }
  });

  it('a cooperative matter asked by a department that is not its lead: IN_LIST_COOPERATE, the lead and the township\'s duty named, left to the county', async () => {
    const request = ok(
      await submit(app.adminToken, {
        issuingBodyId: await bodyNamed('宜兴市应急管理局'),
        targetCodes: ['320282100'],
        title: '瓶装燃气安全专项整治',
        content: '请张渚镇开展瓶装燃气安全专项整治，排查餐饮场所瓶装燃气使用隐患。',
        requestedStart: START,
        reporting: { frequency: 'MONTHLY' },
      }),
      'submitTaskRequest',
    );
    const a = target(request, TOWN_A);
    expect(a).toMatchObject({ verdict: 'IN_LIST_COOPERATE', needsDecision: true, requesterIsLead: false });
    expect(a.matches[0]).toMatchObject({ itemCode: '320282-100-PH-003', townshipRole: 'COOPERATE', accountableBody: { name: '宜兴市住房和城乡建设局' } });
    expect(a.matches[0].townshipDuty).toBeTruthy();
    expect(a.reasons.join()).toContain(`由宜兴市住房和城乡建设局牵头，乡镇只承担配合职责：${a.matches[0].townshipDuty}`);
    expect(a.reasons.join()).toContain('宜兴市应急管理局不是该事项的牵头部门');
    expect(request.status).toBe('AWAITING_DECISION');
  });

  describe('a request for something in no list', () => {
    let request: any;
    beforeAll(async () => {
      request = ok(await submit(tokens.culture, { ...NOT_LISTED, targetCodes: [TOWN_A, TOWN_B] }), 'submitTaskRequest');
    });

    it('gets NOT_IN_LIST in both towns and awaits the county\'s decision', () => {
      for (const code of [TOWN_A, TOWN_B]) expect(target(request, code)).toMatchObject({ verdict: 'NOT_IN_LIST', needsDecision: true });
      expect(request.status).toBe('AWAITING_DECISION');
      expect(request.flags.map((f: any) => f.kind)).toEqual(['PHOTO_EVIDENCE']);
    });

    it('is refused to those who may not decide: the department, an editor, a reviewer of another county; a declination needs a reason', async () => {
      for (const token of [tokens.culture, tokens.editor]) expect(codeOf(await app.adminGql(DECIDE, { id: request.id, d: 'DECLINED', r: '无依据' }, token))).toBe('FORBIDDEN');
      expect(codeOf(await app.adminGql(DECIDE, { id: request.id, d: 'DECLINED', r: '无依据' }, tokens.jiangyinReviewer))).toBe('FORBIDDEN');
      expect(errorOf(await app.adminGql(DECIDE, { id: request.id, d: 'DECLINED', r: ' ' }, tokens.reviewer))).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });
      const still = ok(await app.adminGql('query($id:ID!){ taskRequest(id:$id){ status } }', { id: request.id }), 'taskRequest');
      expect(still.status).toBe('AWAITING_DECISION');
    });

    it('is declined by a reviewer — one decision only, the second CONFLICT — audited', async () => {
      const attempts = await Promise.all([
        app.adminGql(DECIDE, { id: request.id, d: 'DECLINED', r: '不属于乡镇法定职责，应由文旅部门自行组织' }, tokens.reviewer),
        app.adminGql(DECIDE, { id: request.id, d: 'DECLINED', r: '不属于乡镇法定职责' }, tokens.reviewer2),
      ]);
      const won = attempts.filter((r) => !r.errors);
      expect(won).toHaveLength(1);
      expect(attempts.map(codeOf).filter(Boolean)).toEqual(['CONFLICT']);
      expect(won[0].data.decideTaskRequest).toMatchObject({ status: 'DECLINED', decision: 'DECLINED' });
      const trail = ok(await app.adminGql('query($id:ID!){ auditTrail(entityType:"TaskRequest", entityId:$id){ action } }', { id: request.id }), 'auditTrail');
      expect(trail.map((e: any) => e.action)).toEqual(['submitTaskRequest', 'decideTaskRequest']);
    });

    it('and the public ledger counts it for the department', async () => {
      const r = await app.publicGql(LEDGER, { r: '320282', f: null, t: null });
      const ledger = ok(r, 'burdenLedger');
      const culture = ledger.departments.find((d: any) => d.body.name === '宜兴市文化广电和旅游局');
      expect(culture).toMatchObject({
        requests: 1, townshipsReached: 2, targets: 2, verdicts: { inListLead: 0, inListCooperate: 0, reclaimed: 0, notInList: 2 },
        shareOutsideLists: 1, shareDeclined: 1, admitted: 0, declined: 1, flags: [{ kind: 'PHOTO_EVIDENCE', label: '拍照留痕', requests: 1 }],
        reportingEventsPerMonth: 2,
      });
      const politics = ledger.departments.find((d: any) => d.body.name === '宜兴市委政法委');
      expect(politics.verdicts.inListLead).toBe(2);
      expect(politics.reportingEventsPerMonth).toBeCloseTo((365 / 12) * politics.targets, 0);
      expect(ledger.total.requests).toBe(ledger.departments.reduce((n: number, d: any) => n + d.requests, 0));
      expect(ledger.total.declined).toBeGreaterThanOrEqual(1);
    });
  });

  it('the submitter cannot decide their own request (four eyes), another reviewer admits it with conditions, and an editor opens the 职责准入 draft', async () => {
    const request = ok(
      await submit(app.adminToken, { ...NOT_LISTED, title: '乡村文化活动组织', issuingBodyId: bodyIds.culture, targetCodes: ['320282101'] }),
      'submitTaskRequest',
    );
    expect(request.submittedBy).toBe('test-admin');
    const own = await app.adminGql(DECIDE, { id: request.id, d: 'ADMITTED' }, app.adminToken);
    expect(errorOf(own).code).toBe('FORBIDDEN');
    expect(own.errors![0].message).toContain('自己提交');
    const conditions = { resources: '市文旅局提供活动物资', staff: '镇文化站1人', funds: '市级专项经费2万元', timeLimit: '2027-06-30' };
    const admitted = ok(await app.adminGql(DECIDE, { id: request.id, d: 'ADMITTED', c: conditions }, tokens.reviewer), 'decideTaskRequest');
    expect(admitted).toMatchObject({ status: 'ADMITTED', decidedBy: 'ad-reviewer', conditions });

    const open = (token: string) =>
      app.adminGql('mutation($id:ID!,$t:String!){ openAdmissionDraft(requestId:$id, townshipCode:$t){ id status changeReason kind number } }', { id: request.id, t: '320282101' }, token);
    expect(codeOf(await open(tokens.reviewer))).toBe('FORBIDDEN');
    const draft = ok(await open(tokens.editor), 'openAdmissionDraft');
    expect(draft).toMatchObject({ status: 'DRAFT', changeReason: '职责准入', kind: 'RESPONSIBILITY', number: 1 });
    expect(codeOf(await open(tokens.editor))).toBe('CONFLICT');
    const linked = ok(await app.adminGql(`query($id:ID!){ taskRequest(id:$id){ ${REQUEST_FIELDS} } }`, { id: request.id }, tokens.editor), 'taskRequest');
    expect(linked.targets[0].draftVersion).toEqual({ id: draft.id, changeReason: '职责准入', status: 'DRAFT' });
  });

  it('region scope: a department user of another county sees nothing and cannot send to this county', async () => {
    expect(ok(await app.adminGql('{ taskRequests { id } }', {}, tokens.jiangyinDept), 'taskRequests')).toEqual([]);
    const mine = ok(await app.adminGql('{ taskRequests { id issuingBody { name } } }', {}, tokens.politics), 'taskRequests');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r: any) => r.issuingBody.name === '宜兴市委政法委')).toBe(true);
    const [any] = ok(await app.adminGql('{ taskRequests(first: 1) { id } }'), 'taskRequests');
    expect(ok(await app.adminGql('query($id:ID!){ taskRequest(id:$id){ id } }', { id: any.id }, tokens.jiangyinDept), 'taskRequest')).toBeNull();
    const sent = await submit(tokens.jiangyinDept, { ...NOT_LISTED, targetCodes: [TOWN_A] });
    expect(errorOf(sent)).toEqual({ code: 'BAD_USER_INPUT', field: 'targetCodes[0]' });
    const jiangyinReviewer = ok(await app.adminGql('{ taskRequests { id } }', {}, tokens.jiangyinReviewer), 'taskRequests');
    expect(jiangyinReviewer).toEqual([]);
  });

  it('the requests with their targets, matches, bodies, versions and citations: a bounded number of statements, however many', async () => {
    const logger = app.dataSource.logger;
    const original = logger.logQuery;
    let statements = 0;
    logger.logQuery = (...args: Parameters<typeof original>) => (statements++, original.apply(logger, args));
    try {
      const all = ok(await app.adminGql(`{ taskRequests(first: 20) { ${REQUEST_FIELDS} } }`, {}, tokens.reviewer), 'taskRequests');
      expect(all.length).toBeGreaterThanOrEqual(4);
      expect(all.flatMap((r: any) => r.targets).length).toBeGreaterThan(20);
    } finally {
      logger.logQuery = original;
    }
    console.log(`taskRequests: ${statements} statements`);
    expect(statements).toBeLessThanOrEqual(8);
  });

  it('a department submits for its own body only; an unlinked department user cannot submit; a reviewer cannot submit at all', async () => {
    expect(codeOf(await submit(tokens.unlinked, { ...NOT_LISTED, targetCodes: [TOWN_A] }))).toBe('FORBIDDEN');
    expect(codeOf(await submit(tokens.culture, { ...NOT_LISTED, targetCodes: [TOWN_A], issuingBodyId: bodyIds.police }))).toBe('FORBIDDEN');
    expect(codeOf(await submit(tokens.reviewer, { ...NOT_LISTED, targetCodes: [TOWN_A], issuingBodyId: bodyIds.culture }))).toBe('FORBIDDEN');
    const onBehalf = ok(await submit(tokens.editor, { ...NOT_LISTED, targetCodes: [TOWN_B], issuingBodyId: bodyIds.culture }), 'submitTaskRequest');
    expect(onBehalf).toMatchObject({ submittedBy: 'ad-editor', issuingBody: { name: '宜兴市文化广电和旅游局' } });
  });

  it('bad input is refused naming the field, and nothing is written', async () => {
    const count = async () => (await app.dataSource.query('SELECT count(*)::int AS n FROM task_request'))[0].n;
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '  ' }, 'title'],
      [{ content: '<script>alert(1)</script>' }, 'content'],
      [{ targetCodes: [] }, 'targetCodes'],
      [{ targetCodes: ['320282100208'] }, 'targetCodes[0]'],
      [{ targetCodes: ['999999'] }, 'targetCodes[0]'],
      [{ deadline: '2026-08-01' }, 'deadline'],
      [{ reporting: { frequency: 'WEEKLY', forms: ['a\u0000b'] } }, 'reporting.forms[0]'],
      [{ reporting: { frequency: 'WEEKLY', assessmentWeight: -3 } }, 'reporting.assessmentWeight'],
    ];
    for (const [change, field] of cases) {
      const r = await submit(tokens.culture, { ...NOT_LISTED, targetCodes: [TOWN_A], ...change });
      expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect(await count()).toBe(before);
  });

  it('DEPARTMENT users are linked to a county department of their region, and only they', async () => {
    const create = (input: Record<string, unknown>) => app.adminGql('mutation($i:UserInput!){ createUser(input:$i){ id bodyId } }', { i: { password: 'a-long-password-1', ...input } });
    expect(errorOf(await create({ username: 'ad-x1', role: 'EDITOR', regionCode: COUNTY, bodyId: bodyIds.culture }))).toEqual({ code: 'BAD_USER_INPUT', field: 'bodyId' });
    expect(errorOf(await create({ username: 'ad-x2', role: 'DEPARTMENT', regionCode: COUNTY, bodyId: bodyIds.jiangyin }))).toEqual({ code: 'BAD_USER_INPUT', field: 'bodyId' });
    const townGov = await bodyNamed('张渚镇人民政府');
    expect(errorOf(await create({ username: 'ad-x3', role: 'DEPARTMENT', regionCode: COUNTY, bodyId: townGov }))).toEqual({ code: 'BAD_USER_INPUT', field: 'bodyId' });
    const unlinked = ok(await create({ username: 'ad-x4', role: 'DEPARTMENT', regionCode: COUNTY }), 'createUser');
    const linked = ok(await app.adminGql('mutation($u:ID!,$b:ID!){ assignUserBody(userId:$u, bodyId:$b){ id bodyId } }', { u: unlinked.id, b: bodyIds.culture }), 'assignUserBody');
    expect(linked).toEqual({ id: unlinked.id, bodyId: bodyIds.culture });
  });

  it('the ledger is public on /graphql (requests are not), narrows by period and region, and checks its arguments', async () => {
    expect((await app.publicGql('{ taskRequests { id } }')).status).toBe(400);
    const none = ok(await app.publicGql(LEDGER, { r: '320282', f: '2001-01-01', t: '2001-12-31' }), 'burdenLedger');
    expect(none).toMatchObject({ from: '2001-01-01', to: '2001-12-31', departments: [], total: { requests: 0, targets: 0 } });
    const townA = ok(await app.publicGql(LEDGER, { r: '320282100', f: null, t: null }), 'burdenLedger');
    expect(townA.total.townshipsReached).toBe(1);
    const county = ok(await app.publicGql(LEDGER, { r: '320282', f: null, t: null }), 'burdenLedger');
    expect(county.total.townshipsReached).toBeGreaterThan(10);
    expect(ok(await app.publicGql(LEDGER, { r: '320281', f: null, t: null }), 'burdenLedger').departments).toEqual([]);
    expect(errorOf(await app.publicGql(LEDGER, { r: '320282', f: '2026-12-01', t: '2026-01-01' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(errorOf(await app.publicGql(LEDGER, { r: '999999', f: null, t: null }))).toEqual({ code: 'BAD_USER_INPUT', field: 'regionCode' });
  });

  it('the ledger exports as CSV (UTF-8 with BOM) and xlsx, with the total row', async () => {
    const csv = await fetch(`${app.url}/exports/burden-ledger/320282.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    const rows = readCsvRecords(text);
    const culture = rows.find((r) => r['部门'] === '宜兴市文化广电和旅游局')!;
    expect(culture['不予准入']).toBe('1');
    expect(rows[rows.length - 1]['部门']).toBe('合计');
    const xlsx = await fetch(`${app.url}/exports/burden-ledger/320282.xlsx?from=2026-01-01`);
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    const values = sheet.getSheetValues().flat().map(String);
    expect(values).toContain('宜兴市委政法委');
    expect(values).toContain('合计');
    expect((await fetch(`${app.url}/exports/burden-ledger/999999.csv`)).status).toBe(400);
    expect((await fetch(`${app.url}/exports/burden-ledger/320282.pdf`)).status).toBe(404);
  });
});
