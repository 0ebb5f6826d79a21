import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';

const REGION = '{ code name level }';
const fieldOf = (r: GraphQLResponse) => r.errors?.[0]?.extensions?.field;

describe('regions and bodies over HTTP', () => {
  let app: TestApp;
  let editorToken: string;
  beforeAll(async () => {
    app = await startTestApp();
    editorToken = await app.createUser('rb-editor', 'EDITOR', '320282');
  });
  afterAll(() => app?.close());

  describe('region(code)', () => {
    it.each([
      ['32', { code: '320000000000', name: '江苏省', level: 'PROVINCE' }],
      ['3202', { code: '320200000000', name: '无锡市', level: 'CITY' }],
      ['320282', { code: '320282000000', name: '宜兴市', level: 'COUNTY' }],
      ['320282100', { code: '320282100000', name: '张渚镇', level: 'TOWNSHIP' }],
      ['320282100000', { code: '320282100000', name: '张渚镇', level: 'TOWNSHIP' }],
      [' 320282 ', { code: '320282000000', name: '宜兴市', level: 'COUNTY' }],
    ])('pads the short form %j to the 12-digit code', async (input, expected) => {
      const r = await app.publicGql(`query($c:String!){ region(code:$c) ${REGION} }`, { c: input });
      expect(r.errors).toBeUndefined();
      expect(r.data.region).toEqual(expected);
    });

    it('answers the same on the admin endpoint', async () => {
      const r = await app.adminGql('{ region(code:"320282100") { code name } }');
      expect(r.data.region).toEqual({ code: '320282100000', name: '张渚镇' });
    });

    it('finds the villages loaded with the demo county', async () => {
      const r = await app.publicGql('{ region(code:"320282100208") { name level parent { code } } }');
      expect(r.data.region).toMatchObject({ level: 'VILLAGE', parent: { code: '320282100000' } });
    });

    it.each([['3202x'], ['123'], ['3'], [''], ['3202820001'], ['1234567890123']])('refuses the malformed code %j with BAD_USER_INPUT naming the field', async (input) => {
      const r = await app.publicGql('query($c:String!){ region(code:$c) { code } }', { c: input });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldOf(r)).toBe('code');
      expect(r.errors![0].message).toContain('区划代码');
      expect(r.data?.region ?? null).toBeNull();
    });

    it.each([['99'], ['329900'], ['320282999']])('answers null for the unknown code %j', async (input) => {
      const r = await app.publicGql('query($c:String!){ region(code:$c) { code } }', { c: input });
      expect(r.errors).toBeUndefined();
      expect(r.data.region).toBeNull();
    });

    it('walks parent and children', async () => {
      const r = await app.publicGql('{ region(code:"320282100") { parent { code name parent { code name parent { code parent { code } } } } children { code level } } }');
      expect(r.errors).toBeUndefined();
      const { parent, children } = r.data.region;
      expect(parent).toEqual({
        code: '320282000000',
        name: '宜兴市',
        parent: { code: '320200000000', name: '无锡市', parent: { code: '320000000000', parent: null } },
      });
      expect(children.length).toBe(18);
      expect(children.every((c: { code: string; level: string }) => c.level === 'VILLAGE' && c.code.startsWith('320282100'))).toBe(true);
    });

    it('gives a province no parent', async () => {
      const r = await app.publicGql('{ region(code:"32") { parent { code } } }');
      expect(r.data.region.parent).toBeNull();
    });
  });

  describe('regions(parentCode, level)', () => {
    it('lists the children of a county: its real townships, in code order', async () => {
      const r = await app.publicGql('{ regions(parentCode:"320282") { code name level } }');
      const towns = r.data.regions as { code: string; name: string; level: string }[];
      expect(towns.length).toBe(21);
      expect(towns.map((t) => t.code)).toEqual([...towns.map((t) => t.code)].sort());
      expect(towns).toContainEqual({ code: '320282100000', name: '张渚镇', level: 'TOWNSHIP' });
      expect(towns).toContainEqual({ code: '320282103000', name: '徐舍镇', level: 'TOWNSHIP' });
    });

    it('lists the provinces without arguments, and a level nationwide', async () => {
      const provinces = (await app.publicGql(`{ regions ${REGION} }`)).data.regions;
      expect(provinces.length).toBe(31);
      expect(provinces.every((p: { level: string }) => p.level === 'PROVINCE')).toBe(true);
      expect((await app.publicGql('{ regions(level: PROVINCE) { code } }')).data.regions.length).toBe(31);
    });

    it('lists the descendants of a region at a level', async () => {
      const counties = (await app.publicGql('{ regions(parentCode:"32", level: COUNTY) { code name level } }')).data.regions;
      expect(counties).toContainEqual({ code: '320282000000', name: '宜兴市', level: 'COUNTY' });
      expect(counties.every((c: { code: string; level: string }) => c.code.startsWith('32') && c.level === 'COUNTY')).toBe(true);
      const villages = (await app.publicGql('{ regions(parentCode:"320282", level: VILLAGE) { code } }')).data.regions;
      expect(villages.length).toBeGreaterThan(100);
    });

    it('refuses a malformed parentCode naming the field, and answers [] for an unknown one', async () => {
      const bad = await app.publicGql('{ regions(parentCode:"32x") { code } }');
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldOf(bad)).toBe('parentCode');
      expect((await app.publicGql('{ regions(parentCode:"99") { code } }')).data.regions).toEqual([]);
    });
  });

  describe('bodies(regionCode)', () => {
    const BODIES = 'query($r:String!){ bodies(regionCode:$r) { id name kind level region { code name } } }';

    it.each(['public', 'admin'] as const)('lists the bodies of the demo county on the %s endpoint', async (endpoint) => {
      const r = endpoint === 'public' ? await app.publicGql(BODIES, { r: '320282' }) : await app.adminGql(BODIES, { r: '320282' });
      expect(r.errors).toBeUndefined();
      const bodies = r.data.bodies;
      expect(bodies.length).toBeGreaterThanOrEqual(28);
      expect(bodies).toContainEqual(expect.objectContaining({ name: '宜兴市人民政府', kind: '人民政府', level: 'COUNTY', region: { code: '320282000000', name: '宜兴市' } }));
      expect(bodies).toContainEqual(expect.objectContaining({ name: '张渚镇人民政府', level: 'TOWNSHIP', region: { code: '320282100000', name: '张渚镇' } }));
      expect(bodies).toContainEqual(expect.objectContaining({ name: '善卷村村民委员会', kind: '村(居)民委员会', level: 'VILLAGE' }));
    });

    it('narrows to a township: its own bodies and its villages, not the county departments', async () => {
      const names = (await app.publicGql(BODIES, { r: '320282100' })).data.bodies.map((b: { name: string }) => b.name);
      expect(names).toEqual(expect.arrayContaining(['张渚镇人民政府', '张渚镇综合行政执法大队', '善卷村村民委员会']));
      expect(names).not.toContain('宜兴市人民政府');
      expect(names).not.toContain('徐舍镇人民政府');
    });

    it('refuses a malformed regionCode naming the field', async () => {
      const r = await app.publicGql(BODIES, { r: 'abc' });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldOf(r)).toBe('regionCode');
    });
  });

  describe('createBody and renameBody (ADMIN)', () => {
    const CREATE = 'mutation($n:String!,$k:String!,$r:String!){ createBody(name:$n, kind:$k, regionCode:$r) { id name kind level region { code } } }';
    const RENAME = 'mutation($id:ID!,$n:String!){ renameBody(id:$id, name:$n) { id name level } }';

    it('creates a township body with the level of its region', async () => {
      const r = await app.adminGql(CREATE, { n: '张渚镇便民服务中心', k: '派出机构', r: '320282100' });
      expect(r.errors).toBeUndefined();
      expect(r.data.createBody).toMatchObject({ name: '张渚镇便民服务中心', kind: '派出机构', level: 'TOWNSHIP', region: { code: '320282100000' } });
      const listed = (await app.publicGql('{ bodies(regionCode:"320282100") { id } }')).data.bodies.map((b: { id: string }) => b.id);
      expect(listed).toContain(r.data.createBody.id);
    });

    it('creates a county body with level COUNTY, trimming the name', async () => {
      const r = await app.adminGql(CREATE, { n: '  宜兴市数据局 ', k: '政府部门', r: '320282000000' });
      expect(r.data.createBody).toMatchObject({ name: '宜兴市数据局', level: 'COUNTY', region: { code: '320282000000' } });
    });

    it('refuses a name already used in the same county, even at another level (field name)', async () => {
      const r = await app.adminGql(CREATE, { n: '宜兴市人民政府', k: '人民政府', r: '320282103' });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldOf(r)).toBe('name');
      expect(r.errors![0].message).toContain('宜兴市人民政府');
    });

    it('allows the same name in another county', async () => {
      const r = await app.adminGql(CREATE, { n: '张渚镇便民服务中心', k: '派出机构', r: '320281' });
      expect(r.errors).toBeUndefined();
      expect(r.data.createBody.level).toBe('COUNTY');
    });

    it('refuses an unknown kind (field kind), an empty name (field name), an unknown region (field regionCode)', async () => {
      const kind = await app.adminGql(CREATE, { n: '某某机构', k: '公司', r: '320282' });
      expect([codeOf(kind), fieldOf(kind)]).toEqual(['BAD_USER_INPUT', 'kind']);
      const name = await app.adminGql(CREATE, { n: '   ', k: '政府部门', r: '320282' });
      expect([codeOf(name), fieldOf(name)]).toEqual(['BAD_USER_INPUT', 'name']);
      const region = await app.adminGql(CREATE, { n: '某某机构', k: '政府部门', r: '329999' });
      expect([codeOf(region), fieldOf(region)]).toEqual(['BAD_USER_INPUT', 'regionCode']);
    });

    it('refuses a non-admin with FORBIDDEN, and an anonymous caller with UNAUTHENTICATED', async () => {
      const editor = await app.adminGql(CREATE, { n: '编辑建的机构', k: '政府部门', r: '320282' }, editorToken);
      expect(codeOf(editor)).toBe('FORBIDDEN');
      expect(editor.data?.createBody ?? null).toBeNull();
      const anonymous = await app.adminGql(CREATE, { n: '匿名建的机构', k: '政府部门', r: '320282' }, null);
      expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
      const names = (await app.publicGql('{ bodies(regionCode:"320282") { name } }')).data.bodies.map((b: { name: string }) => b.name);
      expect(names).not.toContain('编辑建的机构');
      expect(names).not.toContain('匿名建的机构');
    });

    it('renames a body, keeping the name unique in the county', async () => {
      const created = (await app.adminGql(CREATE, { n: '徐舍镇农业服务中心', k: '派出机构', r: '320282103' })).data.createBody;
      const renamed = await app.adminGql(RENAME, { id: created.id, n: '徐舍镇农业农村服务中心' });
      expect(renamed.data.renameBody).toEqual({ id: created.id, name: '徐舍镇农业农村服务中心', level: 'TOWNSHIP' });
      const same = await app.adminGql(RENAME, { id: created.id, n: '徐舍镇农业农村服务中心' });
      expect(same.errors).toBeUndefined();
      const taken = await app.adminGql(RENAME, { id: created.id, n: '徐舍镇人民政府' });
      expect([codeOf(taken), fieldOf(taken)]).toEqual(['BAD_USER_INPUT', 'name']);
      const missing = await app.adminGql(RENAME, { id: '00000000-0000-4000-8000-000000000000', n: '随便' });
      expect(codeOf(missing)).toBe('NOT_FOUND');
      expect(codeOf(await app.adminGql(RENAME, { id: created.id, n: '编辑改名' }, editorToken))).toBe('FORBIDDEN');
    });
  });
});
