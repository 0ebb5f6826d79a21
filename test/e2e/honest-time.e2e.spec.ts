// Honest time (issue 20): a publication dated in the past needs an approval naming that date;
// every version records when it was published; as-of reads can be asked `knownAt` and reproduce
// what the registry told the public then; a late publication shows as a correction. Four eyes:
// the approver wrote no item of the version.
import { addDays, COUNTY, errorOf, listApi, ok, todayInChina, TOWN_A, TOWN_B, townshipItems } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const XIZHU = '320282101'; // 西渚镇: no demo list

const IN_FORCE = `query($r:String!,$d:Date,$k:DateTime){ listVersionInForce(regionCode:$r, kind:RESPONSIBILITY, asOf:$d, knownAt:$k){
  id number status effectiveFrom effectiveTo publishedAt correction } }`;
const HISTORY = `query($r:String!,$k:DateTime){ listVersions(regionCode:$r, kind:RESPONSIBILITY, knownAt:$k){ number status effectiveFrom effectiveTo correction } }`;
const DIFF = `query($a:ID!,$b:ID!,$k:DateTime){ versionDiff(fromVersionId:$a, toVersionId:$b, knownAt:$k){ changes { itemCode change } } }`;
const ASK = `query($q:String!,$r:String!,$d:Date,$k:DateTime){ whoIsAccountable(question:$q, regionCode:$r, asOf:$d, knownAt:$k){
  answers { item { itemCode name } version { number } } } }`;

