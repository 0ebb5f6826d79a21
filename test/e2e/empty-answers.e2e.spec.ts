import { addDays, listApi, ok, todayInChina, TOWN_A, TOWN_B } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/**
 * Why an answer of whoIsAccountable is empty (emptyReason, on both endpoints), the status words of
 * a version (statusLabel), a version's content hash and an item's history across versions.
 */
const ASK = `query($q: String!, $r: String!, $d: Date) {
  whoIsAccountable(question: $q, regionCode: $r, asOf: $d) {
    emptyReason answers { item { itemCode } }
    removedIn { id number approvalDocNumber effectiveFrom }
    removedItem { itemCode name }
  }
}`;

describe('empty answers say why; versions say whether they are in force', () => {
  let app: TestApp;
  let reviewer: string;

  beforeAll(async () => {
    app = await startTestApp();
    reviewer = await app.createUser('ea-reviewer', 'REVIEWER', '320282');
  });
  afterAll(async () => {
    await app?.close();
  });

  const both = async (q: string, r: string, d: string | null = null) => {
    const pub = ok(await app.publicGql(ASK, { q, r, d }), 'whoIsAccountable');
    const adm = ok(await app.adminGql(ASK, { q, r, d }), 'whoIsAccountable');
    expect(adm).toEqual(pub);
    return pub;
  };

  it('an answer that exists has no empty reason', async () => {
    const r = await both('村口有人乱搭棚子归哪里管', TOWN_A);
    expect(r.answers[0].item.itemCode).toBe('320282-100-JB-002');
    expect(r.emptyReason).toBeNull();
    expect(r.removedIn).toBeNull();
  });

  it('NO_LIST_IN_FORCE on a date before any list, for a township and for its county', async () => {
    expect((await both('村口有人乱搭棚子归哪里管', TOWN_A, '2000-01-01')).emptyReason).toBe('NO_LIST_IN_FORCE');
    expect((await both('违建', '320282', '2024-12-31')).emptyReason).toBe('NO_LIST_IN_FORCE');
    // a township of the county that never had a list
    expect((await both('违建', '320282101')).emptyReason).toBe('NO_LIST_IN_FORCE');
  });

  it('REMOVED_IN_VERSION names the version that took the matter off the list', async () => {
    const before = await both('校外培训机构', TOWN_A, '2026-06-30');
    expect(before.answers.map((a: any) => a.item.itemCode)).toContain('320282-100-PH-004');
    const after = await both('校外培训机构', TOWN_A, '2026-07-01');
    expect(after.answers).toEqual([]);
    expect(after.emptyReason).toBe('REMOVED_IN_VERSION');
    expect(after.removedIn).toMatchObject({ number: 2, approvalDocNumber: '宜政发〔2026〕31号', effectiveFrom: '2026-07-01' });
    expect(after.removedItem.itemCode).toBe('320282-100-PH-004');
  });

  it('NO_MATCH when the lists in force hold nothing like it', async () => {
    const r = await both('火星探测', TOWN_A);
    expect(r).toMatchObject({ answers: [], emptyReason: 'NO_MATCH', removedIn: null, removedItem: null });
  });

  it('a version in force whose successor is scheduled reads 现行有效 with the date, not 已被替代', async () => {
    const api = listApi(app);
    const q = `query($r:String!){ listVersions(regionCode:$r, kind:RESPONSIBILITY){ number status statusLabel effectiveFrom effectiveTo } }`;
    const a = ok(await app.publicGql(q, { r: TOWN_A }), 'listVersions');
    expect(a.map((v: any) => [v.number, v.status, v.statusLabel])).toEqual([
      [2, 'PUBLISHED', '现行有效'],
      [1, 'SUPERSEDED', '已被替代（自 2026-07-01 起由 v2 施行）'],
    ]);
    const start = addDays(todayInChina(), 30);
    const v2 = await api.publishWith({ editor: app.adminToken, reviewer }, TOWN_B, 'RESPONSIBILITY', [], start, '宜政发〔2099〕1号');
    expect(v2.number).toBe(2);
    const b = ok(await app.publicGql(q, { r: TOWN_B }), 'listVersions');
    expect(b.map((v: any) => [v.number, v.status, v.statusLabel])).toEqual([
      [2, 'PUBLISHED', `已发布，将于 ${start} 起施行`],
      [1, 'SUPERSEDED', `现行有效（v2 将于 ${start} 起施行）`],
    ]);
  });

  it('a content hash per version, the same on both endpoints and for every call', async () => {
    const q = `query($r:String!){ listVersions(regionCode:$r, kind:RESPONSIBILITY){ number contentHash } }`;
    const pub = ok(await app.publicGql(q, { r: TOWN_A }), 'listVersions');
    expect(pub.every((v: any) => /^[0-9a-f]{64}$/.test(v.contentHash))).toBe(true);
    expect(pub[0].contentHash).not.toBe(pub[1].contentHash);
    expect(ok(await app.adminGql(q, { r: TOWN_A }), 'listVersions')).toEqual(pub);
  });

  it("an item's history: its states across versions, and unknown items are null", async () => {
    const q = `query($r:String!,$c:String!){ itemHistory(regionCode:$r, itemCode:$c){ kind versions { number } states { fromVersion toVersion item { itemCode keywords } } } }`;
    const changed = ok(await app.publicGql(q, { r: TOWN_A, c: '320282-100-JB-003' }), 'itemHistory');
    expect(changed.kind).toBe('RESPONSIBILITY');
    expect(changed.versions.map((v: any) => v.number)).toEqual([2, 1]);
    expect(changed.states.map((s: any) => [s.fromVersion, s.toVersion])).toEqual([[1, 2], [2, null]]);
    expect(changed.states[1].item.keywords).toContain('冒黑烟');
    const removed = ok(await app.publicGql(q, { r: TOWN_A, c: '320282-100-PH-004' }), 'itemHistory');
    expect(removed.states.map((s: any) => [s.fromVersion, s.toVersion])).toEqual([[1, 2]]);
    expect(ok(await app.publicGql(q, { r: TOWN_A, c: 'NO-SUCH' }), 'itemHistory')).toBeNull();
  });
});
