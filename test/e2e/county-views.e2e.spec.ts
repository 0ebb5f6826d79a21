import { parseAtomFeed } from 'feedsmith';
import { codeOf, type TestApp, startTestApp } from '../setup/test-app.js';
import { listApi, ok, todayInChina } from '../setup/lists-api.js';

/**
 * County-wide views on the demo county 宜兴市: 张渚镇 (A), 丁蜀镇 (C, deliberately inconsistent)
 * and 徐舍镇 (B) — the matrix and its flags, the findings, a department's duties, the editors'
 * links, the Atom feed; and the matrix's statement count, the same for a larger county.
 */
const ASOF = '2026-12-01';
const A = '320282100000';
const B = '320282103000';
const C = '320282112000';
const MATRIX = `query($c:String!, $k:ListKind!, $d:Date) { countyMatrix(countyCode:$c, kind:$k, asOf:$d) { countyCode countyName kind asOf
  townships { code name versionNumber approvalDocNumber }
  matters { id name evidence townshipCount flags { kind message townshipCodes }
    cells { townshipCode role itemCode itemName accountableBody { name level } basis instruments versionNumber itemCount } } } }`;
const FINDINGS = `query($c:String!, $d:Date) { countyFindings(countyCode:$c, asOf:$d) { kind message townshipCode townshipName listKind itemCodes body { name } } }`;
const DUTIES = `query($b:ID!, $d:Date) { bodyDuties(bodyId:$b, asOf:$d) { body { name } accountableCount reclaimedCount cooperatingCount
  duties { relation townshipName listKind itemCode itemName section townshipRole accountableBody { name } cooperatingDuty townshipDuty } } }`;
const LINK = (op: string) => `mutation($a:String!, $ia:String!, $b:String!, $ib:String!) { ${op}(countyCode:"320282", kind: RESPONSIBILITY, regionCodeA:$a, itemCodeA:$ia, regionCodeB:$b, itemCodeB:$ib) }`;

type Matrix = { townships: { code: string; name: string }[]; matters: any[] };
const matterWith = (m: Matrix, township: string, itemCode: string) => m.matters.find((x) => x.cells.some((c: any) => c.townshipCode === township && c.itemCode === itemCode));
const cellOf = (matter: any, township: string) => matter.cells.find((c: any) => c.townshipCode === township);
const flagKinds = (matter: any) => matter.flags.map((f: any) => f.kind);
/** Atom text constructs as feedsmith reads them: a string, or { value }. */
const text = (t: unknown) => (typeof t === 'string' ? t : (t as { value?: string } | undefined)?.value);