describe('honest time: backdated publications, knownAt reads, corrections', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let reviewer: string;
  const today = todayInChina();
  const xz = townshipItems(XIZHU, '西渚镇人民政府');
  const v: Record<number, any> = {};

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    ok(await api.createBody('西渚镇人民政府', XIZHU), 'createBody');
    editor = await app.createUser('ht-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('ht-reviewer', 'REVIEWER', COUNTY);
  });
  afterAll(() => app?.close());

  /** A submitted draft of 西渚镇's responsibility list with `items` saved by the editor. */
  async function submitted(items: Record<string, unknown>[]) {
    const draft = ok(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY'), 'createDraft');
    for (const item of items) ok(await api.saveItem(editor, draft.id, item as any), 'saveItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    return draft.id as string;
  }

  it('refuses a past start date after an approval that named no date (the outside review\'s case); today is no correction', async () => {
    const history = ok(await api.versions(TOWN_A, 'RESPONSIBILITY'), 'listVersions');
    const draft = ok(await api.createDraft(editor, TOWN_A, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.removeItem(editor, draft.id, '320282-100-JB-002'), 'removeItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    ok(await api.approve(reviewer, draft.id, '同意'), 'approveVersion');
    const refused = await api.publish(editor, draft.id, addDays(today, -10), '宜政发〔2026〕99号');
    expect(errorOf(refused)).toEqual({ code: 'CONFLICT', field: 'effectiveFrom' });
    expect(refused.errors![0].message).toContain('生效日期');
    expect(ok(await api.version(draft.id, editor), 'listVersion')).toMatchObject({ status: 'APPROVED', publishedAt: null });
    expect(ok(await api.versions(TOWN_A, 'RESPONSIBILITY'), 'listVersions')).toEqual(history); // the public history: nothing rewritten
    // Today (or later) needs no date in the approval, and is no correction.
    const published = ok(await api.publish(editor, draft.id, today, '宜政发〔2026〕99号'), 'publishVersion');
    expect(published).toMatchObject({ number: 3, status: 'PUBLISHED', approvedEffectiveFrom: null, correction: false, publishedAt: expect.any(String) });
  });

  it('publishes a past date approved for exactly that date, as a correction; another date needs a new approval', async () => {
    const past = addDays(today, -100);
    const id = await submitted([xz.basic]);
    // An impossible approval date names the field.
    expect(errorOf(await api.approve(reviewer, id, '同意', '2026-02-30')).code).toBe('BAD_USER_INPUT');
    expect(ok(await api.approve(reviewer, id, '同意', past), 'approveVersion')).toMatchObject({ status: 'APPROVED', approvedEffectiveFrom: past });
    for (const other of [addDays(past, 1), addDays(past, -1), addDays(today, 10)]) {
      const r = await api.publish(editor, id, other, '宜政发〔2026〕1号');
      expect([other, errorOf(r)]).toEqual([other, { code: 'CONFLICT', field: 'effectiveFrom' }]);
    }
    const before = Date.now();
    v[1] = ok(await api.publish(editor, id, past, '宜政发〔2026〕1号'), 'publishVersion');
    expect(v[1]).toMatchObject({ number: 1, status: 'PUBLISHED', effectiveFrom: past, approvedEffectiveFrom: past, correction: true });
    expect(new Date(v[1].publishedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('records publication times in the database (a CHECK), and the demo data as corrections approved for their dates', async () => {
    const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM list_version WHERE status IN ('PUBLISHED','SUPERSEDED') AND published_at IS NULL`);
    expect(row.n).toBe(0);
    const history = ok(await api.versions(TOWN_B, 'RESPONSIBILITY'), 'listVersions');
    expect(history.map((h: any) => [h.number, h.effectiveFrom, h.approvedEffectiveFrom, h.correction])).toEqual([[1, '2025-01-01', '2025-01-01', true]]);
  });

  it('an approved past date still cannot start before the latest published version (history is not rewritten)', async () => {
    const earlier = addDays(today, -120); // before v1's start (today - 100)
    const id = await submitted([{ ...xz.basic, name: '乡村违法建设查处（更正）' }]);
    ok(await api.approve(reviewer, id, '同意', earlier), 'approveVersion');
    const refused = await api.publish(editor, id, earlier, '宜政发〔2026〕3号');
    expect(errorOf(refused)).toEqual({ code: 'CONFLICT', field: 'effectiveFrom' });
    expect(refused.errors![0].message).toContain('历史不可改写');
    expect(ok(await api.version(v[1].id, editor), 'listVersion')).toMatchObject({ status: 'PUBLISHED', effectiveTo: null });
  });

  it('reproduces what the public was told before a correction (valid time and publication time)', async () => {
    // A second township so the correction lies between two published versions.
    const GUANLIN = '320282104'; // 官林镇: no demo lists
    const ds = townshipItems(GUANLIN, '官林镇人民政府');
    ok(await api.createBody('官林镇人民政府', GUANLIN), 'createBody');
    const publish = async (items: any[], from: string, doc: string) => {
      const draft = ok(await api.createDraft(editor, GUANLIN, 'RESPONSIBILITY'), 'createDraft');
      for (const item of items) ok(await api.saveItem(editor, draft.id, item), 'saveItem');
      ok(await api.submit(editor, draft.id), 'submitForReview');
      ok(await api.approve(reviewer, draft.id, '同意', from), 'approveVersion');
      return ok(await api.publish(editor, draft.id, from, doc), 'publishVersion');
    };
    const d1 = await publish([ds.basic], addDays(today, -200), '宜政发〔2026〕11号');
    const d2 = await publish([{ ...ds.basic, name: '乡村违法建设查处（更正）' }], addDays(today, -60), '宜政发〔2026〕12号');
    expect(d2).toMatchObject({ number: 2, correction: true });
    const t1 = d1.publishedAt as string;
    const t2 = d2.publishedAt as string;
    expect(new Date(t2).getTime()).toBeGreaterThan(new Date(t1).getTime());
    const asOf = addDays(today, -30); // v2's time, known only since t2

    for (const gql of [app.publicGql.bind(app), (q: string, vars: any) => app.adminGql(q, vars, editor)]) {
      // now: v2
      expect(ok(await gql(IN_FORCE, { r: GUANLIN, d: asOf }), 'listVersionInForce')).toMatchObject({ number: 2, status: 'PUBLISHED', correction: true });
      // as known at v1's publication (and until v2's): v1, shown then as in force with no end
      const known1 = { number: 1, status: 'PUBLISHED', effectiveTo: null, correction: true };
      expect(ok(await gql(IN_FORCE, { r: GUANLIN, d: asOf, k: t1 }), 'listVersionInForce')).toMatchObject(known1);
      expect(ok(await gql(IN_FORCE, { r: GUANLIN, d: asOf, k: new Date(new Date(t2).getTime() - 1).toISOString() }), 'listVersionInForce')).toMatchObject(known1);
      expect(ok(await gql(IN_FORCE, { r: GUANLIN, d: asOf, k: t2 }), 'listVersionInForce')).toMatchObject({ number: 2 });
      // before anything was published: nothing
      expect(ok(await gql(IN_FORCE, { r: GUANLIN, d: asOf, k: new Date(new Date(t1).getTime() - 1).toISOString() }), 'listVersionInForce')).toBeNull();
      // v1's own days as known now: v1 with its end
      expect(ok(await gql(IN_FORCE, { r: GUANLIN, d: addDays(today, -100) }), 'listVersionInForce')).toMatchObject({ number: 1, status: 'SUPERSEDED', effectiveTo: d2.effectiveFrom });

      // history
      expect(ok(await gql(HISTORY, { r: GUANLIN, k: t1 }), 'listVersions')).toEqual([{ number: 1, status: 'PUBLISHED', effectiveFrom: d1.effectiveFrom, effectiveTo: null, correction: true }]);
      expect(ok(await gql(HISTORY, { r: GUANLIN }), 'listVersions').map((h: any) => [h.number, h.status, h.effectiveTo])).toEqual([
        [2, 'PUBLISHED', null],
        [1, 'SUPERSEDED', d2.effectiveFrom],
      ]);

      // diff: v2 was not published at t1
      expect(errorOf(await gql(DIFF, { a: d1.id, b: d2.id, k: t1 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'toVersionId' });
      expect(ok(await gql(DIFF, { a: d1.id, b: d2.id, k: t2 }), 'versionDiff').changes).toEqual([{ itemCode: ds.basic.itemCode, change: 'CHANGED' }]);

      // whoIsAccountable: the item as v1 said it then, as v2 says it now
      const ask = async (k?: string) => ok(await gql(ASK, { q: '违建', r: GUANLIN, d: asOf, k: k ?? null }), 'whoIsAccountable').answers;
      expect((await ask(t1)).map((a: any) => [a.item.itemCode, a.version.number, a.item.name])).toEqual([[ds.basic.itemCode, 1, ds.basic.name]]);
      expect((await ask()).map((a: any) => [a.item.itemCode, a.version.number, a.item.name])).toEqual([[ds.basic.itemCode, 2, '乡村违法建设查处（更正）']]);
      // a county-wide question as known at t1 finds 官林镇's v1 too
      const county = ok(await gql(ASK, { q: '违建', r: COUNTY, d: asOf, k: t1 }), 'whoIsAccountable').answers;
      expect(county.filter((a: any) => a.item.itemCode === ds.basic.itemCode).map((a: any) => a.version.number)).toEqual([1]);
    }
  });

  it('four eyes: the approver must not have written (saved or removed) an item of the version', async () => {
    const HUFU = '320282113';
    const th = townshipItems(HUFU, '湖㳇镇人民政府');
    ok(await api.createBody('湖㳇镇人民政府', HUFU), 'createBody');
    const admin2 = await app.createUser('ht-admin2', 'ADMIN', null);
    // An ADMIN saves one item of the editor's draft; the editor submits; that ADMIN may not approve it.
    const draft = ok(await api.createDraft(editor, HUFU, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.saveItem(editor, draft.id, th.basic), 'saveItem');
    ok(await api.saveItem(admin2, draft.id, th.coop), 'saveItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    const refused = await api.approve(admin2, draft.id, '同意');
    expect(errorOf(refused).code).toBe('FORBIDDEN');
    expect(refused.errors![0].message).toContain('编写');
    expect(ok(await api.version(draft.id, editor), 'listVersion').status).toBe('IN_REVIEW');
    ok(await api.approve(reviewer, draft.id, '同意'), 'approveVersion');
    ok(await api.publish(editor, draft.id, today, '宜政发〔2026〕21号'), 'publishVersion');
    const [row] = await app.dataSource.query(`SELECT written_by FROM list_item WHERE item_code = $1`, [th.coop.itemCode]);
    expect(row.written_by).toBe('ht-admin2');

    // A removal is a write too.
    const next = ok(await api.createDraft(editor, HUFU, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.saveItem(editor, next.id, { ...th.recl, legalBasis: '《中华人民共和国安全生产法》第九条第二款' }), 'saveItem'); // a basis: no gate finding
    ok(await api.removeItem(admin2, next.id, th.coop.itemCode), 'removeItem');
    ok(await api.submit(editor, next.id), 'submitForReview');
    expect(errorOf(await api.approve(admin2, next.id, '同意')).code).toBe('FORBIDDEN');
    // Another ADMIN who wrote nothing may approve.
    expect(ok(await api.approve(app.adminToken, next.id, '同意'), 'approveVersion').status).toBe('APPROVED');
  });

  it('county settings: a bound on how far back (approval and publication), and three parties for publication', async () => {
    const GUANLIN = '320282104'; // v1, v2 published above (starts 200 and 60 days ago)
    const settings = (input: Record<string, unknown>) =>
      app.adminGql('mutation($i:CountySettingsInput!){ updateCountySettings(countyCode:"320282", input:$i){ backdateLimitDays threePartyPublication } }', { i: input }, app.adminToken);
    expect(ok(await settings({ backdateLimitDays: 30, threePartyPublication: true }), 'updateCountySettings')).toEqual({ backdateLimitDays: 30, threePartyPublication: true });
    try {
      const third = await app.createUser('ht-publisher', 'EDITOR', COUNTY);
      const gl = townshipItems(GUANLIN, '官林镇人民政府');
      const draft = ok(await api.createDraft(editor, GUANLIN, 'RESPONSIBILITY'), 'createDraft');
      ok(await api.saveItem(editor, draft.id, gl.coop), 'saveItem');
      ok(await api.submit(editor, draft.id), 'submitForReview');
      // 45 days back is past the county's 30
      const tooFar = await api.approve(app.adminToken, draft.id, '同意', addDays(today, -45));
      expect(errorOf(tooFar)).toEqual({ code: 'CONFLICT', field: 'effectiveFrom' });
      expect(tooFar.errors![0].extensions).toMatchObject({ backdateLimitDays: 30, earliest: addDays(today, -30) });
      const from = addDays(today, -20);
      ok(await api.approve(app.adminToken, draft.id, '同意', from), 'approveVersion');
      // the submitter and the approver may not publish; a third person may
      for (const who of [editor, app.adminToken]) {
        const r = await api.publish(who, draft.id, from, '宜政发〔2026〕31号');
        expect(errorOf(r).code).toBe('FORBIDDEN');
        expect(r.errors![0].message).toContain('三人');
      }
      // the bound holds at publication too (the setting may have changed since the approval)
      ok(await settings({ backdateLimitDays: 10 }), 'updateCountySettings');
      expect(errorOf(await api.publish(third, draft.id, from, '宜政发〔2026〕31号'))).toEqual({ code: 'CONFLICT', field: 'effectiveFrom' });
      ok(await settings({ backdateLimitDays: null }), 'updateCountySettings'); // no bound
      expect(ok(await api.publish(third, draft.id, from, '宜政发〔2026〕31号'), 'publishVersion')).toMatchObject({
        number: 3, status: 'PUBLISHED', submittedBy: 'ht-editor', approvedBy: expect.any(String), publishedBy: 'ht-publisher', correction: true,
      });
    } finally {
      ok(await settings({ backdateLimitDays: null, threePartyPublication: false }), 'updateCountySettings');
    }
  });
});
