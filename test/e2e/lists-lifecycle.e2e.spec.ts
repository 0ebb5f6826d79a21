// Lifecycle of a list version over GraphQL/HTTP: DRAFT → IN_REVIEW → APPROVED → PUBLISHED,
// rejection, four eyes, removal of items in force, scheduled versions and history that is never rewritten.
import { addDays, COUNTY, errorOf, listApi, ok, todayInChina, townshipItems } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const XIZHU = '320282101'; // 西渚镇: no demo list
const TAIHUA = '320282102'; // 太华镇: no demo list

describe('list lifecycle over GraphQL', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let reviewer: string;
  let who: { editor: string; reviewer: string };
  const xz = townshipItems(XIZHU, '西渚镇人民政府');
  const th = townshipItems(TAIHUA, '太华镇人民政府');
  /** 西渚镇's responsibility versions, as published along the way. */
  const xzVersion: Record<number, any> = {};

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    ok(await api.createBody('西渚镇人民政府', XIZHU), 'createBody');
    ok(await api.createBody('太华镇人民政府', TAIHUA), 'createBody');
    editor = await app.createUser('lc-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('lc-reviewer', 'REVIEWER', COUNTY);
    who = { editor, reviewer };
  });
  afterAll(() => app?.close());

  it('createDraft is refused for a county, a village or an unknown region (BAD_USER_INPUT, field regionCode)', async () => {
    for (const region of [COUNTY, '320282000000', '320282100208' /* 善卷村 */, '320282999']) {
      expect([region, errorOf(await api.createDraft(editor, region, 'RESPONSIBILITY'))]).toEqual([region, { code: 'BAD_USER_INPUT', field: 'regionCode' }]);
    }
    expect(errorOf(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY', '随便写'))).toEqual({ code: 'BAD_USER_INPUT', field: 'changeReason' });
  });

  it('takes a version from DRAFT through review (with a rejection) to PUBLISHED', async () => {
    // DRAFT
    const draft = ok(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY', '乡镇申请'), 'createDraft');
    expect(draft).toMatchObject({ number: 1, status: 'DRAFT', kind: 'RESPONSIBILITY', revision: 0, basedOn: null, changeReason: '乡镇申请', effectiveFrom: null });
    expect(draft.region).toEqual({ code: '320282101000', name: '西渚镇' });

    // an empty draft cannot be submitted; a second draft cannot be opened
    expect(errorOf(await api.submit(editor, draft.id)).code).toBe('CONFLICT');
    expect(errorOf(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY')).code).toBe('CONFLICT');
    expect(errorOf(await api.createDraft(app.adminToken, XIZHU, 'RESPONSIBILITY')).code).toBe('CONFLICT');

    // items; the township's role follows the section
    const basic = ok(await api.saveItem(editor, draft.id, xz.basic, 0), 'saveItem');
    expect(basic).toMatchObject({ itemCode: xz.basic.itemCode, section: 'BASIC', townshipRole: 'LEAD', accountableBody: { name: '西渚镇人民政府', level: 'TOWNSHIP' } });
    expect(basic.citations).toEqual([
      expect.objectContaining({ label: '《中华人民共和国城乡规划法》第六十五条', instrumentTitle: '中华人民共和国城乡规划法', article: 65, resolved: true, text: expect.any(String) }),
    ]);
    expect(basic.stagedDuties).toEqual(xz.basic.stagedDuties);
    const coop = ok(await api.saveItem(editor, draft.id, xz.coop, 1), 'saveItem');
    expect(coop).toMatchObject({ townshipRole: 'COOPERATE', accountableBody: { name: '宜兴市农业农村局', level: 'COUNTY' } });
    expect(coop.cooperating).toEqual([{ body: { name: '宜兴市应急管理局' }, duty: '负责农药经营单位的安全生产监督' }]);
    expect(ok(await api.saveItem(editor, draft.id, xz.recl), 'saveItem')).toMatchObject({ townshipRole: 'RECLAIMED', accountableBody: { name: '宜兴市应急管理局' } });

    // a stale revision is refused; saving by an existing itemCode replaces the item
    const stale = await api.saveItem(editor, draft.id, { ...xz.basic, name: '过时的修改' }, 1);
    expect(errorOf(stale)).toEqual({ code: 'VERSION_CONFLICT', field: 'expectedRevision' });
    ok(await api.saveItem(editor, draft.id, { ...xz.basic, name: '乡村违法建设巡查查处' }, 3), 'saveItem');
    const drafted = ok(await api.items(draft.id, { first: 50 }, editor), 'listVersion').items;
    expect(drafted.totalCount).toBe(3);
    expect(drafted.edges.map((e: any) => [e.node.itemCode, e.node.name])).toEqual([
      [xz.basic.itemCode, '乡村违法建设巡查查处'],
      [xz.coop.itemCode, xz.coop.name],
      [xz.recl.itemCode, xz.recl.name],
    ]);
    expect(ok(await api.version(draft.id, editor), 'listVersion').revision).toBe(4);

    // IN_REVIEW: frozen for editing
    const inReview = ok(await api.submit(editor, draft.id), 'submitForReview');
    expect(inReview).toMatchObject({ status: 'IN_REVIEW', submittedBy: 'lc-editor', revision: 5 });
    expect(errorOf(await api.saveItem(editor, draft.id, { ...xz.basic, name: '改' })).code).toBe('CONFLICT');
    expect(errorOf(await api.removeItem(editor, draft.id, xz.recl.itemCode)).code).toBe('CONFLICT');
    expect(errorOf(await api.submit(editor, draft.id)).code).toBe('CONFLICT');
    expect(errorOf(await api.publish(editor, draft.id, '2025-03-01', '宜政发〔2025〕1号')).code).toBe('CONFLICT');

    // four eyes: the submitter cannot review; an EDITOR lacks the permission anyway
    expect(errorOf(await api.approve(editor, draft.id)).code).toBe('FORBIDDEN');
    expect(errorOf(await api.reject(editor, draft.id, '自己退回')).code).toBe('FORBIDDEN');

    // rejection: back to DRAFT, opinion kept, revision bumped
    expect(errorOf(await api.reject(reviewer, draft.id, '   '))).toEqual({ code: 'BAD_USER_INPUT', field: 'opinion' });
    const rejected = ok(await api.reject(reviewer, draft.id, '第三项缺少法律依据，请补充。'), 'rejectVersion');
    expect(rejected).toMatchObject({ status: 'DRAFT', reviewOpinion: '第三项缺少法律依据，请补充。', revision: 6, submittedBy: null, approvedBy: null });
    expect(ok(await api.version(draft.id, reviewer), 'listVersion')).toMatchObject({ status: 'DRAFT', reviewOpinion: '第三项缺少法律依据，请补充。', revision: 6 });
    expect(errorOf(await api.approve(reviewer, draft.id)).code).toBe('CONFLICT'); // nothing to approve while in DRAFT

    // fixed and resubmitted; APPROVED by the reviewer
    ok(await api.saveItem(editor, draft.id, { ...xz.recl, legalBasis: '《中华人民共和国安全生产法》第十条第一款' }, 6), 'saveItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    const approved = ok(await api.approve(reviewer, draft.id, '经合法性审查，同意。'), 'approveVersion');
    expect(approved).toMatchObject({ status: 'APPROVED', approvedBy: 'lc-reviewer', submittedBy: 'lc-editor', reviewOpinion: '经合法性审查，同意。', revision: 9 });
    expect(errorOf(await api.approve(reviewer, draft.id)).code).toBe('CONFLICT');

    // a REVIEWER cannot publish; bad dates and an empty approval document number are refused
    expect(errorOf(await api.publish(reviewer, draft.id, '2025-03-01', '宜政发〔2025〕1号')).code).toBe('FORBIDDEN');
    for (const bad of ['2025-02-30', 'tomorrow', '2025-3-1', '']) {
      expect([bad, errorOf(await api.publish(editor, draft.id, bad, '宜政发〔2025〕1号')).code]).toEqual([bad, 'BAD_USER_INPUT']);
    }
    const literal = await app.adminGql(`mutation{ publishVersion(versionId:"${draft.id}", effectiveFrom:"2025-02-30", approvalDocNumber:"x"){ id } }`, {}, editor);
    expect(errorOf(literal).code).toBe('GRAPHQL_VALIDATION_FAILED'); // a literal is checked with the document
    expect(literal.errors?.[0]?.message).toContain('2025-02-30');
    for (const bad of ['', '   ']) {
      expect(errorOf(await api.publish(editor, draft.id, '2025-03-01', bad))).toEqual({ code: 'BAD_USER_INPUT', field: 'approvalDocNumber' });
    }
    expect(ok(await api.version(draft.id, editor), 'listVersion').status).toBe('APPROVED');

    // PUBLISHED
    const published = ok(await api.publish(editor, draft.id, '2025-03-01', '宜政发〔2025〕1号'), 'publishVersion');
    expect(published).toMatchObject({
      status: 'PUBLISHED', effectiveFrom: '2025-03-01', effectiveTo: null, approvalDocNumber: '宜政发〔2025〕1号',
      publishedBy: 'lc-editor', approvedBy: 'lc-reviewer', reviewOpinion: '经合法性审查，同意。',
    });
    expect(errorOf(await api.publish(editor, draft.id, '2025-04-01', '宜政发〔2025〕2号')).code).toBe('CONFLICT');
    expect(errorOf(await api.saveItem(editor, draft.id, xz.basic)).code).toBe('CONFLICT');
    expect(ok(await api.version(draft.id), 'listVersion')).toMatchObject({ id: draft.id, status: 'PUBLISHED' }); // public now
    expect(ok(await api.inForce(XIZHU, 'RESPONSIBILITY', '2025-02-28'), 'listVersionInForce')).toBeNull();
    expect(ok(await api.inForce(XIZHU, 'RESPONSIBILITY', '2025-03-01'), 'listVersionInForce')?.id).toBe(draft.id);
    expect(await api.itemCodes(draft.id)).toEqual([xz.basic.itemCode, xz.coop.itemCode, xz.recl.itemCode]);
    xzVersion[1] = published;
  });

  it('an ADMIN who submitted a version may not approve or reject it; another reviewer may', async () => {
    const draft = ok(await api.createDraft(app.adminToken, TAIHUA, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.saveItem(app.adminToken, draft.id, th.basic), 'saveItem');
    expect(ok(await api.submit(app.adminToken, draft.id), 'submitForReview').submittedBy).toBe('test-admin');
    expect(errorOf(await api.approve(app.adminToken, draft.id)).code).toBe('FORBIDDEN');
    expect(errorOf(await api.reject(app.adminToken, draft.id, '自己退回自己')).code).toBe('FORBIDDEN');
    // an EDITOR who did not submit it still may not review: no permission
    expect(errorOf(await api.approve(editor, draft.id)).code).toBe('FORBIDDEN');
    expect(errorOf(await api.reject(editor, draft.id, '编辑无权退回')).code).toBe('FORBIDDEN');
    expect(ok(await api.version(draft.id, app.adminToken), 'listVersion').status).toBe('IN_REVIEW');
    expect(ok(await api.approve(reviewer, draft.id), 'approveVersion')).toMatchObject({ status: 'APPROVED', approvedBy: 'lc-reviewer' });
    // the ADMIN may publish what someone else approved
    expect(ok(await api.publish(app.adminToken, draft.id, '2025-05-01', '宜政发〔2025〕5号'), 'publishVersion').status).toBe('PUBLISHED');
  });

  it('region scope and roles: another county\'s EDITOR or REVIEWER, a TOWNSHIP or DEPARTMENT user cannot write', async () => {
    const outsider = await app.createUser('lc-jiangyin-editor', 'EDITOR', '320281'); // 江阴市
    const outsideReviewer = await app.createUser('lc-jiangyin-reviewer', 'REVIEWER', '320281');
    const township = await app.createUser('lc-taihua-township', 'TOWNSHIP', TAIHUA);
    const department = await app.createUser('lc-department', 'DEPARTMENT', COUNTY);
    expect(errorOf(await api.createDraft(outsider, TAIHUA, 'RESPONSIBILITY')).code).toBe('FORBIDDEN');
    expect(errorOf(await api.createDraft(township, TAIHUA, 'RESPONSIBILITY')).code).toBe('FORBIDDEN');
    expect(errorOf(await api.createDraft(department, TAIHUA, 'RESPONSIBILITY')).code).toBe('FORBIDDEN');
    const draft = ok(await api.createDraft(editor, TAIHUA, 'POWER'), 'createDraft');
    const item = { itemCode: `${COUNTY}-102-XK-001`, name: '农村村民宅基地审批', category: 'LICENSING', source: 'STATUTORY', accountableBodyName: '太华镇人民政府', legalBasis: '《中华人民共和国土地管理法》' };
    for (const token of [outsider, township, department]) {
      expect(errorOf(await api.saveItem(token, draft.id, item)).code).toBe('FORBIDDEN');
      expect(errorOf(await api.submit(token, draft.id)).code).toBe('FORBIDDEN');
    }
    expect(ok(await api.version(draft.id, outsider), 'listVersion')).toBeNull(); // not even visible outside the county
    expect(ok(await api.version(draft.id, township), 'listVersion')?.status).toBe('DRAFT'); // its own township reads it
    ok(await api.saveItem(editor, draft.id, item), 'saveItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    expect(errorOf(await api.approve(outsideReviewer, draft.id)).code).toBe('FORBIDDEN');
    expect(errorOf(await api.approve(township, draft.id)).code).toBe('FORBIDDEN');
    expect(ok(await api.version(draft.id, editor), 'listVersion').status).toBe('IN_REVIEW');
    expect(ok(await api.reject(reviewer, draft.id, '暂不调整权力清单'), 'rejectVersion').status).toBe('DRAFT');
  });

  it('the township role follows the section: BASIC → LEAD, COOPERATIVE → COOPERATE, RECLAIMED → RECLAIMED', async () => {
    const draft = ok(await api.createDraft(editor, TAIHUA, 'RESPONSIBILITY'), 'createDraft');
    expect(draft).toMatchObject({ number: 2, basedOn: { number: 1 } });
    const roles: Record<string, string> = {};
    for (const item of [th.basic, th.coop, th.recl]) {
      const saved = ok(await api.saveItem(editor, draft.id, item), 'saveItem');
      roles[saved.section] = saved.townshipRole;
    }
    expect(roles).toEqual({ BASIC: 'LEAD', COOPERATIVE: 'COOPERATE', RECLAIMED: 'RECLAIMED' });
    // the same item moved to another section takes that section's role (and its lead body)
    const moved = ok(await api.saveItem(editor, draft.id, { ...th.recl, section: 'COOPERATIVE' }), 'saveItem');
    expect(moved).toMatchObject({ section: 'COOPERATIVE', townshipRole: 'COOPERATE' });
    const items = ok(await api.items(draft.id, {}, editor), 'listVersion').items.edges.map((e: any) => [e.node.itemCode, e.node.section, e.node.townshipRole]);
    expect(items).toEqual([
      [th.basic.itemCode, 'BASIC', 'LEAD'],
      [th.coop.itemCode, 'COOPERATIVE', 'COOPERATE'],
      [th.recl.itemCode, 'COOPERATIVE', 'COOPERATE'],
    ]);
  });

  it('removing an item in force: gone from the new version once published, still in the old one', async () => {
    const draft = ok(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY', '立改废释'), 'createDraft');
    expect(draft).toMatchObject({ number: 2, status: 'DRAFT', basedOn: { id: xzVersion[1].id, number: 1 } });
    // the draft starts as a copy of the version in force
    expect(await api.itemCodes(draft.id, editor)).toEqual([xz.basic.itemCode, xz.coop.itemCode, xz.recl.itemCode]);

    expect(errorOf(await api.removeItem(editor, draft.id, `${COUNTY}-101-XX-999`))).toEqual({ code: 'BAD_USER_INPUT', field: 'itemCode' });
    expect(ok(await api.removeItem(editor, draft.id, xz.recl.itemCode), 'removeItem')).toBe(true);
    expect(errorOf(await api.removeItem(editor, draft.id, xz.recl.itemCode))).toEqual({ code: 'BAD_USER_INPUT', field: 'itemCode' });
    expect(await api.itemCodes(draft.id, editor)).toEqual([xz.basic.itemCode, xz.coop.itemCode]);
    // an item changed in the draft, then removed, then saved again as it was
    ok(await api.saveItem(editor, draft.id, { ...xz.coop, townshipDuty: '临时修改' }), 'saveItem');
    expect(ok(await api.removeItem(editor, draft.id, xz.coop.itemCode), 'removeItem')).toBe(true);
    expect(await api.itemCodes(draft.id, editor)).toEqual([xz.basic.itemCode]);
    ok(await api.saveItem(editor, draft.id, xz.coop), 'saveItem');
    // an item that exists only in the draft is removed outright
    ok(await api.saveItem(editor, draft.id, { ...xz.basic, itemCode: `${COUNTY}-101-JB-099`, name: '临时事项' }), 'saveItem');
    expect(ok(await api.removeItem(editor, draft.id, `${COUNTY}-101-JB-099`), 'removeItem')).toBe(true);
    expect(errorOf(await api.removeItem(editor, draft.id, `${COUNTY}-101-JB-099`))).toEqual({ code: 'BAD_USER_INPUT', field: 'itemCode' });
    expect(await api.itemCodes(draft.id, editor)).toEqual([xz.basic.itemCode, xz.coop.itemCode]);
    // the version in force is untouched by the draft
    expect(await api.itemCodes(xzVersion[1].id)).toEqual([xz.basic.itemCode, xz.coop.itemCode, xz.recl.itemCode]);

    ok(await api.submit(editor, draft.id), 'submitForReview');
    ok(await api.approve(reviewer, draft.id), 'approveVersion');
    const v2 = ok(await api.publish(editor, draft.id, '2025-09-01', '宜政发〔2025〕9号'), 'publishVersion');
    expect(v2).toMatchObject({ number: 2, status: 'PUBLISHED', effectiveFrom: '2025-09-01', effectiveTo: null });
    xzVersion[2] = v2;

    expect(await api.itemCodes(v2.id)).toEqual([xz.basic.itemCode, xz.coop.itemCode]);
    const coopInV2 = ok(await api.items(v2.id, { section: 'COOPERATIVE' }, undefined, 'itemCode townshipDuty'), 'listVersion').items.edges;
    expect(coopInV2.map((e: any) => e.node)).toEqual([{ itemCode: xz.coop.itemCode, townshipDuty: xz.coop.townshipDuty }]);
    expect(await api.itemCodes(xzVersion[1].id)).toEqual([xz.basic.itemCode, xz.coop.itemCode, xz.recl.itemCode]);
    expect(ok(await api.version(xzVersion[1].id), 'listVersion')).toMatchObject({ status: 'SUPERSEDED', effectiveFrom: '2025-03-01', effectiveTo: '2025-09-01' });
    expect(ok(await api.inForce(XIZHU, 'RESPONSIBILITY', '2025-08-31'), 'listVersionInForce').number).toBe(1);
    expect(ok(await api.inForce(XIZHU, 'RESPONSIBILITY', '2025-09-01'), 'listVersionInForce').number).toBe(2);
    const diff = ok(await api.diff(xzVersion[1].id, v2.id), 'versionDiff');
    expect(diff.changes.map((c: any) => [c.itemCode, c.change])).toEqual([[xz.recl.itemCode, 'REMOVED']]);
  });

  it('a version published with a future date is scheduled: the current one stays in force until then', async () => {
    const today = todayInChina();
    const start = addDays(today, 40);
    const v3 = await api.publishWith(who, XIZHU, 'RESPONSIBILITY', [{ ...xz.basic, description: '对乡村规划区内违法建设责令停止建设、限期改正；逾期不改正的，依法拆除' }], start, '宜政发〔2026〕3号');
    expect(v3).toMatchObject({ number: 3, status: 'PUBLISHED', effectiveFrom: start, effectiveTo: null });

    const inForceOn = async (d?: string) => ok(await api.inForce(XIZHU, 'RESPONSIBILITY', d), 'listVersionInForce')?.number ?? null;
    expect(await inForceOn(today)).toBe(2);
    expect(await inForceOn()).toBe(2); // asOf omitted: today
    expect(await inForceOn(addDays(start, -1))).toBe(2);
    expect(await inForceOn(start)).toBe(3);
    expect(await inForceOn(addDays(start, 1))).toBe(3);
    expect(await inForceOn('2099-12-31')).toBe(3);

    const history = ok(await api.versions(XIZHU, 'RESPONSIBILITY'), 'listVersions');
    expect(history.map((v: any) => [v.number, v.status, v.effectiveFrom, v.effectiveTo])).toEqual([
      [3, 'PUBLISHED', start, null],
      [2, 'SUPERSEDED', '2025-09-01', start],
      [1, 'SUPERSEDED', '2025-03-01', '2025-09-01'],
    ]);
    xzVersion[3] = v3;
  });

  it('an effectiveFrom on or before the latest published start is refused (CONFLICT) and changes nothing', async () => {
    const start = xzVersion[3].effectiveFrom as string;
    const draft = ok(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY'), 'createDraft');
    expect(draft.basedOn).toEqual({ id: xzVersion[3].id, number: 3 }); // based on the scheduled version
    ok(await api.saveItem(editor, draft.id, { ...xz.coop, townshipDuty: '组织宣传农药安全使用知识' }), 'saveItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    ok(await api.approve(reviewer, draft.id), 'approveVersion');

    for (const d of [start, addDays(start, -1), todayInChina(), '2025-09-01', '2025-06-01', '2024-01-01']) {
      expect([d, errorOf(await api.publish(editor, draft.id, d, '宜政发〔2026〕4号')).code]).toEqual([d, 'CONFLICT']);
    }
    expect(ok(await api.version(draft.id, editor), 'listVersion')).toMatchObject({ status: 'APPROVED', effectiveFrom: null, approvalDocNumber: null });
    const history = ok(await api.versions(XIZHU, 'RESPONSIBILITY', editor), 'listVersions');
    expect(history.map((v: any) => [v.number, v.status, v.effectiveFrom, v.effectiveTo])).toEqual([
      [4, 'APPROVED', null, null],
      [3, 'PUBLISHED', start, null],
      [2, 'SUPERSEDED', '2025-09-01', start],
      [1, 'SUPERSEDED', '2025-03-01', '2025-09-01'],
    ]);
    expect(ok(await api.inForce(XIZHU, 'RESPONSIBILITY', '2025-06-01'), 'listVersionInForce').number).toBe(1);

    // the day after the latest start is accepted: a correction is a new version
    const next = addDays(start, 1);
    expect(ok(await api.publish(editor, draft.id, next, '宜政发〔2026〕4号'), 'publishVersion')).toMatchObject({ number: 4, effectiveFrom: next });
    expect(ok(await api.version(xzVersion[3].id), 'listVersion')).toMatchObject({ status: 'SUPERSEDED', effectiveFrom: start, effectiveTo: next });
  });
});
