// The county office's workflow (issue 13), over /admin/graphql as a client would: unknown bodies
// suggested, aliases, bodies imported in bulk (GraphQL and CLI) and merged; the gates (import
// warnings, submit blockers, reasons per item, what the reviewer sees); partial edits; change
// reasons; permission errors that name the role or the scope.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bodiesImport } from '../../src/cli/commands.js';
import { CliError } from '../../src/cli/cli-error.js';
import { COUNTY, listApi, ok, VERSION_FIELDS } from '../setup/lists-api.js';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';

const XIZHU = { code: '320282101000', name: '西渚镇' };
const HUFU = { code: '320282113000', name: '湖㳇镇' };
const GUANLIN = { code: '320282104000', name: '官林镇' };
const ENV_BUREAU = '无锡市宜兴生态环境局';

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\n'), 'utf8');
const FINDINGS = 'gateFindings { itemCode name kind message exceptionReason }';

describe('county workflow', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let reviewer: string;
  let township: string;
  let otherEditor: string;

  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) => app.adminGql(query, variables, token);
  const message = (r: GraphQLResponse) => r.errors?.[0]?.message ?? '';
  const bodyId = async (name: string) => (await app.dataSource.query('SELECT id FROM body WHERE name = $1', [name]))[0].id as string;
  const importList = (token: string, regionCode: string, content: Buffer, extra = '') =>
    gql(
      token,
      `mutation($r:String!,$c:String!){ importList(regionCode:$r, kind:RESPONSIBILITY, fileName:"list.csv", contentBase64:$c${extra}){
        itemsImported errors { row column message } warnings { row column message } version { id revision changeReason changeNote } } }`,
      { r: regionCode, c: content.toString('base64') },
    );
  const importBodies = (token: string, content: Buffer, dryRun = false, fileName = 'bodies.csv') =>
    gql(
      token,
      `mutation($f:String!,$c:String!,$d:Boolean){ importBodies(fileName:$f, contentBase64:$c, dryRun:$d){
        created unchanged aliasesAdded errors { row column message } bodies { name kind aliases region { code } } } }`,
      { f: fileName, c: content.toString('base64'), d: dryRun },
    );
  const findingsOf = async (token: string, versionId: string) => ok(await gql(token, `query($id:ID!){ listVersion(id:$id){ revision ${FINDINGS} } }`, { id: versionId }), 'listVersion');
  const recordReason = (token: string, versionId: string, itemCode: string, reason: string) =>
    gql(token, `mutation($v:ID!,$c:String!,$r:String!){ recordGateException(versionId:$v, itemCode:$c, reason:$r){ revision ${FINDINGS} } }`, { v: versionId, c: itemCode, r: reason });
  const auditOf = (action: string) => app.dataSource.query('SELECT entity_type, entity_id, before, after, actor FROM audit_event WHERE action = $1 ORDER BY seq', [action]);

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    editor = await app.createUser('cw-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('cw-reviewer', 'REVIEWER', COUNTY);
    township = await app.createUser('cw-township', 'TOWNSHIP', XIZHU.code);
    otherEditor = await app.createUser('cw-jiangyin', 'EDITOR', '320281');
    for (const town of [XIZHU, HUFU, GUANLIN]) ok(await api.createBody(`${town.name}人民政府`, town.code, '人民政府'), 'createBody');
  });
  afterAll(() => app?.close());

  describe('unknown bodies', () => {
    it('saveItem suggests the closest body of the county, the renamed environment bureau first', async () => {
      const draft = ok(await api.createDraft(editor, XIZHU.code, 'RESPONSIBILITY'), 'createDraft');
      const r = await api.saveItem(editor, draft.id, {
        itemCode: 'XZ-PH-001', name: '秸秆禁烧配合', section: 'COOPERATIVE', accountableBodyName: '宜兴市环保局', townshipDuty: '巡查报告',
        cooperating: [{ bodyName: '宜兴市安监局', duty: '安全指导' }],
      });
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      const errors = r.errors![0].extensions!.errors as { field: string; message: string }[];
      expect(errors.find((e) => e.field === 'accountableBodyName')!.message).toContain(`您是否指“${ENV_BUREAU}”`);
      expect(errors.find((e) => e.field === 'cooperating[0].bodyName')!.message).toContain('您是否指“宜兴市应急管理局”');
    });

    it('an import names the suggestion at the row and column of the unknown body', async () => {
      const r = ok(
        await importList(editor, HUFU.code, csv([
          ['事项编码', '事项名称', '清单部分', '实施依据', '责任主体', '乡镇职责'],
          ['TH-PH-001', '大气污染防治配合', '配合履职', '《中华人民共和国城乡规划法》第六十五条', '宜兴市环保局', '巡查'],
        ])),
        'importList',
      );
      expect(r.version).toBeNull();
      expect(r.errors).toEqual([expect.objectContaining({ row: 2, column: '责任主体', message: expect.stringContaining(`您是否指“${ENV_BUREAU}”`) })]);
    });

    it('a recorded alias resolves; it cannot be another body’s name; it can be removed; out of scope is refused naming the scope', async () => {
      const env = await bodyId(ENV_BUREAU);
      const added = ok(await gql(editor, 'mutation($b:ID!,$a:String!){ addBodyAlias(bodyId:$b, alias:$a){ name aliases } }', { b: env, a: '宜兴市环保局' }), 'addBodyAlias');
      expect(added).toEqual({ name: ENV_BUREAU, aliases: ['宜兴市环保局'] });
      const pub = await app.publicGql('{ bodies(regionCode:"320282") { name aliases } }');
      expect(pub.data.bodies).toContainEqual({ name: ENV_BUREAU, aliases: ['宜兴市环保局'] });

      const draft = ok(await api.versions(XIZHU.code, 'RESPONSIBILITY', editor), 'listVersions')[0];
      const saved = ok(await api.saveItem(editor, draft.id, {
        itemCode: 'XZ-PH-001', name: '秸秆禁烧配合', section: 'COOPERATIVE', accountableBodyName: '宜兴市环保局', townshipDuty: '巡查报告',
        legalBasis: '《中华人民共和国城乡规划法》第六十五条',
      }), 'saveItem');
      expect(saved.accountableBody.name).toBe(ENV_BUREAU);

      const clash = await gql(editor, 'mutation($b:ID!,$a:String!){ addBodyAlias(bodyId:$b, alias:$a){ name } }', { b: env, a: '宜兴市公安局' });
      expect(codeOf(clash)).toBe('BAD_USER_INPUT');
      expect(message(clash)).toContain('已是本县主体“宜兴市公安局”的名称');
      const again = await gql(editor, 'mutation($b:ID!,$a:String!){ addBodyAlias(bodyId:$b, alias:$a){ name } }', { b: await bodyId('宜兴市公安局'), a: '宜兴市环保局' });
      expect(message(again)).toContain(`已登记为本县主体“${ENV_BUREAU}”的别名`);

      const foreign = await gql(otherEditor, 'mutation($b:ID!,$a:String!){ addBodyAlias(bodyId:$b, alias:$a){ name } }', { b: env, a: '环保' });
      expect(codeOf(foreign)).toBe('FORBIDDEN');
      expect(message(foreign)).toContain('不在您的辖区 320281 内');
      const byTownship = await gql(township, 'mutation($b:ID!,$a:String!){ addBodyAlias(bodyId:$b, alias:$a){ name } }', { b: env, a: '环保' });
      expect(message(byTownship)).toMatch(/需要 EDITOR 或 ADMIN 角色.*您的角色是 TOWNSHIP/);

      ok(await gql(editor, 'mutation($b:ID!,$a:String!){ addBodyAlias(bodyId:$b, alias:$a){ name } }', { b: env, a: '宜兴环保' }), 'addBodyAlias');
      const removed = ok(await gql(editor, 'mutation($b:ID!,$a:String!){ removeBodyAlias(bodyId:$b, alias:$a){ aliases } }', { b: env, a: '宜兴环保' }), 'removeBodyAlias');
      expect(removed.aliases).toEqual(['宜兴市环保局']);
      expect((await auditOf('addBodyAlias')).map((e: any) => e.after.alias)).toEqual(['宜兴市环保局', '宜兴环保']);
      expect((await auditOf('removeBodyAlias')).map((e: any) => e.before.alias)).toEqual(['宜兴环保']);
    });
  });

  describe('bodies in bulk', () => {
    const FILE = csv([
      ['主体名称', '主体类型', '区划代码', '别名'],
      ['宜兴市交通运输局', '政府部门', '320282', '宜兴市交通局、交通局'],
      ['宜兴市文化广电和旅游局', '政府部门', '320282000000', ''],
      ['宜兴市公安局', '政府部门', '320282', '宜兴公安'],
    ]);

    it('a file with bad rows writes nothing and names each row and column', async () => {
      const before = (await app.dataSource.query('SELECT count(*)::int AS n FROM body'))[0].n;
      const r = ok(await importBodies(editor, csv([
        ['主体名称', '主体类型', '区划代码'],
        ['宜兴市发展和改革委员会', '政府部门', '320282'],
        ['宜兴市审计局', '政府机关', '320282'],
        ['江阴市审计局', '政府部门', '320281'],
        ['宜兴市发展和改革委员会', '政府部门', '320282'],
        ['宜兴市公安局', '执法机构', '320282'],
      ])), 'importBodies');
      expect(r.created).toBe(0);
      expect(r.errors).toEqual(expect.arrayContaining([
        expect.objectContaining({ row: 3, column: '主体类型', message: expect.stringContaining('“政府机关”无效') }),
        expect.objectContaining({ row: 4, column: '区划代码', message: expect.stringContaining('不在您的辖区 320282 内') }),
        expect.objectContaining({ row: 5, column: '主体名称', message: expect.stringContaining('与第2行的主体名称重复') }),
      ]));
      expect((await app.dataSource.query('SELECT count(*)::int AS n FROM body'))[0].n).toBe(before);
    });

    it('a dry run reports and writes nothing; the import creates, keeps what exists, adds aliases, audited', async () => {
      const dry = ok(await importBodies(editor, FILE, true), 'importBodies');
      expect(dry).toMatchObject({ created: 2, unchanged: 1, aliasesAdded: 3, errors: [], bodies: [] });
      expect(await app.dataSource.query(`SELECT id FROM body WHERE name = '宜兴市交通运输局'`)).toEqual([]);

      const r = ok(await importBodies(editor, FILE), 'importBodies');
      expect(r).toMatchObject({ created: 2, unchanged: 1, aliasesAdded: 3, errors: [] });
      expect(r.bodies).toEqual([
        { name: '宜兴市交通运输局', kind: '政府部门', aliases: ['交通局', '宜兴市交通局'], region: { code: '320282000000' } },
        { name: '宜兴市文化广电和旅游局', kind: '政府部门', aliases: [], region: { code: '320282000000' } },
      ]);
      const again = ok(await importBodies(editor, FILE), 'importBodies');
      expect(again).toMatchObject({ created: 0, unchanged: 3, aliasesAdded: 0, errors: [] });
      const [event] = await auditOf('importBodies');
      expect(event.after).toMatchObject({ fileName: 'bodies.csv', created: 2, unchanged: 1, aliasesAdded: 3 });
      expect(event.actor).toBe('cw-editor');
    });

    it('the CLI reads the same files (bodies:import), and refuses a bad one with every problem', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-bodies-'));
      const lines: string[] = [];
      const ctx = { app: app.registry.app, dataSource: app.dataSource, config: {} as any, engine: app.engine, say: (l: string) => lines.push(l) };
      const good = path.join(dir, 'bodies.csv');
      fs.writeFileSync(good, csv([['名称', '类型', '行政区划代码'], ['宜兴市商务局', '政府部门', '320282']]));
      await bodiesImport(ctx, good, {});
      expect(lines.join('\n')).toContain('Created 1 bodies, 0 unchanged, 0 alias(es) added');
      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(bad, csv([['主体名称', '主体类型', '区划代码'], ['宜兴市某局', '政府部门', '999999']]));
      await expect(bodiesImport(ctx, bad, {})).rejects.toThrow(CliError);
      expect(lines.join('\n')).toMatch(/第2行「区划代码」：.*999999/);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('merging two bodies that are one', () => {
    it('moves the drafts’ references, keeps published items and the merged body as a redirecting record, audited', async () => {
      ok(await api.createBody('宜兴市交通局（旧）', '320282', '政府部门'), 'createBody');
      const old = await bodyId('宜兴市交通局（旧）');
      const keep = await bodyId('宜兴市交通运输局');
      ok(await gql(editor, 'mutation($b:ID!){ addBodyAlias(bodyId:$b, alias:"交通旧局"){ name } }', { b: old }), 'addBodyAlias');
      await app.createUser('cw-transport', 'DEPARTMENT', COUNTY, { bodyId: old });
      const item = (n: string, body: string) => ({
        itemCode: `GL-PH-00${n}`, name: `农村公路养护配合${n}`, section: 'COOPERATIVE', accountableBodyName: body, townshipDuty: '巡查',
        legalBasis: '《中华人民共和国城乡规划法》第六十五条',
        cooperating: [{ bodyName: n === '1' ? '宜兴市交通运输局' : '宜兴市公安局', duty: '配合' }],
      });
      const published = await api.publishWith({ editor, reviewer }, GUANLIN.code, 'RESPONSIBILITY', [item('1', '宜兴市交通局（旧）')], '2027-01-01', '宜政发〔2027〕1号');
      const draft = ok(await api.createDraft(editor, GUANLIN.code, 'RESPONSIBILITY'), 'createDraft');
      ok(await api.saveItem(editor, draft.id, item('2', '宜兴市交通局（旧）')), 'saveItem');
      const inForce = ok(await api.saveItem(editor, draft.id, { ...item('1', '宜兴市交通局（旧）'), townshipDuty: '巡查并报告' }), 'saveItem');
      expect(inForce.cooperating[0].body.name).toBe('宜兴市交通运输局');

      const byTownship = await gql(township, 'mutation($k:ID!,$m:ID!){ mergeBodies(keepId:$k, mergeId:$m, reason:"机构改革"){ name } }', { k: keep, m: old });
      expect(codeOf(byTownship)).toBe('FORBIDDEN');
      expect(message(byTownship)).toContain('需要 EDITOR 或 ADMIN 角色');
      const noReason = await gql(editor, 'mutation($k:ID!,$m:ID!){ mergeBodies(keepId:$k, mergeId:$m, reason:" "){ name } }', { k: keep, m: old });
      expect({ code: codeOf(noReason), field: noReason.errors?.[0]?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'reason' });

      const merged = ok(await gql(editor, 'mutation($k:ID!,$m:ID!){ mergeBodies(keepId:$k, mergeId:$m, reason:"机构改革后更名，两者为同一部门"){ name } }', { k: keep, m: old }), 'mergeBodies');
      expect(merged.name).toBe('宜兴市交通运输局');

      const items = ok(await api.items(draft.id, { first: 10 }, editor, 'itemCode townshipDuty accountableBody { name } cooperating { body { name } duty }'), 'listVersion').items.edges.map((e: any) => e.node);
      expect(items).toEqual([
        // The lead is now the kept body; its own cooperating entry is dropped.
        { itemCode: 'GL-PH-001', townshipDuty: '巡查并报告', accountableBody: { name: '宜兴市交通运输局' }, cooperating: [] },
        { itemCode: 'GL-PH-002', townshipDuty: '巡查', accountableBody: { name: '宜兴市交通运输局' }, cooperating: [{ body: { name: '宜兴市公安局' }, duty: '配合' }] },
      ]);
      const pubItems = ok(await api.items(published.id, { first: 10 }, undefined, 'itemCode accountableBody { name }'), 'listVersion').items.edges.map((e: any) => e.node);
      expect(pubItems).toEqual([{ itemCode: 'GL-PH-001', accountableBody: { name: '宜兴市交通局（旧）' } }]);

      const listed = await app.publicGql('{ bodies(regionCode:"320282", includeMerged:true) { name mergedInto { name } } }');
      expect(listed.data.bodies).toContainEqual({ name: '宜兴市交通局（旧）', mergedInto: { name: '宜兴市交通运输局' } });
      const current = await app.publicGql('{ bodies(regionCode:"320282") { name } }');
      expect(current.data.bodies.map((b: any) => b.name)).not.toContain('宜兴市交通局（旧）');

      // The old name now resolves to the kept body.
      const resaved = ok(await api.saveItem(editor, draft.id, item('3', '宜兴市交通局（旧）')), 'saveItem');
      expect(resaved.accountableBody.name).toBe('宜兴市交通运输局');

      const events = await auditOf('mergeBodies');
      expect(events.map((e: any) => e.entity_type).sort()).toEqual(['Body', 'Body', 'ListVersion']);
      expect(events.find((e: any) => e.entity_id === old).after).toEqual({
        mergedIntoId: keep, keptName: '宜兴市交通运输局', reason: '机构改革后更名，两者为同一部门',
        drafts: [{ versionId: draft.id, items: ['GL-PH-001', 'GL-PH-002'] }], aliasesMoved: ['交通旧局'], usersMoved: ['cw-transport'], earlierMergesRedirected: [],
      });
      const user = (await app.dataSource.query(`SELECT body_id FROM app_user WHERE username = 'cw-transport'`))[0];
      expect(user.body_id).toBe(keep);
      expect(ok(await gql(editor, '{ bodies(regionCode:"320282") { name aliases } }'), 'bodies')).toContainEqual({ name: '宜兴市交通运输局', aliases: ['交通局', '宜兴市交通局', '交通旧局'] });

      const twice = await gql(editor, 'mutation($k:ID!,$m:ID!){ mergeBodies(keepId:$k, mergeId:$m, reason:"再次"){ name } }', { k: keep, m: old });
      expect(codeOf(twice)).toBe('CONFLICT');
    });

    it('refuses while a version in review names the merged body, and changes nothing', async () => {
      ok(await api.createBody('宜兴市旅游局', '320282', '政府部门'), 'createBody');
      const draft = ok(await api.versions(GUANLIN.code, 'RESPONSIBILITY', editor), 'listVersions')[0];
      ok(await api.saveItem(editor, draft.id, {
        itemCode: 'GL-PH-009', name: '旅游安全配合', section: 'COOPERATIVE', accountableBodyName: '宜兴市旅游局', townshipDuty: '巡查',
        legalBasis: '《中华人民共和国城乡规划法》第六十五条',
      }), 'saveItem');
      ok(await api.submit(editor, draft.id), 'submitForReview');
      const r = await gql(editor, 'mutation($k:ID!,$m:ID!){ mergeBodies(keepId:$k, mergeId:$m, reason:"合并"){ name } }', { k: await bodyId('宜兴市文化广电和旅游局'), m: await bodyId('宜兴市旅游局') });
      expect(codeOf(r)).toBe('CONFLICT');
      expect(message(r)).toContain('审核中或已审核通过的版本');
      expect((await app.dataSource.query(`SELECT merged_into_id FROM body WHERE name = '宜兴市旅游局'`))[0].merged_into_id).toBeNull();
      ok(await api.reject(reviewer, draft.id, '退回'), 'rejectVersion');
    });
  });

  describe('gates', () => {
    const TOWN = { code: '320282105000', name: '杨巷镇' };
    let versionId: string;

    it('an import warns of a missing legal basis, a duplicate name in one part and an unresolved citation', async () => {
      ok(await api.createBody(`${TOWN.name}人民政府`, TOWN.code, '人民政府'), 'createBody');
      const gov = `${TOWN.name}人民政府`;
      const r = ok(
        await importList(editor, TOWN.code, csv([
          ['事项编码', '事项名称', '清单部分', '实施依据', '责任主体', '乡镇职责'],
          ['YX-JB-001', '乡村违法建设查处', '基本履职', '《中华人民共和国城乡规划法》第六十五条', gov, '查处'],
          ['YX-JB-002', '乡村违法建设查处', '基本履职', '《中华人民共和国城乡规划法》第六十五条', gov, '查处'],
          ['YX-JB-003', '农村公益事业', '基本履职', '', gov, '组织'],
          ['YX-JB-004', '集贸市场管理', '基本履职', '《宜兴市集贸市场管理暂行办法》第九条', gov, '管理'],
          ['YX-PH-001', '乡村违法建设查处', '配合履职', '《中华人民共和国城乡规划法》第六十五条', '宜兴市自然资源和规划局', '配合'],
        ]), ', changeReason:"乡镇申请", changeNote:"根据镇政府2027年3月来函调整"'),
        'importList',
      );
      expect(r.errors).toEqual([]);
      versionId = r.version.id;
      expect(r.version).toMatchObject({ changeReason: '乡镇申请', changeNote: '根据镇政府2027年3月来函调整' });
      const gates = r.warnings.filter((w: any) => /提交审核前/.test(w.message));
      expect(gates).toEqual([
        expect.objectContaining({ row: 2, column: '事项名称', message: expect.stringContaining('与基本履职事项中的 YX-JB-002 同名') }),
        expect.objectContaining({ row: 3, column: '事项名称', message: expect.stringContaining('YX-JB-001 同名') }),
        expect.objectContaining({ row: 4, column: '实施依据', message: expect.stringContaining('没有实施依据') }),
        expect.objectContaining({ row: 5, column: '实施依据', message: expect.stringContaining('《宜兴市集贸市场管理暂行办法》第九条') }),
      ]);
    });

    it('blocks submitForReview until each item has a reason; the reviewer sees every finding with its reason, audited', async () => {
      const refused = await api.submit(editor, versionId);
      expect(codeOf(refused)).toBe('CONFLICT');
      expect(message(refused)).toContain('4项问题未说明理由');
      expect((refused.errors![0].extensions!.findings as any[]).map((f) => [f.itemCode, f.kind])).toEqual([
        ['YX-JB-001', 'DUPLICATE_NAME'], ['YX-JB-002', 'DUPLICATE_NAME'], ['YX-JB-003', 'NO_LEGAL_BASIS'], ['YX-JB-004', 'UNRESOLVED_CITATION'],
      ]);
      const noFinding = await recordReason(editor, versionId, 'YX-PH-001', '无');
      expect({ code: codeOf(noFinding), field: noFinding.errors?.[0]?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'itemCode' });
      const byReviewer = await recordReason(reviewer, versionId, 'YX-JB-003', '理由');
      expect(message(byReviewer)).toContain('需要 EDITOR 或 ADMIN 角色');

      ok(await recordReason(editor, versionId, 'YX-JB-001', '两处执法主体不同，名称沿用省目录'), 'recordGateException');
      ok(await recordReason(editor, versionId, 'YX-JB-002', '同上'), 'recordGateException');
      ok(await recordReason(editor, versionId, 'YX-JB-003', '公益事业组织属乡镇固有职责，依据见地方组织法（待补录）'), 'recordGateException');
      const withTemp = ok(await recordReason(editor, versionId, 'YX-JB-004', '临时'), 'recordGateException');
      expect(withTemp.gateFindings.filter((f: any) => f.exceptionReason === null)).toEqual([]);
      ok(await gql(editor, 'mutation($v:ID!){ clearGateException(versionId:$v, itemCode:"YX-JB-004"){ revision } }', { v: versionId }), 'clearGateException');
      const stillBlocked = await api.submit(editor, versionId);
      expect((stillBlocked.errors![0].extensions!.findings as any[]).map((f) => f.itemCode)).toEqual(['YX-JB-004']);
      ok(await recordReason(editor, versionId, 'YX-JB-004', '县政府规范性文件，尚未收入法规库'), 'recordGateException');

      ok(await api.submit(editor, versionId), 'submitForReview');
      const seen = await findingsOf(reviewer, versionId);
      expect(seen.gateFindings.map((f: any) => [f.itemCode, f.kind, f.exceptionReason])).toEqual([
        ['YX-JB-001', 'DUPLICATE_NAME', '两处执法主体不同，名称沿用省目录'],
        ['YX-JB-002', 'DUPLICATE_NAME', '同上'],
        ['YX-JB-003', 'NO_LEGAL_BASIS', '公益事业组织属乡镇固有职责，依据见地方组织法（待补录）'],
        ['YX-JB-004', 'UNRESOLVED_CITATION', '县政府规范性文件，尚未收入法规库'],
      ]);
      expect((await auditOf('recordGateException')).filter((e: any) => e.entity_id === versionId)).toHaveLength(5);
      expect((await auditOf('clearGateException'))[0].before).toEqual({ itemCode: 'YX-JB-004', reason: '临时' });
      const [submitted] = (await auditOf('submitForReview')).filter((e: any) => e.entity_id === versionId);
      expect(submitted.after.gateFindings).toHaveLength(4);
    });
  });

  describe('partial edits', () => {
    it('updateItem changes only the given fields, null clears, a required field cannot be cleared, stale revisions conflict', async () => {
      const draft = ok(await api.versions(XIZHU.code, 'RESPONSIBILITY', editor), 'listVersions')[0];
      const before = ok(await api.saveItem(editor, draft.id, {
        itemCode: 'XZ-JB-001', name: '农村人居环境整治', section: 'BASIC', accountableBodyName: '西渚镇人民政府', townshipDuty: '组织整治',
        villageDuty: '日常保洁', legalBasis: '《中华人民共和国城乡规划法》第六十五条', keywords: ['人居环境'],
      }), 'saveItem');
      const { revision } = ok(await api.version(draft.id, editor), 'listVersion');
      const update = (patch: Record<string, unknown>, expectedRevision: number | null = null, code = 'XZ-JB-001') =>
        gql(editor, `mutation($v:ID!,$c:String!,$p:ListItemPatch!,$e:Int){ updateItem(versionId:$v, itemCode:$c, patch:$p, expectedRevision:$e){
          itemCode name townshipDuty villageDuty keywords section accountableBody { name } citations { label } } }`, { v: draft.id, c: code, p: patch, e: expectedRevision });
      const updated = ok(await update({ townshipDuty: '组织开展农村人居环境整治', villageDuty: null }, revision), 'updateItem');
      expect(updated).toEqual({
        itemCode: 'XZ-JB-001', name: '农村人居环境整治', townshipDuty: '组织开展农村人居环境整治', villageDuty: null, keywords: ['人居环境'],
        section: 'BASIC', accountableBody: { name: '西渚镇人民政府' }, citations: before.citations.map((c: any) => ({ label: c.label })),
      });
      const stale = await update({ townshipDuty: 'x' }, revision);
      expect(codeOf(stale)).toBe('VERSION_CONFLICT');
      const cleared = await update({ name: null });
      expect({ code: codeOf(cleared), field: cleared.errors?.[0]?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'name' });
      const missing = await update({ townshipDuty: 'x' }, null, 'XZ-NONE');
      expect(message(missing)).toContain('本草稿中没有事项“XZ-NONE”');
      const empty = await update({});
      expect(codeOf(empty)).toBe('BAD_USER_INPUT');
      const [event] = (await auditOf('updateItem')).slice(-1);
      expect(event.before).toEqual({ townshipDuty: '组织整治', villageDuty: '日常保洁' });
      expect(event.after).toMatchObject({ itemCode: 'XZ-JB-001', townshipDuty: '组织开展农村人居环境整治', villageDuty: null });
    });

    it('the schema says saveItem replaces the whole item and lists the allowed change reasons', async () => {
      const r = await app.adminGql('{ __schema { mutationType { fields { name description args { name description } } } } }');
      const fields = r.data.__schema.mutationType.fields as { name: string; description: string; args: { name: string; description: string | null }[] }[];
      expect(fields.find((f) => f.name === 'saveItem')!.description).toMatch(/Create or replace.*cleared.*updateItem/);
      const reason = fields.find((f) => f.name === 'createDraft')!.args.find((a) => a.name === 'changeReason')!;
      expect(reason.description).toContain('立改废释、职责准入、乡镇申请、其他');
    });
  });

  describe('change reasons and permission messages', () => {
    it('a free-text change reason is refused listing the allowed values; the note keeps free text', async () => {
      const r = await api.createDraft(editor, HUFU.code, 'RESPONSIBILITY', '根据镇里来函');
      expect({ code: codeOf(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ code: 'BAD_USER_INPUT', field: 'changeReason' });
      expect(message(r)).toContain('应为：立改废释、职责准入、乡镇申请、其他');
      expect(r.errors![0].extensions!.allowed).toEqual(['立改废释', '职责准入', '乡镇申请', '其他']);
      const draft = ok(await gql(editor, `mutation($r:String!){ createDraft(regionCode:$r, kind:RESPONSIBILITY, changeReason:"乡镇申请", changeNote:"根据镇里来函"){ ${VERSION_FIELDS} changeNote } }`, { r: HUFU.code }), 'createDraft');
      expect(draft).toMatchObject({ changeReason: '乡镇申请', changeNote: '根据镇里来函' });
    });

    it('names the missing role (guard and services) and the caller’s scope', async () => {
      const asReviewer = await api.createDraft(reviewer, HUFU.code, 'POWER');
      expect(codeOf(asReviewer)).toBe('FORBIDDEN');
      expect(message(asReviewer)).toBe('无权执行此操作：需要 EDITOR 或 ADMIN 角色（您的角色是 REVIEWER，缺少权限 EDIT_LISTS）');
      const draft = ok(await api.versions(HUFU.code, 'RESPONSIBILITY', editor), 'listVersions')[0];
      const asEditor = await api.approve(editor, draft.id);
      expect(message(asEditor)).toContain('需要 REVIEWER 或 ADMIN 角色');
      const elsewhere = await api.createDraft(otherEditor, HUFU.code, 'POWER');
      expect(message(elsewhere)).toBe('“湖㳇镇”（320282113）不在您的辖区 320281 内');
      const foreignVersion = await api.saveItem(otherEditor, draft.id, { itemCode: 'X', name: 'x', accountableBodyName: 'x' });
      expect(message(foreignVersion)).toContain('不在您的辖区 320281 内');
      const upload = await gql(township, 'mutation{ importList(regionCode:"320282101", kind:POWER, fileName:"a.csv", contentBase64:""){ itemsImported } }');
      expect(message(upload)).toContain('需要 EDITOR 或 ADMIN 角色');
    });
  });
});
