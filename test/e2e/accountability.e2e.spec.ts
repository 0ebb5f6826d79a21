import { analyzeQuestion } from '../../src/modules/accountability/question-analyzer.js';
import { buildSearchQuery } from '../../src/modules/accountability/accountability.service.js';
import { evaluate, formatFigures, loadEvalSet, WHO_IS_ACCOUNTABLE } from '../accountability/evaluation.js';
import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

const TOWN_A = '320282100000';
const TOWN_B = '320282103000';
const COUNTY = '320282000000';
const ASK = `query($q: String!, $r: String!, $d: Date, $n: Int) {
  whoIsAccountable(question: $q, regionCode: $r, asOf: $d, first: $n) {
    question regionCode asOf intent terms
    answers {
      score matchedTerms townshipRole villageDuty
      item { itemCode name section accountabilityCircumstances exemptions }
      township { code name }
      accountableBody { name level }
      cooperating { body { name } duty }
      citations { label text resolved }
      version { number approvalDocNumber effectiveFrom effectiveTo }
    }
  }
}`;

/** The figure the evaluation reached with the concept lexicon (90 of 94, docs/accountability.md); the test fails below it. */
const HIT_AT_1_FLOOR = 90 / 94;
/** The held-out set: 28.2% before the concept lexicon, 31 of 39 now (docs/accountability.md says how far it is still "held out"). */
const HOLDOUT_HIT_AT_1_FLOOR = 31 / 39;
/** The calibration set (tuning data: the answers helper's own questions, 37 that must match nothing): 63 of 69. */
const CALIBRATION_HIT_AT_1_FLOOR = 63 / 69;

