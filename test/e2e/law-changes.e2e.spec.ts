// When a law changes (issue 18): the demo town lights up; a catalogue change (new version with a
// crosswalk, a repeal, text added later) re-resolves citations and raises alerts; acting on them
// makes a draft that changes only citations; publishing closes them; scope keeps them to the county.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemActor } from '../../src/auth/actor.js';
import { BasisAlertsService } from '../../src/modules/basis-alerts/basis-alerts.service.js';
import { readCsvGrid } from '../../src/modules/import-export/sheet-readers.js';
import { catalogueFromGrids } from '../../src/modules/legal/catalogue-sheet.js';
import { COUNTY, errorOf, listApi, ok, sqlRefusal, townshipItems } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const XUSHE = '320282103'; // 徐舍镇: demo list v1 from 2025-01-01 citing old article numbers
const XIZHU = '320282101'; // 西渚镇: no demo list
const FIXTURES = join(process.cwd(), 'test/fixtures/legal-catalogue');
const ALERT_FIELDS = `id kind status regionCode itemCode itemName citationRaw citationLabel oldText newText proposedCitation draftVersionId dismissReason closedBy`;
const T = '测试乡镇管理条例';

describe('law changes: catalogue versions, crosswalk and basis alerts', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let reviewer: string;
  let stranger: string;
  const xz = townshipItems(XIZHU, '西渚镇人民政府');
  const itemA = { ...xz.basic, legalBasis: `《${T}》第五条；《${T}》第六条；第七条` };
  const itemB = { ...xz.coop, legalBasis: '《测试旧办法》第三条' };
  const itemC = { ...xz.basic, itemCode: xz.code('JB-002'), name: '测试工作台账', legalBasis: `《测试条例》第九条` };
  let v1: any;

  const alerts = (token: string, region: string | null, status: string | null = null) =>
    app.adminGql(`query($r:String,$s:BasisAlertStatus){ basisAlerts(regionCode:$r, status:$s){ ${ALERT_FIELDS} } }`, { r: region, s: status }, token);
  const act = (token: string, id: string, legalBasis: string | null = null) =>
    app.adminGql(`mutation($a:ID!,$l:String){ actOnBasisAlert(alertId:$a, legalBasis:$l){ ${ALERT_FIELDS} } }`, { a: id, l: legalBasis }, token);
  const dismiss = (token: string, id: string, reason: string) =>
    app.adminGql(`mutation($a:ID!,$r:String!){ dismissBasisAlert(alertId:$a, reason:$r){ ${ALERT_FIELDS} } }`, { a: id, r: reason }, token);
  const except = (token: string, versionId: string, itemCode: string, reason: string) =>
    app.adminGql('mutation($v:ID!,$c:String!,$r:String!){ recordGateException(versionId:$v, itemCode:$c, reason:$r){ id } }', { v: versionId, c: itemCode, r: reason }, token);
  const importFiles = (...names: string[]) =>
    app.registry.app.get(BasisAlertsService).importCatalogue(
      systemActor('test'),
      catalogueFromGrids(names.map((n) => ({ ...readCsvGrid(readFileSync(join(FIXTURES, n), 'utf8')), name: n }))),
    );
  const publishedCitations = async (versionId: string, itemCode: string) => {
    const r = await app.publicGql(
      `query($id:ID!){ listVersion(id:$id){ items(first:100){ edges { node { itemCode citations { label resolved text } } } } } }`,
      { id: versionId },
    );
    return ok(r, 'listVersion').items.edges.find((e: any) => e.node.itemCode === itemCode).node.citations;
  };

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    ok(await api.createBody('西渚镇人民政府', XIZHU), 'createBody');
    editor = await app.createUser('law-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('law-reviewer', 'REVIEWER', COUNTY);
    stranger = await app.createUser('law-stranger', 'EDITOR', '320281'); // 江阴市: another county
  });
  afterAll(() => app?.close());

  it('the demo town 徐舍镇 lights up on a fresh start, each alert with the proposed new article', async () => {
    const found = ok(await alerts(app.adminToken, XUSHE), 'basisAlerts');
    const byLabel = Object.fromEntries(found.map((a: any) => [a.citationLabel, a]));
    expect(found.every((a: any) => a.status === 'OPEN' && a.regionCode === '320282103000')).toBe(true);
    expect(byLabel['《中华人民共和国统计法》第二十七条第三款']).toMatchObject({
      kind: 'RENUMBERED', itemCode: '320282-103-JB-011', proposedCitation: '《中华人民共和国统计法》第三十条第三款',
      oldText: expect.stringContaining('乡、镇人民政府设置统计工作岗位'), newText: expect.stringContaining('乡、镇人民政府设置统计工作岗位'),
    });
    // 1996 第二十条 (管辖) was split into 2021 第二十二条 (地域管辖) and 第二十三条 (级别管辖).
    expect(byLabel['《中华人民共和国行政处罚法》第二十条']).toMatchObject({
      kind: 'RENUMBERED', itemCode: '320282-103-SH-003', proposedCitation: '《中华人民共和国行政处罚法》第二十二条、第二十三条',
      oldText: expect.stringContaining('违法行为发生地的县级以上地方人民政府'), newText: expect.stringMatching(/第二十二条：.*\n第二十三条：/),
    });
    // 张渚镇 cites the current numbers: nothing to say.
    expect(ok(await alerts(app.adminToken, '320282100'), 'basisAlerts')).toEqual([]);
  });

  it('public reads: the catalogue by search, an instrument with versions and crosswalk, a provision at a date', async () => {
    const [inst] = ok(await app.publicGql('{ legalInstruments(search:"行政处罚法"){ id title shortTitle rank versions { effectiveFrom docNumber crosswalk { from to change verified } } } }'), 'legalInstruments');
    expect(inst).toMatchObject({ title: '中华人民共和国行政处罚法', shortTitle: '行政处罚法', rank: '法律' });
    expect(inst.versions.map((v: any) => v.effectiveFrom)).toEqual(['1996-10-01', '2021-07-15']);
    expect(inst.versions[0].crosswalk.filter((x: any) => x.from === '第二十条')).toEqual([
      { from: '第二十条', to: '第二十二条', change: 'SPLIT', verified: true },
      { from: '第二十条', to: '第二十三条', change: 'SPLIT', verified: true },
    ]);
    const one = ok(await app.publicGql(`query($id:ID!){ legalInstrument(id:$id){ title versions { provisions { label text } } } }`, { id: inst.id }), 'legalInstrument');
    expect(one.versions[1].provisions.map((p: any) => p.label)).toEqual(expect.arrayContaining(['第二十二条', '第二十三条', '第二十四条第一款']));
    const q = '{ a: provision(instrument:"统计法", article:30, paragraph:3, asOf:"2025-01-01"){ label text } b: provision(instrument:"统计法", article:27, paragraph:3, asOf:"2015-01-01"){ label text } c: provision(instrument:"统计法", article:27, paragraph:3, asOf:"2025-01-01"){ label } }';
    const r = await app.publicGql(q);
    expect(r.errors).toBeUndefined();
    expect(r.data.a).toMatchObject({ label: '第三十条第三款', text: expect.stringContaining('统计工作岗位') });
    expect(r.data.b).toMatchObject({ label: '第二十七条第三款' });
    expect(r.data.c).toBeNull(); // in 2025 the 2024 text is in force, whose 第二十七条 the catalogue does not hold
  });

  it('a catalogue change re-resolves published citations by the list date and raises renumbered, amended, deleted and repealed alerts', async () => {
    await importFiles('条文-原版本.csv');
    const draft = ok(await api.createDraft(editor, XIZHU, 'RESPONSIBILITY'), 'createDraft');
    for (const item of [itemA, itemB, itemC]) ok(await api.saveItem(editor, draft.id, item), 'saveItem');
    // A citation the catalogue cannot resolve needs a reason before review (the county workflow's gate).
    ok(await except(editor, draft.id, itemC.itemCode, '第九条待法规库补录'), 'recordGateException');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    ok(await api.approve(reviewer, draft.id, '经合法性审查，同意。', '2025-01-01'), 'approveVersion'); // a past date: the approval names it
    v1 = ok(await api.publish(editor, draft.id, '2025-01-01', '宜政发〔2025〕7号'), 'publishVersion');
    // 第九条 is not in the catalogue yet: the citation never resolved, and says so.
    expect((await publishedCitations(v1.id, itemC.itemCode))[0]).toMatchObject({ resolved: false, text: null });
    expect(ok(await alerts(editor, XIZHU), 'basisAlerts').map((a: any) => [a.kind, a.citationLabel])).toEqual([['UNRESOLVED', '《测试条例》第九条']]);

    const { result, alerts: counts } = await importFiles('条文.csv', '条文对照.csv', '废止.csv');
    expect(result).toMatchObject({ provisions: 5, crosswalk: 4, repeals: 1 });
    expect(result.citationsReresolved).toBeGreaterThanOrEqual(1);
    expect(counts.created).toBe(4);

    // Text added later to the law the list was compiled under shows; the 2026 text never does.
    expect((await publishedCitations(v1.id, itemC.itemCode))[0]).toMatchObject({ resolved: true, text: '乡镇人民政府应当建立测试工作台账。' });
    const a = await publishedCitations(v1.id, itemA.itemCode);
    expect(a.map((c: any) => [c.label, c.text])).toEqual([
      [`《${T}》第五条`, '乡镇人民政府负责本行政区域内的测试管理工作。'],
      [`《${T}》第六条`, '乡镇人民政府应当每年组织一次测试检查。'],
      [`《${T}》第七条`, '村民委员会协助乡镇人民政府开展测试宣传。'],
    ]);

    const open = ok(await alerts(editor, XIZHU), 'basisAlerts');
    const kinds = Object.fromEntries(open.map((x: any) => [x.kind, x]));
    expect(open.map((x: any) => x.kind).sort()).toEqual(['AMENDED', 'DELETED', 'RENUMBERED', 'REPEALED']);
    expect(kinds.RENUMBERED).toMatchObject({ citationLabel: `《${T}》第五条`, proposedCitation: `《${T}》第八条`, oldText: '乡镇人民政府负责本行政区域内的测试管理工作。' });
    expect(kinds.AMENDED).toMatchObject({ citationLabel: `《${T}》第六条`, oldText: '乡镇人民政府应当每年组织一次测试检查。', newText: '乡镇人民政府应当每半年组织一次测试检查，并向县级人民政府报告结果。' });
    expect(kinds.DELETED).toMatchObject({ citationLabel: `《${T}》第七条`, proposedCitation: null });
    expect(kinds.REPEALED).toMatchObject({ itemCode: itemB.itemCode, proposedCitation: '《测试新办法》', oldText: '乡镇人民政府负责受理测试登记申请。' });
    // The never-resolved one resolves now: closed, still listed as such.
    expect(ok(await alerts(editor, XIZHU, 'CLOSED'), 'basisAlerts').map((x: any) => x.citationLabel)).toContain('《测试条例》第九条');
  });

  it('an EDITOR of another county sees none of them and can act on none', async () => {
    expect(ok(await alerts(stranger, null), 'basisAlerts')).toEqual([]);
    expect(errorOf(await alerts(stranger, XIZHU)).code).toBe('FORBIDDEN');
    expect(errorOf(await alerts(stranger, XUSHE)).code).toBe('FORBIDDEN');
    const [any] = ok(await alerts(editor, XIZHU), 'basisAlerts');
    expect(errorOf(await act(stranger, any.id)).code).toBe('FORBIDDEN');
    expect(errorOf(await dismiss(stranger, any.id, '不相干')).code).toBe('FORBIDDEN');
    // A county editor sees the county's alerts without naming a township.
    expect(ok(await alerts(editor, null), 'basisAlerts').length).toBeGreaterThanOrEqual(6);
  });

  it('dismissing needs a reason', async () => {
    const deleted = ok(await alerts(editor, XIZHU), 'basisAlerts').find((x: any) => x.kind === 'DELETED');
    expect(errorOf(await dismiss(editor, deleted.id, '  '))).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(ok(await dismiss(editor, deleted.id, '第七条的内容已并入村规民约，暂不调整'), 'dismissBasisAlert')).toMatchObject({ status: 'DISMISSED', dismissReason: '第七条的内容已并入村规民约，暂不调整' });
    expect(errorOf(await dismiss(editor, deleted.id, '再来一次')).code).toBe('CONFLICT');
  });

  it('acting opens one draft (立改废释) whose diff changes only citations; publishing closes the alerts', async () => {
    const open = ok(await alerts(editor, XIZHU), 'basisAlerts');
    const renumbered = open.find((x: any) => x.kind === 'RENUMBERED');
    const repealed = open.find((x: any) => x.kind === 'REPEALED');
    const amended = open.find((x: any) => x.kind === 'AMENDED');
    const first = ok(await act(editor, renumbered.id), 'actOnBasisAlert');
    expect(first.draftVersionId).toEqual(expect.any(String));
    const draft = ok(await api.version(first.draftVersionId, editor), 'listVersion');
    expect(draft).toMatchObject({ status: 'DRAFT', changeReason: '立改废释', number: 2 });
    // The next alert reuses the open draft; the editor may adjust the proposed text.
    expect(ok(await act(editor, repealed.id, '《测试新办法》第三条'), 'actOnBasisAlert').draftVersionId).toBe(draft.id);
    expect(ok(await act(editor, amended.id), 'actOnBasisAlert').draftVersionId).toBe(draft.id);

    const diff = ok(await api.diff(v1.id, draft.id, editor), 'versionDiff');
    expect(diff.changes.map((c: any) => [c.itemCode, c.change, c.fields.map((f: any) => f.field)])).toEqual([
      [itemA.itemCode, 'CHANGED', ['citations']],
      [itemB.itemCode, 'CHANGED', ['citations']],
    ]);
    const fieldA = diff.changes[0].fields[0];
    expect(fieldA.before).toContain(`《${T}》第五条`);
    expect(fieldA.after).toContain(`《${T}》第八条`);
    expect(fieldA.after).toContain(`《${T}》第六条`);

    // 第七条 no longer exists in the 2026 text: the editor gives the reason the dismissed alert gave.
    ok(await except(editor, draft.id, itemA.itemCode, '第七条的内容已并入村规民约，暂不调整'), 'recordGateException');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    const inReview = ok(await alerts(editor, XIZHU), 'basisAlerts').find((x: any) => x.kind === 'DELETED');
    expect(inReview).toBeUndefined(); // the DELETED alert was dismissed above
    ok(await api.approve(reviewer, draft.id, '同意', '2026-06-01'), 'approveVersion');
    ok(await api.publish(editor, draft.id, '2026-06-01', '宜政发〔2026〕9号'), 'publishVersion');

    const closed = ok(await alerts(editor, XIZHU, 'CLOSED'), 'basisAlerts');
    for (const id of [renumbered.id, repealed.id, amended.id]) expect(closed.find((x: any) => x.id === id)).toMatchObject({ status: 'CLOSED', closedBy: 'law-editor' });
    // The new row still cites 第七条, deleted by the 2026 text: the new version gets its own alert; nothing else is open.
    expect(ok(await alerts(editor, XIZHU), 'basisAlerts').map((x: any) => [x.kind, x.itemCode, x.citationLabel])).toEqual([['DELETED', itemA.itemCode, `《${T}》第七条`]]);
    // The published v2 reads the 2026 text (in force on its effectiveFrom).
    const a2 = await publishedCitations(draft.id, itemA.itemCode);
    expect(a2.map((c: any) => [c.label, c.resolved])).toEqual([[`《${T}》第八条`, true], [`《${T}》第六条`, true], [`《${T}》第七条`, false]]);
    expect(a2[1].text).toBe('乡镇人民政府应当每半年组织一次测试检查，并向县级人民政府报告结果。');
  });

  it('every step is audited', async () => {
    const rows: { action: string }[] = await app.dataSource.query(
      `SELECT DISTINCT action FROM audit_event WHERE action IN ('importLegalCatalogue','reresolveCitations','detectBasisAlerts','actOnBasisAlert','dismissBasisAlert','closeBasisAlerts')`,
    );
    expect(rows.map((r) => r.action).sort()).toEqual(['actOnBasisAlert', 'closeBasisAlerts', 'detectBasisAlerts', 'dismissBasisAlert', 'importLegalCatalogue', 'reresolveCitations']);
  });

  it('the database lets a published citation change only its resolution', async () => {
    const [row] = await app.dataSource.query(
      `SELECT c.id FROM item_citation c JOIN list_item i ON i.id = c.item_id WHERE NOT i.pending AND i.region_code = $1 LIMIT 1`,
      ['320282101000'],
    );
    expect((await sqlRefusal(app, `UPDATE item_citation SET raw = 'x' WHERE id = $1`, [row.id])).message).toMatch(/never updated/);
    expect((await sqlRefusal(app, `UPDATE item_citation SET article = 99, resolved = false WHERE id = $1`, [row.id])).message).toMatch(/never updated/);
    await app.dataSource.query(`UPDATE item_citation SET resolved = resolved, provision_id = provision_id WHERE id = $1`, [row.id]);
  });
});
