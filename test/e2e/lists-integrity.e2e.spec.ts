// Integrity: every bad input of saveItem names its field; unresolvable citations are kept and
// flagged; concurrent publishes; and what the database itself refuses (exclusion constraint, immutability).
import { COUNTY, errorOf, listApi, ok, sqlRefusal, TOWN_A, TOWN_B, townshipItems } from '../setup/lists-api.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';

const GUANLIN = '320282104'; // 官林镇: no demo list
const GOV = '官林镇人民政府';

/** What each of several concurrent calls came to: the version's status, or the error code; sorted. */
const outcomes = (results: GraphQLResponse[], key: string) => results.map((r) => r.data?.[key]?.status ?? errorOf(r).code).sort();

describe('list integrity over GraphQL and in the database', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let reviewer: string;
  const gl = townshipItems(GUANLIN, GOV);
  let respDraft: any;
  let powerDraft: any;
  const power = {
    itemCode: `${COUNTY}-104-CF-001`,
    name: '对露天焚烧秸秆的行政处罚',
    category: 'PENALTY',
    source: 'DELEGATED',
    accountableBodyName: GOV,
    legalBasis: '《中华人民共和国大气污染防治法》第一百一十九条第一款',
  };

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    ok(await api.createBody(GOV, GUANLIN), 'createBody');
    editor = await app.createUser('in-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('in-reviewer', 'REVIEWER', COUNTY);
    respDraft = ok(await api.createDraft(editor, GUANLIN, 'RESPONSIBILITY'), 'createDraft');
    powerDraft = ok(await api.createDraft(editor, GUANLIN, 'POWER'), 'createDraft');
  });
  afterAll(() => app?.close());

  describe('saveItem refuses bad input, naming the field', () => {
    const long = 'A'.repeat(70);
    const responsibility: [string, Record<string, unknown>, string][] = [
      ['unknown accountable body', { accountableBodyName: '宜兴市不存在局' }, 'accountableBodyName'],
      ['empty accountable body', { accountableBodyName: '  ' }, 'accountableBodyName'],
      ['no section on a RESPONSIBILITY item', { section: null }, 'section'],
      ['a power category on a RESPONSIBILITY item', { category: 'PENALTY' }, 'category'],
      ['itemCode with spaces', { itemCode: '320282 104 JB 001' }, 'itemCode'],
      ['itemCode of 70 characters', { itemCode: long }, 'itemCode'],
      ['itemCode in Chinese', { itemCode: '中文' }, 'itemCode'],
      ['empty itemCode', { itemCode: '' }, 'itemCode'],
      ['empty name', { name: '' }, 'name'],
      ['blank name', { name: '   ' }, 'name'],
      ['name over 200 characters', { name: '查'.repeat(201) }, 'name'],
      ['BASIC item led by a county department', { accountableBodyName: '宜兴市农业农村局' }, 'accountableBodyName'],
      ['BASIC item led by another township', { accountableBodyName: '张渚镇人民政府' }, 'accountableBodyName'],
      ['COOPERATIVE item led by the township itself', { section: 'COOPERATIVE' }, 'accountableBodyName'],
      ['RECLAIMED item led by the township itself', { section: 'RECLAIMED' }, 'accountableBodyName'],
      ['unknown cooperating body', { cooperating: [{ bodyName: '不存在的配合单位', duty: '配合' }] }, 'cooperating[0].bodyName'],
      ['unknown second cooperating body', { cooperating: [{ bodyName: '宜兴市应急管理局', duty: '指导' }, { bodyName: '查无此局', duty: '配合' }] }, 'cooperating[1].bodyName'],
      ['cooperating body equal to the accountable one', { cooperating: [{ bodyName: GOV, duty: '配合' }] }, 'cooperating[0].bodyName'],
      ['cooperating body without duty', { cooperating: [{ bodyName: '宜兴市应急管理局', duty: ' ' }] }, 'cooperating[0].duty'],
      ['control character in a keyword', { keywords: ['违建', 'a\u0001b'] }, 'keywords[1]'],
    ];
    it.each(responsibility)('RESPONSIBILITY: %s', async (_label, change, field) => {
      const r = await api.saveItem(editor, respDraft.id, { ...gl.basic, ...change });
      expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', field });
      expect(r.data?.saveItem ?? null).toBeNull();
    });

    const powerCases: [string, Record<string, unknown>, string][] = [
      ['no category on a POWER item', { category: null }, 'category'],
      ['no source on a POWER item', { source: null }, 'source'],
      ['a section on a POWER item', { section: 'BASIC' }, 'section'],
      ['delegated power exercised by a county department', { accountableBodyName: '宜兴市农业农村局' }, 'accountableBodyName'],
      ['entrusted power exercised by the township itself', { source: 'ENTRUSTED' }, 'accountableBodyName'],
      ['unknown accountable body', { accountableBodyName: '官林镇不存在办' }, 'accountableBodyName'],
    ];
    it.each(powerCases)('POWER: %s', async (_label, change, field) => {
      expect(errorOf(await api.saveItem(editor, powerDraft.id, { ...power, ...change }))).toEqual({ code: 'BAD_USER_INPUT', field });
    });

    it('an enum value outside the contract is refused before the resolver (BAD_USER_INPUT)', async () => {
      expect(errorOf(await api.saveItem(editor, respDraft.id, { ...gl.basic, section: 'OTHER' })).code).toBe('BAD_USER_INPUT');
    });

    it('after all these refusals nothing was written: no items, revision 0', async () => {
      for (const draft of [respDraft, powerDraft]) {
        const v = ok(await api.items(draft.id, {}, editor), 'listVersion');
        expect(v.items.totalCount).toBe(0);
        expect(ok(await api.version(draft.id, editor), 'listVersion').revision).toBe(0);
      }
      const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM list_item WHERE region_code = $1', [`${GUANLIN}000`]);
      expect(n).toBe(0);
    });

    it('a POWER item takes its role from the body: the township leads a delegated power, cooperates on an entrusted one', async () => {
      expect(ok(await api.saveItem(editor, powerDraft.id, power), 'saveItem')).toMatchObject({ category: 'PENALTY', source: 'DELEGATED', townshipRole: 'LEAD' });
      const entrusted = { ...power, itemCode: `${COUNTY}-104-JF-001`, name: '临时救助审批', category: 'PAYMENT', source: 'ENTRUSTED', accountableBodyName: '宜兴市民政局' };
      expect(ok(await api.saveItem(editor, powerDraft.id, entrusted), 'saveItem')).toMatchObject({ section: null, townshipRole: 'COOPERATE' });
    });
  });

  it('legal basis text that cannot be resolved is kept and flagged, not refused', async () => {
    const legalBasis = '《中华人民共和国城乡规划法》第六十五条；《中华人民共和国城乡规划法》第九百九十九条；《宜兴市不存在的管理办法》第三条；按照上级文件精神';
    const saved = ok(await api.saveItem(editor, respDraft.id, { ...gl.basic, legalBasis }), 'saveItem');
    expect(saved.citations.map((c: any) => [c.raw, c.resolved])).toEqual([
      ['《中华人民共和国城乡规划法》第六十五条', true],
      ['《中华人民共和国城乡规划法》第九百九十九条', false],
      ['《宜兴市不存在的管理办法》第三条', false],
      ['按照上级文件精神', false],
    ]);
    expect(saved.citations[0].text).toEqual(expect.any(String));
    expect(saved.citations[1]).toMatchObject({ instrumentTitle: '中华人民共和国城乡规划法', article: 999, text: null });
    expect(saved.citations[2]).toMatchObject({ instrumentTitle: '宜兴市不存在的管理办法', article: 3, text: null });
    expect(saved.citations[3]).toMatchObject({ label: '按照上级文件精神', instrumentTitle: null, article: null });
    const [row] = await app.dataSource.query('SELECT legal_basis, has_unresolved_citations FROM list_item WHERE id = $1', [saved.id]);
    expect(row).toEqual({ legal_basis: legalBasis, has_unresolved_citations: true });
    // a fully resolved basis clears the flag
    const fixed = ok(await api.saveItem(editor, respDraft.id, gl.basic), 'saveItem');
    const [again] = await app.dataSource.query('SELECT has_unresolved_citations FROM list_item WHERE id = $1', [fixed.id]);
    expect(again.has_unresolved_citations).toBe(false);
  });

  it('two concurrent publishes of one approved version: exactly one succeeds, the other gets CONFLICT', async () => {
    ok(await api.submit(editor, respDraft.id), 'submitForReview');
    ok(await api.approve(reviewer, respDraft.id), 'approveVersion');
    const dates = ['2027-04-01', '2027-05-01']; // future: no approved date needed (honest-time.e2e.spec.ts)
    const results = await Promise.all(dates.map((d, i) => api.publish(editor, respDraft.id, d, `宜政发〔2027〕${40 + i}号`)));
    expect(outcomes(results, 'publishVersion')).toEqual(['CONFLICT', 'PUBLISHED']);
    const winner = results.find((r) => r.data?.publishVersion)!.data.publishVersion;
    const rows = await app.dataSource.query('SELECT number, status, effective_from, effective_to FROM list_version WHERE list_id = (SELECT list_id FROM list_version WHERE id = $1) ORDER BY number', [respDraft.id]);
    expect(rows).toEqual([{ number: 1, status: 'PUBLISHED', effective_from: winner.effectiveFrom, effective_to: null }]);
    expect(dates).toContain(winner.effectiveFrom);
  });

  it('two concurrent publishes of a successor: one wins, the predecessor is superseded once, at the winner\'s date', async () => {
    const draft = ok(await api.createDraft(editor, GUANLIN, 'RESPONSIBILITY'), 'createDraft');
    ok(await api.saveItem(editor, draft.id, gl.coop), 'saveItem');
    ok(await api.submit(editor, draft.id), 'submitForReview');
    ok(await api.approve(reviewer, draft.id), 'approveVersion');
    const dates = ['2027-10-01', '2027-11-01', '2027-12-01'];
    const results = await Promise.all(dates.map((d) => api.publish(editor, draft.id, d, '宜政发〔2025〕50号')));
    expect(outcomes(results, 'publishVersion')).toEqual(['CONFLICT', 'CONFLICT', 'PUBLISHED']);
    const winner = results.find((r) => r.data?.publishVersion)!.data.publishVersion;
    const rows = await app.dataSource.query('SELECT number, status, effective_from, effective_to FROM list_version WHERE list_id = (SELECT list_id FROM list_version WHERE id = $1) ORDER BY number', [draft.id]);
    expect(rows).toEqual([
      { number: 1, status: 'SUPERSEDED', effective_from: expect.any(String), effective_to: winner.effectiveFrom },
      { number: 2, status: 'PUBLISHED', effective_from: winner.effectiveFrom, effective_to: null },
    ]);
    expect(await api.itemCodes(winner.id)).toEqual([gl.basic.itemCode, gl.coop.itemCode]);
  });

  it('two concurrent createDraft calls for one list: one draft, the other CONFLICT', async () => {
    const results = await Promise.all([api.createDraft(editor, GUANLIN, 'RESPONSIBILITY'), api.createDraft(editor, GUANLIN, 'RESPONSIBILITY')]);
    expect(outcomes(results, 'createDraft')).toEqual(['CONFLICT', 'DRAFT']);
    const rows = await app.dataSource.query(`SELECT number, status FROM list_version WHERE list_id = (SELECT list_id FROM list_version WHERE id = $1) ORDER BY number`,
      [results.find((r) => r.data?.createDraft)!.data.createDraft.id]);
    expect(rows).toEqual([{ number: 1, status: 'SUPERSEDED' }, { number: 2, status: 'PUBLISHED' }, { number: 3, status: 'DRAFT' }]);
  });

  describe('the database refuses, whatever the code does', () => {
    /** Demo town B's responsibility list (v1 published from 2025-01-01, no open version). */
    let listB: string;
    /** Demo town A's responsibility list: v1 [2025-01-01, 2026-07-01), v2 from 2026-07-01. */
    let listA: string;
    let v1A: string;
    let v2A: string;
    let openRow: { id: string; name: string };
    let closedRow: { id: string; to_version: number };
    beforeAll(async () => {
      [{ id: listB }] = await app.dataSource.query(`SELECT id FROM duty_list WHERE region_code = $1 AND kind = 'RESPONSIBILITY'`, [TOWN_B]);
      [{ id: listA }] = await app.dataSource.query(`SELECT id FROM duty_list WHERE region_code = $1 AND kind = 'RESPONSIBILITY'`, [TOWN_A]);
      [{ id: v1A }, { id: v2A }] = await app.dataSource.query('SELECT id FROM list_version WHERE list_id = $1 ORDER BY number', [listA]);
      [openRow] = await app.dataSource.query(
        `SELECT i.id, i.name FROM list_item i WHERE i.list_id = $1 AND i.item_code = '320282-100-JB-002' AND NOT i.pending AND i.to_version IS NULL`, [listA]);
      [closedRow] = await app.dataSource.query(`SELECT id, to_version FROM list_item WHERE list_id = $1 AND item_code = '320282-100-PH-004' AND NOT pending`, [listA]);
      expect(openRow && closedRow).toBeTruthy();
      expect(closedRow.to_version).toBe(2);
    });

    it('two PUBLISHED ranges of one list may not overlap (exclusion constraint, 23P01) on INSERT and on UPDATE', async () => {
      const insert = (status: string, from: string, to: string | null) =>
        sqlRefusal(app, `INSERT INTO list_version (list_id, region_code, kind, number, status, effective_from, effective_to, approval_doc_number, created_by, published_at)
           VALUES ($1, $2, 'RESPONSIBILITY', 99, $3, $4, $5, '测试文号', 'sql-test', now())`, [listB, TOWN_B, status, from, to]);
      for (const [status, from, to] of [['PUBLISHED', '2025-06-01', null], ['SUPERSEDED', '2024-06-01', '2025-01-02'], ['PUBLISHED', '2030-01-01', null]] as const) {
        expect(await insert(status, from, to)).toMatchObject({ code: '23P01', constraint: 'list_version_in_force_excl' });
      }
      // an unpublished version turned PUBLISHED behind the API's back, over the range of v1
      await app.dataSource.query(`INSERT INTO list_version (list_id, region_code, kind, number, status, created_by) VALUES ($1, $2, 'RESPONSIBILITY', 98, 'APPROVED', 'sql-test')`, [listB, TOWN_B]);
      try {
        expect(await sqlRefusal(app, `UPDATE list_version SET status = 'PUBLISHED', effective_from = '2025-06-01', approval_doc_number = '测试文号', published_at = now() WHERE list_id = $1 AND number = 98`, [listB]))
          .toMatchObject({ code: '23P01', constraint: 'list_version_in_force_excl' });
      } finally {
        await app.dataSource.query('DELETE FROM list_version WHERE list_id = $1 AND number = 98', [listB]);
      }
      const versions = await app.dataSource.query('SELECT number, status, effective_from, effective_to FROM list_version WHERE list_id = $1 ORDER BY number', [listB]);
      expect(versions).toEqual([{ number: 1, status: 'PUBLISHED', effective_from: '2025-01-01', effective_to: null }]);
    });

    it('a published item cannot be updated or deleted in SQL', async () => {
      for (const id of [openRow.id, closedRow.id]) {
        expect((await sqlRefusal(app, `UPDATE list_item SET name = name || 'x' WHERE id = $1`, [id])).code).toBe('P0001');
        expect((await sqlRefusal(app, `UPDATE list_item SET pending = true WHERE id = $1`, [id])).code).toBe('P0001');
        expect((await sqlRefusal(app, `DELETE FROM list_item WHERE id = $1`, [id])).code).toBe('P0001');
      }
      expect((await sqlRefusal(app, `UPDATE list_item SET accountable_body_id = accountable_body_id, keywords = '{}' WHERE list_id = $1`, [listA])).code).toBe('P0001');
      expect((await sqlRefusal(app, `DELETE FROM list_item WHERE list_id = $1`, [listA])).code).toBe('P0001');
      const [row] = await app.dataSource.query('SELECT name FROM list_item WHERE id = $1', [openRow.id]);
      expect(row.name).toBe(openRow.name);
    });

    it('a published row is closed once: its to_version cannot be set again, nor reopened', async () => {
      expect((await sqlRefusal(app, 'UPDATE list_item SET to_version = to_version + 1 WHERE id = $1', [closedRow.id])).code).toBe('P0001');
      expect((await sqlRefusal(app, 'UPDATE list_item SET to_version = NULL WHERE id = $1', [closedRow.id])).code).toBe('P0001');
      // closing an open row while also changing it is refused as well
      expect((await sqlRefusal(app, `UPDATE list_item SET to_version = 3, name = name || 'x' WHERE id = $1`, [openRow.id])).code).toBe('P0001');
      const [row] = await app.dataSource.query('SELECT to_version FROM list_item WHERE id = $1', [closedRow.id]);
      expect(row.to_version).toBe(2);
    });

    it('a published version cannot be changed or deleted in SQL', async () => {
      for (const id of [v1A, v2A]) {
        expect((await sqlRefusal(app, `UPDATE list_version SET approval_doc_number = 'x' WHERE id = $1`, [id])).code).toBe('P0001');
        expect((await sqlRefusal(app, `UPDATE list_version SET status = 'DRAFT' WHERE id = $1`, [id])).code).toBe('P0001');
        expect((await sqlRefusal(app, `DELETE FROM list_version WHERE id = $1`, [id])).code).toBe('P0001');
      }
      expect((await sqlRefusal(app, `UPDATE list_version SET effective_from = '2026-08-01' WHERE id = $1`, [v2A])).code).toBe('P0001');
      // a superseded version's end is set once
      expect((await sqlRefusal(app, `UPDATE list_version SET effective_to = '2026-12-31' WHERE id = $1`, [v1A])).code).toBe('P0001');
      const [v] = await app.dataSource.query('SELECT approval_doc_number, status FROM list_version WHERE id = $1', [v2A]);
      expect(v).toEqual({ approval_doc_number: '宜政发〔2026〕31号', status: 'PUBLISHED' });
    });

    it('citations of a published item cannot be updated (but for their derived resolution), deleted or added in SQL', async () => {
      const [c] = await app.dataSource.query('SELECT id, item_id FROM item_citation WHERE item_id = $1 ORDER BY ordinal LIMIT 1', [openRow.id]);
      expect(c).toBeTruthy();
      expect((await sqlRefusal(app, `UPDATE item_citation SET raw = raw || 'x' WHERE id = $1`, [c.id])).code).toBe('P0001');
      expect((await sqlRefusal(app, 'UPDATE item_citation SET label = label || $2, resolved = NOT resolved WHERE item_id = $1', [openRow.id, 'x'])).code).toBe('P0001');
      // The resolution is derived from the legal catalogue: recomputing it is allowed (docs/legal-catalogue.md).
      await app.dataSource.query('UPDATE item_citation SET resolved = resolved, provision_id = provision_id WHERE id = $1', [c.id]);
      expect((await sqlRefusal(app, 'DELETE FROM item_citation WHERE id = $1', [c.id])).code).toBe('P0001');
      expect((await sqlRefusal(app, `INSERT INTO item_citation (item_id, ordinal, raw, label, resolved) VALUES ($1, 99, 'x', 'x', false)`, [openRow.id])).code).toBe('P0001');
    });

    it('items are only ever added to a draft, and itemCode is unique within a version', async () => {
      const copy = `INSERT INTO list_item (list_id, region_code, kind, item_code, from_version, pending, name, accountable_body_id, township_role)
        SELECT list_id, region_code, kind, item_code || $2, $3, $4, name, accountable_body_id, township_role FROM list_item WHERE id = $1`;
      expect((await sqlRefusal(app, copy, [openRow.id, '-X', 3, false])).code).toBe('P0001'); // published row out of nowhere
      expect((await sqlRefusal(app, copy, [openRow.id, '-X', 2, true])).code).toBe('P0001'); // pending row in a published version
      // in an open draft, a second row for the same itemCode is refused by the unique constraint
      const draft = ok(await api.createDraft(editor, TOWN_B, 'RESPONSIBILITY'), 'createDraft');
      const [rowB] = await app.dataSource.query(`SELECT id FROM list_item WHERE list_id = $1 AND item_code = '320282-103-JB-001' AND NOT pending`, [listB]);
      await app.dataSource.query(copy, [rowB.id, '-X', 2, true]); // a new itemCode in the draft is accepted…
      expect(await sqlRefusal(app, copy, [rowB.id, '-X', 2, true])).toMatchObject({ code: '23505', constraint: 'list_item_version_code_uq' }); // …once
      expect(await api.itemCodes(draft.id, editor)).toContain('320282-103-JB-001-X');
    });
  });
});