describe('who is accountable for X?', () => {
  let app: TestApp;
  const ask = async (q: string, r = TOWN_A, d?: string, n?: number) => {
    const res = await app.publicGql(ASK, { q, r, d: d ?? null, n: n ?? null });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.whoIsAccountable;
  };
  const codes = (result: any) => result.answers.map((a: any) => a.item.itemCode);

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it.each([
    ['村口有人乱搭棚子归哪里管', '320282-100-JB-002'],
    ['收完麦子有人烧地冒黑烟', '320282-100-JB-003'],
    ['违建', '320282-100-JB-002'],
    ['兄弟分家闹翻了找谁调解', '320282-100-JB-004'],
    ['家里困难想吃低保', '320282-100-JB-012'],
  ])('answers the demo question %s with %s at rank 1', async (question, code) => {
    const result = await ask(question);
    expect(codes(result)[0]).toBe(code);
    expect(result.terms.length).toBeGreaterThan(0);
  });

  it('carries what a clerk needs to act', async () => {
    const [top] = (await ask('收完麦子有人烧地冒黑烟')).answers;
    expect(top.townshipRole).toBe('LEAD');
    expect(top.accountableBody).toEqual({ name: '张渚镇人民政府', level: 'TOWNSHIP' });
    expect(top.cooperating.map((c: any) => c.body.name)).toEqual(['无锡市宜兴生态环境局', '宜兴市农业农村局']);
    expect(top.villageDuty).toContain('网格员');
    expect(top.citations.find((c: any) => c.label === '《中华人民共和国大气污染防治法》第七十七条')?.text).toContain('禁止露天焚烧秸秆');
    expect(top.item.accountabilityCircumstances.length).toBeGreaterThan(0);
    expect(top.item.exemptions.length).toBeGreaterThan(0);
    expect(top.version).toMatchObject({ number: 2, approvalDocNumber: '宜政发〔2026〕31号', effectiveFrom: '2026-07-01', effectiveTo: null });
    expect(top.matchedTerms).toEqual(expect.arrayContaining(['秸秆焚烧']));
    expect(top.township).toEqual({ code: TOWN_A, name: '张渚镇' });
  });

  it('answers COOPERATE and RECLAIMED roles with the leading department', async () => {
    const [coop] = (await ask('地里有人偷偷埋坟')).answers;
    expect(coop.townshipRole).toBe('COOPERATE');
    const [reclaimed] = (await ask('上户口找谁')).answers;
    expect(reclaimed).toMatchObject({ townshipRole: 'RECLAIMED', accountableBody: { name: '宜兴市公安局', level: 'COUNTY' } });
  });

  it('splits a matter by sub-case: 违法建设 gives the township item and the county department item', async () => {
    const found = codes(await ask('违法建设'));
    expect(found[0]).toBe('320282-100-JB-002');
    expect(found).toContain('320282-100-PH-005');
    const answers = (await ask('违法建设')).answers;
    const land = answers.find((a: any) => a.item.itemCode === '320282-100-PH-005');
    expect(land.accountableBody.name).toBe('宜兴市自然资源和规划局');
    expect(land.citations.map((c: any) => c.label)).toContain('《中华人民共和国土地管理法》第七十五条');
  });

  it("answers a clerk's \"do we have this duty\" with the township's own item before a reclaimed neighbouring matter", async () => {
    const result = await ask('上面让我们查企业安全生产我们有这个职责吗');
    expect(result.intent).toBe('DUTY_CHECK');
    expect(result.terms).not.toEqual(expect.arrayContaining(['职责']));
    const roles = result.answers.map((a: any) => a.townshipRole);
    expect(roles[0]).toMatch(/^(LEAD|COOPERATE)$/);
    expect(codes(result)[0]).toMatch(/^320282-100-(JB-007|JC-001)$/);
    // No RECLAIMED item above one of the township's own.
    const firstReclaimed = roles.indexOf('RECLAIMED');
    if (firstReclaimed >= 0) expect(roles.slice(firstReclaimed).every((r: string) => r === 'RECLAIMED')).toBe(true);
  });

  it('still answers the reclaimed matter first when it is what a duty question asks about', async () => {
    const result = await ask('上面让我们管非煤矿山的安全生产，我们有这个职责吗');
    expect(result.intent).toBe('DUTY_CHECK');
    expect(result.answers[0]).toMatchObject({ townshipRole: 'RECLAIMED', item: { itemCode: '320282-100-SH-001' }, accountableBody: { name: '宜兴市应急管理局' } });
  });

  it('reads everyday words through the concept lexicon, 沙 and 砂 alike', async () => {
    const sand = await ask('河里有条船天天偷偷吸砂，谁来管');
    expect(codes(sand)[0]).toBe('320282-100-PH-010');
    expect(sand.intent).toBe('WHO_IS_ACCOUNTABLE');
    expect(codes(await ask('小孩出生了去哪里报户口', TOWN_B))[0]).toBe('320282-103-SH-001');
  });

  it.each(['火星探测', '股票开户', '手机话费充值'])('answers nothing relevant to %s rather than the least bad', async (question) => {
    expect((await ask(question)).answers).toEqual([]);
  });

  it('refuses an empty or overlong question and a bad region', async () => {
    for (const q of ['', '   ', '违'.repeat(201)]) {
      const res = await app.publicGql(ASK, { q, r: TOWN_A });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.field).toBe('question');
    }
    expect(codeOf(await app.publicGql(ASK, { q: '违建', r: '32' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.publicGql(ASK, { q: '违建', r: TOWN_A, n: 500 }))).toBe('BAD_USER_INPUT');
  });

  it('answers from the version in force on either side of a boundary', async () => {
    const before = await ask('孩子周末上的补习班是谁在管', TOWN_A, '2026-06-30');
    expect(codes(before)[0]).toBe('320282-100-PH-004');
    expect(before.answers[0].version.number).toBe(1);
    const after = await ask('孩子周末上的补习班是谁在管', TOWN_A, '2026-07-01');
    expect(codes(after)).not.toContain('320282-100-PH-004');
    expect(after.answers.every((a: any) => a.version.number === 2)).toBe(true);
    expect((await ask('违建', TOWN_A, '2024-12-31')).answers).toEqual([]);
  });

  it('searches every township of a county', async () => {
    const towns = new Set((await ask('违建', COUNTY, undefined, 10)).answers.map((a: any) => a.township.code));
    expect(towns).toEqual(new Set([TOWN_A, TOWN_B]));
  });

  it('lets an ADMIN extend the synonym table without a release', async () => {
    expect((await ask('村里有人偷偷开土窑')).answers).toEqual([]);
    const save = await app.adminGql('mutation { saveSynonym(term: "土窑", expansions: ["违法占用耕地"]) { term expansions } }');
    expect(save.data.saveSynonym).toEqual({ term: '土窑', expansions: ['违法占用耕地'] });
    expect(codes(await ask('村里有人偷偷开土窑'))[0]).toBe('320282-100-PH-005');
    const editor = await app.createUser('synonym-editor', 'EDITOR', COUNTY);
    expect(codeOf(await app.adminGql('mutation { saveSynonym(term: "x", expansions: ["y"]) { term } }', {}, editor))).toBe('FORBIDDEN');
    expect(codeOf(await app.adminGql('mutation { saveSynonym(term: "烧 垃圾", expansions: ["y"]) { term } }'))).toBe('BAD_USER_INPUT');
  });

  it(`keeps hit@1 on the evaluation set at or above ${HIT_AT_1_FLOOR * 100}% and answers nothing where nothing fits`, async () => {
    const figures = await evaluate(loadEvalSet(), async (c) => {
      const res = await app.publicGql(WHO_IS_ACCOUNTABLE, { q: c.question, r: c.regionCode, d: c.asOf ?? null });
      return res.data.whoIsAccountable.answers.map((a: any) => a.item.itemCode);
    });
    console.log(formatFigures(`evaluation (${app.engine})`, figures));
    expect(figures.hitAt1).toBeGreaterThanOrEqual(HIT_AT_1_FLOOR);
    expect(figures.noMatchAccuracy).toBe(1);
  });

  it(`keeps hit@1 on the held-out set at or above ${HOLDOUT_HIT_AT_1_FLOOR * 100}%`, async () => {
    const figures = await evaluate(loadEvalSet('holdout-set.json'), async (c) => {
      const res = await app.publicGql(WHO_IS_ACCOUNTABLE, { q: c.question, r: c.regionCode, d: c.asOf ?? null });
      return res.data.whoIsAccountable.answers.map((a: any) => a.item.itemCode);
    });
    console.log(formatFigures(`held-out (${app.engine})`, figures));
    expect(figures.hitAt1).toBeGreaterThanOrEqual(HOLDOUT_HIT_AT_1_FLOOR - 1e-9);
    expect(figures.noMatchAccuracy).toBe(1);
  });

  it(`keeps hit@1 on the calibration set at or above ${(CALIBRATION_HIT_AT_1_FLOOR * 100).toFixed(1)}% and answers none of its questions about matters on no list`, async () => {
    const figures = await evaluate(loadEvalSet('calibration-set.json'), async (c) => {
      const res = await app.publicGql(WHO_IS_ACCOUNTABLE, { q: c.question, r: c.regionCode, d: c.asOf ?? null });
      return res.data.whoIsAccountable.answers.map((a: any) => a.item.itemCode);
    });
    console.log(formatFigures(`calibration (${app.engine})`, figures));
    expect(figures.hitAt1).toBeGreaterThanOrEqual(CALIBRATION_HIT_AT_1_FLOOR - 1e-9);
    expect(figures.noMatchAccuracy).toBe(1);
  });

  it('reads the township rows by index over 10,000 items, never scanning the items table', async () => {
    // 40 townships × 250 published items, generated in SQL like the demo items' wording.
    const ds = app.dataSource;
    const [body] = await ds.query(`SELECT id FROM body WHERE name = '宜兴市农业农村局'`);
    const towns: { code: string }[] = await ds.query(`SELECT code FROM region WHERE level = 'TOWNSHIP' AND code LIKE '3205%' ORDER BY code LIMIT 40`);
    const [sample] = await ds.query(`SELECT search_vector FROM list_item WHERE item_code = '320282-100-JB-002' AND NOT pending LIMIT 1`);
    let target: string | undefined;
    await ds.transaction(async (em) => {
      for (const { code } of towns) {
        const [list] = await em.query(`INSERT INTO duty_list (region_code, county_code, kind) VALUES ($1, $2, 'RESPONSIBILITY') RETURNING id`, [code, `${code.slice(0, 6)}000000`]);
        await em.query(`INSERT INTO list_version (list_id, region_code, kind, number, status, created_by) VALUES ($1, $2, 'RESPONSIBILITY', 1, 'DRAFT', 'generator')`, [list.id, code]);
        await em.query(
          `INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, name, section, accountable_body_id, township_role, search_vector)
           SELECT $1, $2, 'RESPONSIBILITY', 'G-' || n, 1, '事项' || n, 'COOPERATIVE', $3, 'COOPERATE',
                  CASE WHEN n % 50 = 0 THEN $4::tsvector ELSE to_tsvector('simple', '事项 ' || n || ' 配合 巡查') END
           FROM generate_series(1, 250) n`,
          [list.id, code, body.id, sample.search_vector],
        );
        await em.query(`UPDATE list_version SET status = 'APPROVED' WHERE list_id = $1`, [list.id]);
        await em.query(`UPDATE list_item SET pending = false WHERE list_id = $1`, [list.id]);
        await em.query(`UPDATE list_version SET status = 'PUBLISHED', effective_from = '2025-01-01', approval_doc_number = '生成', published_at = now() WHERE list_id = $1`, [list.id]);
        target ??= list.id;
      }
    });
    await ds.query('ANALYZE list_item, item_search');
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM list_item');
    expect(n).toBeGreaterThanOrEqual(10_000);
    const analyzed = analyzeQuestion('村口有人乱搭棚子归哪里管', new Map([['乱搭', ['违法建设', '乱搭乱建']]]));
    const search = buildSearchQuery(analyzed.terms, [{ listId: target!, number: 1 }], 5);
    const [{ 'QUERY PLAN': plan }] = await ds.query(`EXPLAIN (FORMAT JSON) ${search.sql}`, search.params);
    const scans: { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string }[] = [];
    const walk = (node: any) => {
      scans.push(node);
      (node.Plans ?? []).forEach(walk);
    };
    walk(plan[0].Plan);
    expect(scans.filter((s) => s['Relation Name'] === 'list_item' && s['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(scans.some((s) => s['Relation Name'] === 'list_item' && /Index|Bitmap/.test(s['Node Type']))).toBe(true);
    // The search itself runs inside quanze_search_in_force with a generic plan: the same statement,
    // prepared and planned generically here, reads the township's rows from item_search by index.
    const [{ src }] = await ds.query(`SELECT prosrc AS src FROM pg_proc WHERE proname = 'quanze_search_in_force'`);
    const inner = /RETURN QUERY([\s\S]*);\s*END/.exec(src)![1];
    const types = ['uuid[]', 'int[]', 'text[]', 'int[]', 'text[]', 'text[]', 'text[]', 'float8[]', 'text[]', 'float8[]', 'float8', 'int', 'tsquery', 'float8'];
    // EXECUTE takes no bound parameters: the values as literals.
    const [literals] = await ds.query(`SELECT ${types.map((t, i) => `quote_literal($${i + 1}::${t}::text) AS p${i}`).join(', ')}`, search.params);
    const innerScans: typeof scans = [];
    await ds.transaction(async (em) => {
      // the function's own settings (migration ItemSearchFunctions1796313360000)
      await em.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await em.query('SET LOCAL enable_seqscan = off');
      await em.query(`PREPARE inner_search(${types.join(', ')}) AS ${inner}`);
      const [{ 'QUERY PLAN': innerPlan }] = await em.query(`EXPLAIN (FORMAT JSON) EXECUTE inner_search(${types.map((t, i) => `${literals[`p${i}`]}::${t}`).join(', ')})`);
      await em.query('DEALLOCATE inner_search');
      const collect = (node: any) => {
        innerScans.push(node);
        (node.Plans ?? []).forEach(collect);
      };
      collect(innerPlan[0].Plan);
    });
    expect(innerScans.filter((s) => /^(list_item|item_search)$/.test(s['Relation Name'] ?? '') && s['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(innerScans.some((s) => s['Relation Name'] === 'item_search' && /Index|Bitmap/.test(s['Node Type']))).toBe(true);
    const rows = await ds.query(search.sql, search.params);
    expect(rows.length).toBeGreaterThan(0);
  });
});
