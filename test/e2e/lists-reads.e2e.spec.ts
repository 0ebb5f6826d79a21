// Reads: the list in force on any date, the diff of demo town A's v1 → v2, what the public and
// each role sees, the items connection, and the number of SQL statements of a whole-list query.
import { COUNTY, errorOf, listApi, ok, TOWN_A, TOWN_B, todayInChina } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

describe('list reads over GraphQL', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  /** Demo town A: RESPONSIBILITY v1 [2025-01-01, 2026-07-01), v2 from 2026-07-01; POWER v1 from 2025-01-01. */
  let a1: any;
  let a2: any;
  let aPower: any;
  let b1: any;

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    editor = await app.createUser('rd-editor', 'EDITOR', COUNTY);
    const history = ok(await api.versions(TOWN_A, 'RESPONSIBILITY'), 'listVersions');
    expect(history.map((v: any) => v.number)).toEqual([2, 1]);
    [a2, a1] = history;
    [aPower] = ok(await api.versions(TOWN_A, 'POWER'), 'listVersions');
    [b1] = ok(await api.versions(TOWN_B, 'RESPONSIBILITY'), 'listVersions');
  });
  afterAll(() => app?.close());

  describe('as of a date', () => {
    it('demo town A history: v2 PUBLISHED from 2026-07-01, v1 SUPERSEDED [2025-01-01, 2026-07-01)', () => {
      expect(a1).toMatchObject({ number: 1, status: 'SUPERSEDED', effectiveFrom: '2025-01-01', effectiveTo: '2026-07-01', approvalDocNumber: '宜政发〔2024〕89号' });
      expect(a2).toMatchObject({ number: 2, status: 'PUBLISHED', effectiveFrom: '2026-07-01', effectiveTo: null, changeReason: '职责准入', basedOn: { id: a1.id, number: 1 } });
    });

    const boundaries: [string, number | null][] = [
      ['2000-01-01', null],
      ['2024-12-31', null],
      ['2025-01-01', 1],
      ['2025-01-02', 1],
      ['2026-06-30', 1],
      ['2026-07-01', 2],
      ['2026-07-02', 2],
      ['2099-12-31', 2],
    ];
    it.each(boundaries)('RESPONSIBILITY of 张渚镇 as of %s → version %s (public and admin agree)', async (asOf, number) => {
      const pub = ok(await api.inForce(TOWN_A, 'RESPONSIBILITY', asOf), 'listVersionInForce');
      const adm = ok(await api.inForce('320282100', 'RESPONSIBILITY', asOf, editor), 'listVersionInForce');
      expect(pub?.number ?? null).toBe(number);
      expect(adm?.number ?? null).toBe(number);
      if (number) expect(pub.id).toBe(number === 1 ? a1.id : a2.id);
    });

    it('asOf omitted (or null) answers today\'s version', async () => {
      const expected = todayInChina() >= '2026-07-01' ? 2 : 1;
      expect(ok(await api.inForce(TOWN_A, 'RESPONSIBILITY'), 'listVersionInForce').number).toBe(expected);
      expect(ok(await api.inForce(TOWN_A, 'RESPONSIBILITY', null), 'listVersionInForce').number).toBe(expected);
    });

    it('the POWER list and a township without lists; bad dates and codes are refused', async () => {
      expect(ok(await api.inForce(TOWN_A, 'POWER', '2024-12-31'), 'listVersionInForce')).toBeNull();
      expect(ok(await api.inForce(TOWN_A, 'POWER', '2025-01-01'), 'listVersionInForce').id).toBe(aPower.id);
      expect(ok(await api.inForce(TOWN_B, 'POWER', '2026-01-01'), 'listVersionInForce')).toBeNull();
      expect(ok(await api.inForce('320282101', 'RESPONSIBILITY', '2026-01-01'), 'listVersionInForce')).toBeNull();
      expect(errorOf(await api.inForce(TOWN_A, 'RESPONSIBILITY', '2026-02-29')).code).toBe('BAD_USER_INPUT');
      expect(errorOf(await api.inForce('32028x', 'RESPONSIBILITY', '2026-01-01'))).toEqual({ code: 'BAD_USER_INPUT', field: 'regionCode' });
    });
  });

  describe('diff', () => {
    it('demo town A RESPONSIBILITY v1 → v2: exactly PH-015 ADDED, PH-004 REMOVED, JB-003 CHANGED (description, keywords)', async () => {
      const diff = ok(await api.diff(a1.id, a2.id), 'versionDiff');
      expect(diff.from).toEqual({ id: a1.id, number: 1 });
      expect(diff.to).toEqual({ id: a2.id, number: 2 });
      expect(diff.changes.map((c: any) => [c.itemCode, c.change])).toEqual([
        ['320282-100-JB-003', 'CHANGED'],
        ['320282-100-PH-004', 'REMOVED'],
        ['320282-100-PH-015', 'ADDED'],
      ]);
      const [changed, removed, added] = diff.changes;
      expect(changed.name).toBe('秸秆禁烧与综合利用');
      expect(changed.fields.map((f: any) => f.field)).toEqual(['description', 'keywords']);
      const [description, keywords] = changed.fields;
      expect(description.after).toBe(`${description.before}夏秋两季实行镇村干部包片、网格员包田的禁烧责任制，推广秸秆机械化还田和离田收储。`);
      expect(keywords.after).toBe(`${keywords.before}；烧地；冒黑烟`);

      expect(removed.name).toBe('校外培训机构治理');
      expect(removed.fields.every((f: any) => f.after === null && f.before !== null)).toBe(true);
      expect(removed.fields).toContainEqual({ field: 'accountableBody', before: '宜兴市教育局', after: null });
      expect(added.name).toBe('消防安全检查');
      expect(added.fields.every((f: any) => f.before === null && f.after !== null)).toBe(true);
      expect(added.fields).toEqual(expect.arrayContaining([
        { field: 'section', before: null, after: 'COOPERATIVE' },
        { field: 'townshipRole', before: null, after: 'COOPERATE' },
        { field: 'accountableBody', before: null, after: '宜兴市消防救援大队' },
        { field: 'cooperating', before: null, after: '宜兴市应急管理局：负责消防安全综合监管和业务指导' },
        { field: 'citations', before: null, after: '《中华人民共和国消防法》第四条第一款；《中华人民共和国消防法》第三十二条' },
      ]));
    });

    it('the reverse diff mirrors it; a version against itself is empty', async () => {
      const back = ok(await api.diff(a2.id, a1.id), 'versionDiff');
      expect(back.changes.map((c: any) => [c.itemCode, c.change, c.fields.map((f: any) => f.field).join(',')])).toEqual([
        ['320282-100-JB-003', 'CHANGED', 'description,keywords'],
        ['320282-100-PH-004', 'ADDED', expect.any(String)],
        ['320282-100-PH-015', 'REMOVED', expect.any(String)],
      ]);
      expect(ok(await api.diff(a2.id, a2.id), 'versionDiff').changes).toEqual([]);
    });

    it('versions of two different lists cannot be compared (BAD_USER_INPUT)', async () => {
      expect(errorOf(await api.diff(a1.id, aPower.id))).toEqual({ code: 'BAD_USER_INPUT', field: 'toVersionId' });
      expect(errorOf(await api.diff(a1.id, b1.id))).toEqual({ code: 'BAD_USER_INPUT', field: 'toVersionId' });
      expect(errorOf(await api.diff('00000000-0000-4000-8000-000000000000', a1.id))).toEqual({ code: 'BAD_USER_INPUT', field: 'fromVersionId' });
    });
  });

  describe('who sees drafts', () => {
    let draft: any;
    let department: string;
    let townshipB: string;
    let townshipA: string;
    beforeAll(async () => {
      department = await app.createUser('rd-department', 'DEPARTMENT', COUNTY);
      townshipB = await app.createUser('rd-township-b', 'TOWNSHIP', '320282103');
      townshipA = await app.createUser('rd-township-a', 'TOWNSHIP', '320282100');
      draft = ok(await api.createDraft(editor, TOWN_B, 'RESPONSIBILITY', '立改废释'), 'createDraft');
      ok(await api.removeItem(editor, draft.id, '320282-103-SH-004'), 'removeItem');
    });

    it('the public: a draft id is simply not found, and the history omits it', async () => {
      const r = await api.version(draft.id);
      expect(r.errors).toBeUndefined();
      expect(r.data.listVersion).toBeNull();
      expect(ok(await api.versions(TOWN_B, 'RESPONSIBILITY'), 'listVersions').map((v: any) => [v.number, v.status])).toEqual([[1, 'PUBLISHED']]);
      expect(errorOf(await api.diff(b1.id, draft.id))).toEqual({ code: 'BAD_USER_INPUT', field: 'toVersionId' });
      expect(ok(await api.version(b1.id), 'listVersion').id).toBe(b1.id);
      expect(ok(await api.version(a1.id), 'listVersion').status).toBe('SUPERSEDED'); // superseded versions are public
      expect(ok(await api.version('not-a-uuid'), 'listVersion')).toBeNull();
    });

    it('an EDITOR of the county sees the draft and its items on /admin/graphql', async () => {
      expect(ok(await api.version(draft.id, editor), 'listVersion')).toMatchObject({ id: draft.id, status: 'DRAFT', number: 2, basedOn: { id: b1.id } });
      expect(ok(await api.versions(TOWN_B, 'RESPONSIBILITY', editor), 'listVersions').map((v: any) => [v.number, v.status])).toEqual([[2, 'DRAFT'], [1, 'PUBLISHED']]);
      const codes = await api.itemCodes(draft.id, editor);
      expect(codes).toHaveLength(23);
      expect(codes).not.toContain('320282-103-SH-004');
      expect(await api.itemCodes(b1.id, editor)).toHaveLength(24);
      expect(ok(await api.diff(b1.id, draft.id, editor), 'versionDiff').changes.map((c: any) => [c.itemCode, c.change])).toEqual([['320282-103-SH-004', 'REMOVED']]);
    });

    it('a DEPARTMENT user does not see drafts on /admin/graphql either', async () => {
      expect(ok(await api.version(draft.id, department), 'listVersion')).toBeNull();
      expect(ok(await api.versions(TOWN_B, 'RESPONSIBILITY', department), 'listVersions').map((v: any) => v.number)).toEqual([1]);
      expect(ok(await api.version(b1.id, department), 'listVersion').id).toBe(b1.id);
    });

    it('a TOWNSHIP user sees the drafts of its own township only', async () => {
      expect(ok(await api.version(draft.id, townshipB), 'listVersion')?.status).toBe('DRAFT');
      expect(ok(await api.version(draft.id, townshipA), 'listVersion')).toBeNull();
      expect(ok(await api.versions(TOWN_B, 'RESPONSIBILITY', townshipA), 'listVersions').map((v: any) => v.number)).toEqual([1]);
    });
  });

  describe('items connection', () => {
    it('pages with first/after: constant totalCount, hasNextPage and endCursor, every item once, in itemCode order', async () => {
      const seen: string[] = [];
      const pages: [number, number, boolean][] = [];
      let after: string | null = null;
      for (let i = 0; i < 5; i++) {
        const conn: any = ok(await api.items(a2.id, { first: 20, after }), 'listVersion').items;
        pages.push([conn.edges.length, conn.totalCount, conn.pageInfo.hasNextPage]);
        seen.push(...conn.edges.map((e: any) => e.node.itemCode));
        expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1).cursor);
        after = conn.pageInfo.endCursor;
        if (!conn.pageInfo.hasNextPage) break;
      }
      expect(pages).toEqual([[20, 45, true], [20, 45, true], [5, 45, false]]);
      expect(seen).toHaveLength(45);
      expect(new Set(seen).size).toBe(45);
      expect(seen).toEqual([...seen].sort());
      expect(seen).toContain('320282-100-PH-015');
      expect(seen).not.toContain('320282-100-PH-004');
      // past the end: nothing, with the same total
      const end: any = ok(await api.items(a2.id, { first: 20, after }), 'listVersion').items;
      expect(end).toEqual({ totalCount: 45, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
      // v1 is still the 45 items of v1
      const old = await api.itemCodes(a1.id);
      expect(old).toHaveLength(45);
      expect(old).toContain('320282-100-PH-004');
      expect(old).not.toContain('320282-100-PH-015');
    });

    it('filters by section (RESPONSIBILITY) and by category (POWER), paging within the filter', async () => {
      const count = async (id: string, filter: Record<string, string>) => ok(await api.items(id, { first: 100, ...filter }), 'listVersion').items;
      const basic = await count(a2.id, { section: 'BASIC' });
      expect(basic.totalCount).toBe(25);
      expect(basic.edges.every((e: any) => e.node.section === 'BASIC' && e.node.townshipRole === 'LEAD')).toBe(true);
      expect((await count(a2.id, { section: 'COOPERATIVE' })).totalCount).toBe(14);
      const reclaimed = await count(a2.id, { section: 'RECLAIMED' });
      expect(reclaimed.edges.map((e: any) => e.node.townshipRole)).toEqual(Array(6).fill('RECLAIMED'));

      const penalty = await count(aPower.id, { category: 'PENALTY' });
      expect(penalty.edges.map((e: any) => [e.node.itemCode, e.node.category])).toEqual([
        ['320282-100-CF-001', 'PENALTY'],
        ['320282-100-CF-002', 'PENALTY'],
        ['320282-100-CF-003', 'PENALTY'],
      ]);
      expect(penalty.totalCount).toBe(3);
      expect((await count(aPower.id, { category: 'LICENSING' })).totalCount).toBe(2);
      expect((await count(aPower.id, { category: 'REWARD' })).totalCount).toBe(0);
      expect((await count(aPower.id, {})).totalCount).toBe(23);

      const first: any = ok(await api.items(aPower.id, { first: 2, category: 'PENALTY' }), 'listVersion').items;
      expect([first.edges.length, first.totalCount, first.pageInfo.hasNextPage]).toEqual([2, 3, true]);
      const rest: any = ok(await api.items(aPower.id, { first: 2, category: 'PENALTY', after: first.pageInfo.endCursor }), 'listVersion').items;
      expect([rest.edges.map((e: any) => e.node.itemCode), rest.totalCount, rest.pageInfo.hasNextPage]).toEqual([['320282-100-CF-003'], 3, false]);
    });

    it('first above the page cap (public 100, admin 1000) or below 0 is refused (BAD_USER_INPUT, field first)', async () => {
      expect(errorOf(await api.items(a2.id, { first: 101 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(errorOf(await api.items(a2.id, { first: 100000 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(errorOf(await api.items(a2.id, { first: -1 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(ok(await api.items(a2.id, { first: 100 }), 'listVersion').items.edges).toHaveLength(45);
      expect(errorOf(await api.items(a2.id, { first: 1001 }, editor))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(ok(await api.items(a2.id, { first: 1000 }, editor), 'listVersion').items.edges).toHaveLength(45);
    });
  });

  describe('no N+1', () => {
    const WHOLE_LIST = `query($id:ID!){ listVersion(id:$id){ number region { name }
      items(first:100){ totalCount edges { node { itemCode accountableBody { name region { name } } cooperating { body { name } duty } citations { label text } } } } } }`;

    /** Runs one HTTP request and counts the SQL statements TypeORM sends meanwhile. */
    async function countStatements(run: () => Promise<unknown>): Promise<{ result: any; statements: string[] }> {
      const logger = app.dataSource.logger;
      const own = Object.prototype.hasOwnProperty.call(logger, 'logQuery');
      const original = logger.logQuery;
      const statements: string[] = [];
      logger.logQuery = function (query: string, parameters?: unknown[], queryRunner?: any) {
        statements.push(query.replace(/\s+/g, ' ').trim());
        return original.call(this, query, parameters, queryRunner);
      };
      try {
        return { result: await run(), statements };
      } finally {
        if (own) logger.logQuery = original;
        else delete (logger as { logQuery?: unknown }).logQuery;
      }
    }

    it('a whole list with bodies, regions, cooperating bodies and citations takes a small fixed number of statements', async () => {
      const a = await countStatements(() => app.publicGql(WHOLE_LIST, { id: a2.id }));
      const b = await countStatements(() => app.publicGql(WHOLE_LIST, { id: b1.id }));
      const listA = ok(a.result, 'listVersion');
      const listB = ok(b.result, 'listVersion');
      expect(listA.items.edges).toHaveLength(45);
      expect(listB.items.edges).toHaveLength(24);
      expect(listA.region.name).toBe('张渚镇');
      // the answer is complete: every body named with its region, citations carry their label
      const nodes = [...listA.items.edges, ...listB.items.edges].map((e: any) => e.node);
      expect(nodes.every((n: any) => n.accountableBody?.name && n.accountableBody.region?.name)).toBe(true);
      expect(nodes.flatMap((n: any) => n.cooperating).every((c: any) => c.body?.name && c.duty)).toBe(true);
      expect(nodes.flatMap((n: any) => n.citations).length).toBeGreaterThan(60);
      expect(nodes.find((n: any) => n.itemCode === '320282-100-PH-015').citations.map((c: any) => c.label)).toEqual([
        '《中华人民共和国消防法》第四条第一款',
        '《中华人民共和国消防法》第三十二条',
      ]);

      console.log(`[${app.engine}] whole-list query: ${a.statements.length} SQL statements for 45 items (town A RESPONSIBILITY v2), ` +
        `${b.statements.length} for 24 items (town B RESPONSIBILITY v1)\n  ${a.statements.map((s) => s.slice(0, 110)).join('\n  ')}`);
      expect(a.statements.length).toBeLessThanOrEqual(8);
      expect(b.statements.length).toBe(a.statements.length);
      // the logger is restored
      const after = await countStatements(async () => null);
      expect(after.statements).toEqual([]);
    });
  });
});