describe('county views', () => {
  let app: TestApp;
  let matrix: Matrix;

  beforeAll(async () => {
    app = await startTestApp();
    matrix = ok(await app.publicGql(MATRIX, { c: '320282', k: 'RESPONSIBILITY', d: ASOF }), 'countyMatrix');
  });
  afterAll(async () => {
    await app?.close();
  });

  async function count<T>(work: () => Promise<T>): Promise<{ n: number; result: T }> {
    const logger = app.dataSource.logger;
    const original = logger.logQuery;
    let n = 0;
    logger.logQuery = (...args: Parameters<typeof original>) => {
      n++;
      return original.apply(logger, args);
    };
    try {
      const result = await work();
      return { n, result };
    } finally {
      logger.logQuery = original;
    }
  }

  it('the matrix: one column per township with a list in force, matters across townships whatever each called them', () => {
    expect(matrix.townships.map((t) => t.name)).toEqual(['张渚镇', '徐舍镇', '丁蜀镇']);
    // 张渚镇 calls it 秸秆禁烧与综合利用 (joined by the concept lexicon), 丁蜀镇 and 徐舍镇 秸秆禁烧网格化管控
    const straw = matterWith(matrix, B, '320282-103-JB-003');
    expect(straw.cells.map((c: any) => [c.role, c.itemName])).toEqual([
      ['LEAD', '秸秆禁烧与综合利用'], ['LEAD', '秸秆禁烧网格化管控'], ['LEAD', '秸秆禁烧网格化管控'],
    ]);
    // 违规土葬和乱埋乱葬治理 / 殡葬改革: the same articles of 殡葬管理条例
    const burial = matterWith(matrix, A, '320282-100-PH-002');
    expect(burial.evidence).toContain('CITATIONS');
    expect(burial.cells.map((c: any) => c.role)).toEqual(['COOPERATE', 'COOPERATE', 'COOPERATE']);
    expect(cellOf(burial, B)).toMatchObject({ itemCode: '320282-103-PH-002', accountableBody: { name: '宜兴市民政局', level: 'COUNTY' }, versionNumber: 1 });
    // every item of every township is in exactly one matter
    const placed = matrix.matters.flatMap((m) => m.cells.filter((c: any) => c.itemCode).map((c: any) => c.itemCount)).reduce((a, b) => a + b, 0);
    expect(placed).toBe(45 + 24 + 12);
  });

  it('flags each kind of inconsistency of the demo data', () => {
    const sand = matterWith(matrix, C, '320282-112-JB-003'); // 河道采砂管理: 丁蜀镇 leads it, 徐舍镇 says the 水利局 took it back
    expect(sand.cells.map((c: any) => c.role)).toEqual(['COOPERATE', 'RECLAIMED', 'LEAD']);
    expect(sand.flags.find((f: any) => f.kind === 'LEAD_AND_RECLAIMED')).toEqual({
      kind: 'LEAD_AND_RECLAIMED', townshipCodes: [C, B], message: '丁蜀镇列为本乡镇基本履职，徐舍镇列为已由上级部门收回',
    });
    const land = matterWith(matrix, C, '320282-112-SH-003'); // 农村村民非法占用土地建住宅行政处罚: 自然资源和规划局 here, 农业农村局 there
    expect(flagKinds(land)).toContain('RECLAIMED_BY_DIFFERENT_BODIES');
    expect(land.flags.find((f: any) => f.kind === 'RECLAIMED_BY_DIFFERENT_BODIES').message).toBe('收回部门不一致：徐舍镇为宜兴市农业农村局，丁蜀镇为宜兴市自然资源和规划局');
    const marriage = matterWith(matrix, C, '320282-112-SH-002'); // 婚姻登记: 民法典 here, 婚姻登记条例 elsewhere
    expect(flagKinds(marriage)).toEqual(['DIFFERENT_LEGAL_BASES']);
    expect(marriage.flags[0].townshipCodes.sort()).toEqual([A, B, C].sort());
    expect(cellOf(marriage, C).instruments).toEqual(['中华人民共和国民法典']);
    const census = matterWith(matrix, C, '320282-112-SH-001'); // 户口登记: 公安局 in A and B, 张渚派出所 in C
    expect(flagKinds(census)).toContain('RECLAIMED_BY_DIFFERENT_BODIES');
    const fire = matterWith(matrix, A, '320282-100-PH-015');
    expect(fire.flags).toEqual([]);
    const mediation = matterWith(matrix, A, '320282-100-JB-004'); // 矛盾纠纷: 张渚镇 and 徐舍镇 list it, 丁蜀镇 does not
    expect(mediation.flags).toEqual([{ kind: 'MISSING_IN_TOWNSHIP', townshipCodes: [C], message: '3个乡镇中2个列入此事项，丁蜀镇未列入' }]);
    // a matter only one township lists is no inconsistency
    expect(matterWith(matrix, A, '320282-100-JB-008').flags).toEqual([]);
  });

  it('findings: duplicate leads, a reclaiming body that is not a county department, a cooperating body abolished, lists past their review date', async () => {
    const findings = ok(await app.publicGql(FINDINGS, { c: '320282', d: ASOF }), 'countyFindings');
    const of = (kind: string) => findings.filter((f: any) => f.kind === kind);
    expect(of('DUPLICATE_LEAD')).toEqual([expect.objectContaining({ townshipName: '丁蜀镇', itemCodes: ['320282-112-JB-005', '320282-112-JB-006'], listKind: 'RESPONSIBILITY' })]);
    expect(of('RECLAIMED_BY_NON_COUNTY_BODY')).toEqual([expect.objectContaining({ townshipName: '丁蜀镇', itemCodes: ['320282-112-SH-001'], body: { name: '宜兴市公安局张渚派出所' } })]);
    expect(of('COOPERATING_BODY_GONE')).toEqual([
      expect.objectContaining({
        townshipName: '丁蜀镇', itemCodes: ['320282-112-JB-002'], body: { name: '宜兴市农机服务站' },
        message: '丁蜀镇“秸秆禁烧网格化管控”（320282-112-JB-002）的配合主体“宜兴市农机服务站”已于2026-03-31撤销，配合职责“负责秸秆机械化还田技术指导和机具调度”无人承担',
      }),
    ]);
    // the demo county reviews every 18 months: in force since 2025-01-01 → due 2026-07-01; 张渚镇's responsibility v2 (2026-07-01) and 丁蜀镇's (2025-07-01) are not due
    expect(of('LIST_PAST_REVIEW').map((f: any) => `${f.townshipName} ${f.listKind}`)).toEqual(['张渚镇 POWER', '徐舍镇 RESPONSIBILITY']);
    // before the body was abolished there was nothing to find about it; before 2026-07-01 nothing was due
    const earlier = ok(await app.publicGql(FINDINGS, { c: '320282', d: '2026-03-01' }), 'countyFindings');
    expect(earlier.map((f: any) => f.kind).sort()).toEqual(['DUPLICATE_LEAD', 'RECLAIMED_BY_NON_COUNTY_BODY']);
  });

  it('a department sees what it leads, what it took back and where it cooperates, with each township\'s duty', async () => {
    const [water] = await app.dataSource.query(`SELECT id FROM body WHERE name = '宜兴市水利局'`);
    const d = ok(await app.publicGql(DUTIES, { b: water.id, d: ASOF }), 'bodyDuties');
    expect(d.body.name).toBe('宜兴市水利局');
    const line = (x: any) => `${x.relation} ${x.townshipName} ${x.itemName} ${x.townshipRole}`;
    expect(d.duties.map(line)).toEqual(expect.arrayContaining([
      'ACCOUNTABLE 张渚镇 河道采砂和水域岸线违法行为查处 COOPERATE',
      'ACCOUNTABLE 徐舍镇 河道采砂管理 RECLAIMED',
      'COOPERATING 丁蜀镇 河道采砂管理 LEAD',
      'COOPERATING 徐舍镇 防汛防旱 LEAD',
    ]));
    const taihua = d.duties.find((x: any) => x.townshipName === '丁蜀镇' && x.itemCode === '320282-112-JB-003');
    expect(taihua).toMatchObject({ cooperatingDuty: '负责采砂许可和业务指导', townshipDuty: '组织河道巡查，发现非法采砂及时制止、查处。', accountableBody: { name: '丁蜀镇人民政府' } });
    expect(d.reclaimedCount).toBe(d.duties.filter((x: any) => x.relation === 'ACCOUNTABLE' && x.townshipRole === 'RECLAIMED').length);
    expect(d.accountableCount + d.cooperatingCount).toBe(d.duties.length);
    expect(d.reclaimedCount).toBeGreaterThanOrEqual(1);
    expect(codeOf(await app.publicGql(DUTIES, { b: '00000000-0000-0000-0000-000000000000' }))).toBe('NOT_FOUND');
  });

  it('an editor links two items into one matter and keeps two apart; audited; only within their county', async () => {
    const editor = await app.createUser('cv-editor', 'EDITOR', '320282');
    const township = await app.createUser('cv-township', 'TOWNSHIP', '320282100');
    const outsider = await app.createUser('cv-outsider', 'EDITOR', '320281');
    const homestead = { a: A, ia: '320282-100-JB-001', b: B, ib: '320282-103-JB-001' }; // 宅基地和建房（规划许可）审批 / 农村村民建房审批
    expect(matterWith(matrix, A, homestead.ia).townshipCount).toBe(1);
    expect(codeOf(await app.adminGql(LINK('linkMatterItems'), homestead, township))).toBe('FORBIDDEN');
    expect(codeOf(await app.adminGql(LINK('linkMatterItems'), homestead, outsider))).toBe('FORBIDDEN');
    expect(codeOf(await app.publicGql(LINK('linkMatterItems'), homestead))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(ok(await app.adminGql(LINK('linkMatterItems'), homestead, editor), 'linkMatterItems')).toBe(true);
    expect(ok(await app.adminGql(LINK('linkMatterItems'), homestead, editor), 'linkMatterItems')).toBe(false); // already so
    let m: Matrix = ok(await app.publicGql(MATRIX, { c: '320282', k: 'RESPONSIBILITY', d: ASOF }), 'countyMatrix');
    const joined = matterWith(m, A, homestead.ia);
    expect(joined.evidence).toContain('MANUAL');
    expect(joined.cells.map((c: any) => c.itemCode)).toEqual(['320282-100-JB-001', '320282-103-JB-001', '320282-112-JB-001']);

    // 丁蜀镇's 河道采砂管理 is not 徐舍镇's: unlinked, it stands apart, and the LEAD/RECLAIMED flag goes with it
    const sand = { a: C, ia: '320282-112-JB-003', b: B, ib: '320282-103-SH-004' };
    expect(ok(await app.adminGql(LINK('unlinkMatterItems'), sand, editor), 'unlinkMatterItems')).toBe(true);
    m = ok(await app.publicGql(MATRIX, { c: '320282', k: 'RESPONSIBILITY', d: ASOF }), 'countyMatrix');
    const own = matterWith(m, C, sand.ia);
    expect([cellOf(own, C).role, cellOf(own, B).role]).toEqual(['LEAD', 'ABSENT']);
    expect(flagKinds(matterWith(m, B, sand.ib))).not.toContain('LEAD_AND_RECLAIMED');
    expect(ok(await app.adminGql(LINK('clearMatterLink'), sand, editor), 'clearMatterLink')).toBe(true);
    m = ok(await app.publicGql(MATRIX, { c: '320282', k: 'RESPONSIBILITY', d: ASOF }), 'countyMatrix');
    expect(flagKinds(matterWith(m, B, sand.ib))).toContain('LEAD_AND_RECLAIMED');

    const bad = await app.adminGql(LINK('linkMatterItems'), { ...homestead, ib: '320282-103-NOPE' }, editor);
    expect([codeOf(bad), bad.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', 'itemCodeB']);
    const trail = ok(await app.adminGql(`query { auditTrail(entityType:"MatterLink", entityId:"320282000000|RESPONSIBILITY|${B}|${sand.ib}|${C}|${sand.ia}") { action actor } }`), 'auditTrail');
    expect(trail.map((e: any) => `${e.actor}:${e.action}`)).toEqual(['cv-editor:unlinkMatterItems', 'cv-editor:clearMatterLink']);
  });

  it('refuses what is not a county, a bad date or a bad kind, in Chinese and naming the field', async () => {
    for (const [c, field] of [['320282100', 'countyCode'], ['999999', 'countyCode'], ['abc', 'countyCode']] as const) {
      const r = await app.publicGql(MATRIX, { c, k: 'RESPONSIBILITY' });
      expect([codeOf(r), r.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    const empty = ok(await app.publicGql(MATRIX, { c: '320281', k: 'POWER' }), 'countyMatrix'); // 江阴市: no lists
    expect([empty.townships, empty.matters]).toEqual([[], []]);
  });

  it('the Atom feed of the county and of a township: one entry per publication, with its counts and the link to its diff', async () => {
    const res = await fetch(`${app.url}/feeds/regions/320282.atom`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    const feed = parseAtomFeed(xml);
    expect(feed.id).toBe('urn:quanze:feed:region:320282000000');
    expect(text(feed.title)).toBe('宜兴市权责清单发布动态');
    expect(feed.updated).toBeTruthy();
    const entries = feed.entries ?? [];
    expect(entries.length).toBeGreaterThanOrEqual(5);
    for (const e of entries) {
      expect(e.id).toMatch(/^urn:quanze:version:[0-9a-f-]{36}$/);
      expect(text(e.title) && e.updated).toBeTruthy();
      expect(e.links?.[0]?.href).toMatch(new RegExp(`^${app.url}/versions/[0-9a-f-]{36}(/diff/[0-9a-f-]{36})?$`));
    }
    const [v2] = await app.dataSource.query(`SELECT id, based_on_id FROM list_version WHERE region_code = $1 AND kind = 'RESPONSIBILITY' AND number = 2`, [A]);
    const entry = entries.find((e) => e.id === `urn:quanze:version:${v2.id}`)!;
    expect(text(entry.title)).toBe('张渚镇责任清单第2版（宜政发〔2026〕31号）');
    expect(entry.links?.[0]?.href).toBe(`${app.url}/versions/${v2.id}/diff/${v2.based_on_id}`);
    expect(text(entry.summary)).toBe('张渚镇责任清单第2版，批准文号宜政发〔2026〕31号，自2026-07-01起施行；与上一版相比新增1项、调整1项、删除1项；调整原因：职责准入。');
    const first = entries.find((e) => text(e.title) === '丁蜀镇责任清单第1版（宜政发〔2025〕42号）')!;
    expect(text(first.summary)).toContain('首次发布，共12项');

    const township = parseAtomFeed(await (await fetch(`${app.url}/feeds/regions/320282100.atom`)).text());
    expect((township.entries ?? []).map((e) => text(e.title)).sort()).toEqual(['张渚镇权力清单第1版（宜政发〔2024〕88号）', '张渚镇责任清单第1版（宜政发〔2024〕89号）', '张渚镇责任清单第2版（宜政发〔2026〕31号）']);
    expect((await fetch(`${app.url}/feeds/regions/320282100208.atom`)).status).toBe(400); // a village
    expect((await fetch(`${app.url}/feeds/regions/999999.atom`)).status).toBe(400); // no such region
    expect((await fetch(`${app.url}/feeds/regions/320282.rss`)).status).toBe(400);
  });

  it('the matrix costs at most 4 statements, however many townships and items the county has', async () => {
    const ask = () => app.publicGql(MATRIX, { c: '320282', k: 'RESPONSIBILITY', d: todayInChina() });
    const small = await count(ask);
    expect(ok(small.result, 'countyMatrix').townships).toHaveLength(3);
    // the items and the links, and the county unless the region cache has it: 2 or 3, never more
    expect(small.n).toBeGreaterThanOrEqual(2); // executed, not a cached answer
    expect(small.n).toBeLessThanOrEqual(3);

    // a fourth township (杨巷镇) publishes 40 items: more columns, more rows, the same statements
    const api = listApi(app);
    const YANGXIANG = '320282105';
    ok(await app.adminGql('mutation { createBody(name:"杨巷镇人民政府", kind:"人民政府", regionCode:"320282105"){ id } }'), 'createBody');
    const reviewer = await app.createUser('cv-reviewer', 'REVIEWER', '320282');
    const draft = ok(await api.createDraft(app.adminToken, YANGXIANG, 'RESPONSIBILITY', '其他'), 'createDraft');
    for (let n = 1; n <= 40; n++) {
      const r = await api.saveItem(app.adminToken, draft.id, {
        itemCode: `320282-105-JB-${String(n).padStart(3, '0')}`, name: n === 1 ? '防汛防旱' : `杨巷镇事项${n}`, section: 'BASIC', accountableBodyName: '杨巷镇人民政府',
        legalBasis: '《中华人民共和国防洪法》第三十八条',
      });
      ok(r, 'saveItem');
    }
    ok(await api.submit(app.adminToken, draft.id), 'submitForReview');
    ok(await api.approve(reviewer, draft.id, '同意'), 'approveVersion');
    ok(await api.publish(app.adminToken, draft.id, todayInChina(), '宜政发〔2026〕99号'), 'publishVersion');
    const large = await count(ask);
    const m = ok(large.result, 'countyMatrix');
    expect(m.townships).toHaveLength(4);
    expect(m.matters.length).toBeGreaterThan(matrix.matters.length + 30);
    expect(large.n).toBeGreaterThanOrEqual(2);
    expect(large.n).toBeLessThanOrEqual(3);
  });
});
