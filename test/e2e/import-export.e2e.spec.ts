// Spreadsheets in and out, over HTTP as a client would — the three import doors
// (GraphQL importList, multipart POST /admin/imports, the import:folder command), every bad row
// reported and nothing written, failures mid-import leave nothing, permissions, limits, exports
// (CSV and printable xlsx, visibility), and the round trip export → import as a property.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { importFolder } from '../../src/cli/commands.js';
import { CliError } from '../../src/cli/cli-error.js';
import { COUNTY, listApi, ok, TOWN_A, TOWN_B } from '../setup/lists-api.js';
import { codeOf, startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';

const DEMO = path.resolve('src/seed/demo');
const demo = (name: string) => fs.readFileSync(path.join(DEMO, name));
const TOWNS: Record<string, { code: string; name: string }> = {
  xizhu: { code: '320282101000', name: '西渚镇' },
  zhoutie: { code: '320282110000', name: '周铁镇' },
  guanlin: { code: '320282104000', name: '官林镇' },
  yangxiang: { code: '320282105000', name: '杨巷镇' },
  xinjian: { code: '320282106000', name: '新建镇' },
  heqiao: { code: '320282107000', name: '和桥镇' },
  gaocheng: { code: '320282108000', name: '高塍镇' },
  wanshi: { code: '320282109000', name: '万石镇' },
};
/** Town A's responsibility list as another town of the county would write it: its own government and enforcement team. */
const forTown = (text: string, town: { name: string }) => text.replaceAll('张渚镇人民政府', `${town.name}人民政府`).replaceAll('张渚镇综合行政执法大队', `${town.name}综合行政执法大队`);
const townACsv = demo('town-A-responsibility.csv').toString('utf8');
const ROWS_A = townACsv.trim().split('\n').filter((l) => /^320282-/.test(l)).length;

const REPORT = 'itemsImported added changed unchanged removed errors { row column message } warnings { row column message } version { id number status revision basedOn { id number } }';

describe('spreadsheet import and export', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let reviewer: string;

  const importGql = (token: string | null, regionCode: string, kind: string, fileName: string, content: Buffer) =>
    app.adminGql(
      `mutation($r:String!,$k:ListKind!,$f:String!,$c:String!){ importList(regionCode:$r, kind:$k, fileName:$f, contentBase64:$c){ ${REPORT} } }`,
      { r: regionCode, k: kind, f: fileName, c: content.toString('base64') },
      token,
    );
  const upload = async (token: string | null, fields: Record<string, string>, fileName: string | null, content?: Buffer) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (fileName && content) form.append('file', new Blob([new Uint8Array(content)]), fileName);
    const res = await fetch(`${app.url}/admin/imports`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as any };
  };
  const download = (url: string, token?: string) => fetch(`${app.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const report = (r: GraphQLResponse) => ok(r, 'importList');
  const versionsOf = async (regionCode: string, kind = 'RESPONSIBILITY') => ok(await api.versions(regionCode, kind as any, app.adminToken), 'listVersions') as any[];
  const auditCount = async (regionCode: string) =>
    Number((await app.dataSource.query(`SELECT count(*) AS n FROM audit_event WHERE action = 'importList' AND region_code = $1`, [regionCode]))[0].n);
  const publish = async (versionId: string, from: string) => {
    await api.recordReasons(editor, versionId); // the gates are not what these tests are about
    ok(await api.submit(editor, versionId), 'submitForReview');
    ok(await api.approve(reviewer, versionId, '同意'), 'approveVersion');
    return ok(await api.publish(editor, versionId, from, '宜政发〔2027〕9号'), 'publishVersion');
  };

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    editor = await app.createUser('ie-editor', 'EDITOR', COUNTY);
    reviewer = await app.createUser('ie-reviewer', 'REVIEWER', COUNTY);
    for (const town of Object.values(TOWNS)) {
      ok(await api.createBody(`${town.name}人民政府`, town.code, '人民政府'), 'createBody');
      ok(await api.createBody(`${town.name}综合行政执法大队`, town.code, '执法机构'), 'createBody');
    }
  });
  afterAll(() => app?.close());

  describe('each demo file imports', () => {
    it('town A power list (GraphQL door): every row is the row in force, so the draft changes nothing', async () => {
      const r = report(await importGql(editor, TOWN_A, 'POWER', 'town-A-power.csv', demo('town-A-power.csv')));
      expect(r.errors).toEqual([]);
      expect(r.itemsImported).toBe(23);
      expect([r.added, r.changed, r.unchanged, r.removed]).toEqual([0, 0, 23, 0]);
      expect(r.version).toMatchObject({ status: 'DRAFT', revision: 1, basedOn: { number: 1 } });
      expect(ok(await api.diff(r.version.basedOn.id, r.version.id, editor), 'versionDiff').changes).toEqual([]);
      expect(await auditCount(TOWN_A)).toBe(1);
    });

    it('town B (multipart door): the file in force imports unchanged', async () => {
      const { status, body } = await upload(editor, { regionCode: '320282103', kind: 'RESPONSIBILITY' }, 'town-B-responsibility.csv', demo('town-B-responsibility.csv'));
      expect(status).toBe(201);
      expect(body).toMatchObject({ errors: [], added: 0, changed: 0, removed: 0, format: 'csv', encoding: 'UTF-8', version: { status: 'DRAFT', regionCode: TOWN_B } });
      expect(body.unchanged).toBe(body.itemsImported);
    });

    it('town A responsibility CSV: the draft based on v2 shows exactly what the file changes', async () => {
      const r = report(await importGql(editor, TOWN_A, 'RESPONSIBILITY', 'town-A-responsibility.csv', demo('town-A-responsibility.csv')));
      expect(r.itemsImported).toBe(ROWS_A);
      expect(r.version.basedOn.number).toBe(2);
      const changes = ok(await api.diff(r.version.basedOn.id, r.version.id, editor), 'versionDiff').changes;
      expect(changes.map((c: any) => [c.itemCode, c.change])).toEqual([
        ['320282-100-JB-003', 'CHANGED'],
        ['320282-100-PH-004', 'ADDED'],
        ['320282-100-PH-015', 'REMOVED'],
      ]);
      expect([r.added, r.changed, r.removed]).toEqual([1, 1, 1]);
      await publish(r.version.id, '2027-01-01');
    });

    it('town A responsibility xlsx (merged title row, 序号, wrapped cells) reads as the same list as the CSV', async () => {
      const r = report(await importGql(editor, TOWN_A, 'RESPONSIBILITY', 'town-A-responsibility.xlsx', demo('town-A-responsibility.xlsx')));
      expect(r.errors).toEqual([]);
      expect(r.itemsImported).toBe(ROWS_A);
      expect(r.unchanged).toBe(ROWS_A);
      expect(ok(await api.diff(r.version.basedOn.id, r.version.id, editor), 'versionDiff').changes).toEqual([]);
    });
  });

  it('GB18030 CSV (as Excel on Chinese Windows saves it), uploaded: detected, and the text reads right', async () => {
    const gbk = iconv.encode(forTown(townACsv, TOWNS.xizhu), 'gb18030');
    expect(gbk.toString('utf8')).not.toContain('事项编码'); // really not UTF-8
    const { status, body } = await upload(editor, { regionCode: TOWNS.xizhu.code, kind: 'RESPONSIBILITY' }, '西渚镇责任清单.csv', gbk);
    expect(status).toBe(201);
    expect(body).toMatchObject({ itemsImported: ROWS_A, added: ROWS_A, encoding: 'GB18030', errors: [] });
    const items = ok(await api.items(body.version.id, { first: 1 }, editor, 'itemCode name accountableBody { name }'), 'listVersion').items.edges;
    expect(items[0].node).toEqual({ itemCode: '320282-100-JB-001', name: '农村村民宅基地和建房（规划许可）审批', accountableBody: { name: '西渚镇人民政府' } });
  });

  it('xlsx as counties make them: merged title and group header, aliases, heading rows, merged cells, line breaks, trailing rows', async () => {
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('清单');
    s.addRow(['宜兴市周铁镇履行职责事项清单']);
    s.mergeCells('A1:H1');
    s.addRow(['序号', '事项信息', '事项信息', '事项信息', '实施主体', '法律依据', '责任事项', '备注']);
    s.mergeCells('B2:D2');
    s.addRow(['序号', '项目编码', '项目名称', '事项\n描述', '实施主体', '法律依据', '责任事项', '备注']);
    s.mergeCells('A2:A3');
    s.mergeCells('E2:E3');
    s.mergeCells('F2:F3');
    s.mergeCells('G2:G3');
    s.mergeCells('H2:H3');
    s.addRow(['一、基本履职事项']);
    s.mergeCells('A4:H4');
    s.addRow([1, '320282-110-JB-001', '乡村违法建设查处', '巡查发现，\n依法查处', '周铁镇人民政府', '《中华人民共和国城乡规划法》第六十五条', '1.巡查责任：巡查；\n2.处置责任：处置', '']);
    s.addRow([2, '320282-110-JB-002', '秸秆禁烧', '禁烧宣传', null, '', '', '试点']);
    s.mergeCells('E5:E6'); // one accountable body for both
    s.addRow(['二、配合履职事项']);
    s.mergeCells('A7:H7');
    s.addRow([3, '320282-110-PH-001', '农药使用指导', '配合指导', '宜兴市农业农村局', '《农药管理条例》第三十二条第五款', '', '']);
    for (let r = 9; r < 30; r++) s.getRow(r).getCell(1).border = { top: { style: 'thin' } }; // formatted, empty
    const r = report(await importGql(editor, TOWNS.zhoutie.code, 'RESPONSIBILITY', '周铁镇.xlsx', Buffer.from(await wb.xlsx.writeBuffer())));
    expect(r.errors).toEqual([]);
    expect(r.itemsImported).toBe(3);
    expect(r.warnings.filter((w: any) => !/提交审核前/.test(w.message)).map((w: any) => w.column)).toEqual(['备注']);
    // 秸秆禁烧 has no legal basis: a gate warning at its row, in the column as the file names it
    expect(r.warnings.filter((w: any) => /提交审核前/.test(w.message))).toEqual([expect.objectContaining({ row: 6, column: '法律依据', message: expect.stringContaining('没有实施依据') })]);
    const items = ok(await api.items(r.version.id, { first: 10 }, editor, 'itemCode section description stagedDuties accountableBody { name } citations { label resolved }'), 'listVersion').items.edges.map((e: any) => e.node);
    expect(items).toEqual([
      { itemCode: '320282-110-JB-001', section: 'BASIC', description: '巡查发现，\n依法查处', stagedDuties: ['1.巡查责任：巡查', '2.处置责任：处置'], accountableBody: { name: '周铁镇人民政府' }, citations: [expect.objectContaining({ resolved: true })] },
      { itemCode: '320282-110-JB-002', section: 'BASIC', description: '禁烧宣传', stagedDuties: [], accountableBody: { name: '周铁镇人民政府' }, citations: [] },
      { itemCode: '320282-110-PH-001', section: 'COOPERATIVE', description: '配合指导', stagedDuties: [], accountableBody: { name: '宜兴市农业农村局' }, citations: [expect.objectContaining({ resolved: true })] },
    ]);
  });

  it('a file with 20 different errors reports all 20, each with row, column and a Chinese message, and writes nothing', async () => {
    const town = TOWNS.guanlin;
    const gov = `${town.name}人民政府`;
    const head = '事项编码,事项名称,清单部分,事项描述,实施依据,责任主体,配合部门及职责,乡镇职责,村级职责,责任事项,追责情形,免责情形,关键词';
    const row = (c: Partial<Record<string, string>>) => {
      const v = { code: `320282-104-JB-${Math.random().toString(36).slice(2, 8)}`, name: '事项', section: '基本履职', desc: '', basis: '', body: gov, coop: '', town: '', village: '', staged: '', acc: '', ex: '', kw: '', ...c };
      return [v.code, v.name, v.section, v.desc, v.basis, v.body, v.coop, v.town, v.village, v.staged, v.acc, v.ex, v.kw].map((x) => (/[",\n]/.test(x!) ? `"${x!.replace(/"/g, '""')}"` : x)).join(',');
    };
    const bad: [Partial<Record<string, string>>, string, RegExp][] = [
      [{ body: '宜兴市不存在局' }, '责任主体', /未找到主体“宜兴市不存在局”，请先在主体目录中登记/],
      [{ name: '' }, '事项名称', /不能为空/],
      [{ section: '随便写写' }, '清单部分', /清单部分“随便写写”无效，应为：基本履职、配合履职、上级部门收回/],
      [{ code: 'DUP-1' }, '事项编码', /与第\d+行重复/],
      [{ code: '320282 104 JB' }, '事项编码', /格式不正确/],
      // (an empty 事项编码 is no error: the row is matched by name or numbered, lists/item-codes.ts)
      [{ kw: '词'.repeat(2001) }, '关键词', /第1项：不能超过2000个字符/],
      [{ name: '查'.repeat(201) }, '事项名称', /不能超过200个字符/],
      [{ body: '宜兴市农业农村局' }, '责任主体', /基本履职事项的责任主体应为本乡镇的主体/],
      [{ section: '配合履职' }, '责任主体', /配合履职事项的责任主体应为牵头或收回的上级部门/],
      [{ section: '上级部门收回' }, '责任主体', /上级部门收回事项的责任主体/],
      [{ coop: '不存在的配合单位：配合' }, '配合部门及职责', /第1个配合部门：未找到配合主体/],
      [{ coop: '宜兴市应急管理局：指导；宜兴市民政局：' }, '配合部门及职责', /第2个配合部门的职责：不能为空/],
      [{ coop: `${gov}：配合` }, '配合部门及职责', /配合主体不能与责任主体相同/],
      [{ coop: '宜兴市应急管理局：甲；宜兴市应急管理局：乙' }, '配合部门及职责', /重复/],
      [{ desc: '含有\u0001控制字符' }, '事项描述', /控制字符/],
      [{ desc: '长'.repeat(5001) }, '事项描述', /不能超过5000个字符/],
      [{ body: '' }, '责任主体', /不能为空/],
      [{ body: '张渚镇人民政府' }, '责任主体', /“张渚镇人民政府”不是/],
      [{ name: '<script>alert(1)</script>' }, '事项名称', /HTML/],
      [{ section: '' }, '清单部分', /必须注明清单部分/],
    ];
    const lines = [head, row({ code: 'DUP-1' }), row({ code: '320282-104-JB-900', name: '好的事项' }), ...bad.map(([c]) => row(c))];
    const before = (await versionsOf(town.code)).length;
    const r = report(await importGql(editor, town.code, 'RESPONSIBILITY', '官林镇.csv', Buffer.from(lines.join('\n'))));
    expect(r.version).toBeNull();
    expect(r.itemsImported).toBe(0);
    expect(r.errors).toHaveLength(20);
    bad.forEach(([, column, message], i) => {
      const fileRow = i + 4; // header, two good rows, then the bad ones
      const e = r.errors.find((x: any) => x.row === fileRow);
      expect({ row: e?.row, column: e?.column }).toEqual({ row: fileRow, column });
      expect(e.message).toMatch(new RegExp(`^第${fileRow}行「${column}」：`));
      expect(e.message).toMatch(message);
    });
    expect((await versionsOf(town.code)).length).toBe(before);
    expect(await auditCount(town.code)).toBe(0);
    expect(Number((await app.dataSource.query('SELECT count(*) AS n FROM list_item WHERE region_code = $1', [town.code]))[0].n)).toBe(0);
  });

  describe('a failure mid-import leaves no draft', () => {
    const town = TOWNS.yangxiang;
    const bigList = (rows: number, failingRow: number) => {
      const [head, ...lines] = forTown(townACsv, town).trim().split('\n');
      const records = lines.filter((l) => /^320282-100-/.test(l));
      const out = [head];
      for (let i = 0; i < rows; i++) {
        const line = records[i % records.length].replace(/^320282-100-(\w\w)-\d+,([^,]+),/, (_m, s, name) => `320282-105-${s}-${String(i + 1).padStart(5, '0')},${i === failingRow ? '数据库拒绝的事项' : `${name}（${i + 1}）`},`);
        out.push(line);
      }
      return Buffer.from(out.join('\n'));
    };
    const noTrace = async () => {
      expect(await versionsOf(town.code)).toEqual([]);
      expect(Number((await app.dataSource.query('SELECT count(*) AS n FROM list_item WHERE region_code = $1', [town.code]))[0].n)).toBe(0);
      expect(await auditCount(town.code)).toBe(0);
    };

    it('a row the database refuses in the second batch: error, no draft, no item, no audit event; the next import works', async () => {
      await app.dataSource.query(`CREATE FUNCTION test_refuse_item() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.name = '数据库拒绝的事项' THEN RAISE EXCEPTION 'refused by test' USING ERRCODE = '22023'; END IF; RETURN NEW; END $$`);
      await app.dataSource.query('CREATE TRIGGER test_refuse_item AFTER INSERT ON list_item FOR EACH ROW EXECUTE FUNCTION test_refuse_item()');
      try {
        const r = await importGql(editor, town.code, 'RESPONSIBILITY', 'big.csv', bigList(1500, 1200));
        expect(codeOf(r)).toBe('INTERNAL_SERVER_ERROR');
        await noTrace();
      } finally {
        await app.dataSource.query('DROP TRIGGER test_refuse_item ON list_item');
        await app.dataSource.query('DROP FUNCTION test_refuse_item()');
      }
    });

    it('the database connection killed mid-import (PostgreSQL server): no draft, and the registry goes on', async () => {
      if (app.engine !== 'postgres') return; // the embedded engine is one backend: killing it is stopping the registry
      await app.dataSource.query(`CREATE FUNCTION test_kill_session() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.name = '数据库拒绝的事项' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$`);
      await app.dataSource.query('CREATE TRIGGER test_kill_session AFTER INSERT ON list_item FOR EACH ROW EXECUTE FUNCTION test_kill_session()');
      try {
        const r = await importGql(editor, town.code, 'RESPONSIBILITY', 'big.csv', bigList(1500, 1200));
        expect(r.errors?.length).toBeTruthy();
      } finally {
        await app.dataSource.query('DROP TRIGGER test_kill_session ON list_item');
        await app.dataSource.query('DROP FUNCTION test_kill_session()');
      }
      await noTrace();
    });

    it('after both, the same file imports whole', async () => {
      const r = report(await importGql(editor, town.code, 'RESPONSIBILITY', 'big.csv', bigList(1500, -1)));
      expect(r.itemsImported).toBe(1500);
      expect(Number((await app.dataSource.query('SELECT count(*) AS n FROM list_item WHERE region_code = $1', [town.code]))[0].n)).toBe(1500);
    });
  });

  describe('permissions: an EDITOR of the region, or ADMIN, imports; nobody else', () => {
    const town = TOWNS.heqiao;
    const file = () => Buffer.from(forTown(townACsv, town));
    it.each([
      ['an editor of another county', 'EDITOR', '320281000000', 'FORBIDDEN'],
      ['a reviewer of the county', 'REVIEWER', COUNTY, 'FORBIDDEN'],
      ['the township itself', 'TOWNSHIP', town.code, 'FORBIDDEN'],
      ['a county department', 'DEPARTMENT', COUNTY, 'FORBIDDEN'],
    ])('%s: refused (GraphQL and multipart), nothing written', async (_label, role, region, code) => {
      const token = await app.createUser(`ie-${role.toLowerCase()}-${region.slice(0, 9)}`, role, region);
      const r = await importGql(token, town.code, 'RESPONSIBILITY', 'x.csv', file());
      expect(codeOf(r)).toBe(code);
      expect(r.data?.importList ?? null).toBeNull();
      const u = await upload(token, { regionCode: town.code, kind: 'RESPONSIBILITY' }, 'x.csv', file());
      expect([u.status, u.body.error.code]).toEqual([403, code]);
      expect(await versionsOf(town.code)).toEqual([]);
    });
    it('anonymous or with a bad token: UNAUTHENTICATED / 401', async () => {
      expect(codeOf(await importGql(null, town.code, 'RESPONSIBILITY', 'x.csv', file()))).toBe('UNAUTHENTICATED');
      expect((await upload(null, { regionCode: town.code, kind: 'RESPONSIBILITY' }, 'x.csv', file())).status).toBe(401);
      expect((await upload('not-a-token', { regionCode: town.code, kind: 'RESPONSIBILITY' }, 'x.csv', file())).status).toBe(401);
    });
    it('the public endpoint has no importList', async () => {
      const r = await app.publicGql('mutation($c:String!){ importList(regionCode:"320282107", kind:RESPONSIBILITY, fileName:"x.csv", contentBase64:$c){ itemsImported } }', { c: 'eA==' });
      expect(r.status).toBe(400);
    });
    it('the county\'s editor, and ADMIN, import', async () => {
      expect(report(await importGql(editor, town.code, 'RESPONSIBILITY', 'x.csv', file())).itemsImported).toBe(ROWS_A);
      const v = (await versionsOf(town.code))[0];
      await publish(v.id, '2027-02-01');
      expect(report(await importGql(app.adminToken, town.code, 'RESPONSIBILITY', 'x.csv', file())).unchanged).toBe(ROWS_A);
    });
    it('multipart: missing fields are named', async () => {
      expect((await upload(editor, { kind: 'RESPONSIBILITY' }, 'x.csv', file())).body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'regionCode' });
      expect((await upload(editor, { regionCode: '320282110', kind: 'RESPONSIBILITY' }, null)).body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    });
  });

  describe('export', () => {
    let published: any;
    let draft: any;
    beforeAll(async () => {
      published = ok(await api.inForce(TOWN_A, 'RESPONSIBILITY', '2027-06-01', editor), 'listVersionInForce');
      draft = (await versionsOf(TOWN_A)).find((v) => v.status === 'DRAFT');
    });

    it('CSV of a published version, anonymously: UTF-8 with BOM, the standard headers, one row per item', async () => {
      const res = await download(`/exports/versions/${published.id}.csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('宜兴市张渚镇责任清单-第3版.csv'));
      expect(res.headers.get('cache-control')).toMatch(/public/);
      const buf = Buffer.from(await res.arrayBuffer());
      expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = buf.toString('utf8').slice(1);
      expect(text.split('\r\n')[0]).toBe('事项编码,事项名称,清单部分,事项描述,实施依据,责任主体,配合部门及职责,上级部门职责,承接部门,工作方式,乡镇职责,村级职责,责任事项,追责情形,免责情形,关键词,常见问法');
      expect(text).toContain('320282-100-PH-004');
    });

    it('xlsx for printing: title row (township, kind, version, 批准文号, dates), styled header, frozen panes, widths', async () => {
      const res = await download(`/exports/versions/${published.id}.xlsx`);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
      const s = wb.worksheets[0];
      const title = s.getCell('A1').text;
      for (const part of ['宜兴市张渚镇', '责任清单', '第3版', '宜政发〔2027〕9号', '2027-01-01']) expect(title).toContain(part);
      expect(s.model.merges).toContain('A1:R1');
      expect(s.getRow(2).values).toEqual([undefined, '序号', '事项编码', '事项名称', '清单部分', '事项描述', '实施依据', '责任主体', '配合部门及职责', '上级部门职责', '承接部门', '工作方式', '乡镇职责', '村级职责', '责任事项', '追责情形', '免责情形', '关键词', '常见问法']);
      expect(s.getCell('B2').font?.bold).toBe(true);
      expect((s.getCell('B2').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFD9D9D9');
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(s.getColumn(6).width).toBeGreaterThan(30);
      expect(s.getCell('F3').alignment?.wrapText).toBe(true);
      expect(s.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, printTitlesRow: '1:2' });
      expect(s.rowCount).toBe(2 + ROWS_A);
    });

    it('drafts: not anonymously (404), with a token inside the region (200), outside it 404; a bad token is 401', async () => {
      expect(draft).toBeTruthy();
      expect((await download(`/exports/versions/${draft.id}.csv`)).status).toBe(404);
      const res = await download(`/exports/versions/${draft.id}.xlsx`, editor);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toMatch(/no-store/);
      const outsider = await app.createUser('ie-outsider', 'EDITOR', '320281000000');
      expect((await download(`/exports/versions/${draft.id}.csv`, outsider)).status).toBe(404);
      expect((await download(`/exports/versions/${draft.id}.csv`, 'nonsense')).status).toBe(401);
      expect((await download(`/exports/versions/${draft.id}.pdf`)).status).toBe(404);
      expect((await download('/exports/versions/not-a-uuid.csv')).status).toBe(404);
    });
  });

  it('round trip over generated lists: export a version, import the file → a draft with an empty diff (CSV and xlsx)', async () => {
    const town = TOWNS.xinjian;
    const gov = `${town.name}人民政府`;
    const departments = ['宜兴市农业农村局', '宜兴市应急管理局', '宜兴市民政局', '宜兴市自然资源和规划局'];
    const chars = fc.constantFrom(...'乡镇村民违法建设查处责任主体配合职责农药秸秆焚烧巡查处置abcXYZ019 ，。：“”（）,."=+-@%#'.split(''));
    const text = (max: number) => fc.array(chars, { minLength: 1, maxLength: max }).map((a) => a.join('').trim()).filter((s) => s.length > 0);
    const element = text(20).filter((s) => !/[；;、,，]/.test(s));
    const multiline = fc.array(text(25), { minLength: 1, maxLength: 3 }).map((l) => l.join('\n'));
    const item = fc
      .record({
        n: fc.integer({ min: 1, max: 999 }),
        name: text(30),
        section: fc.constantFrom('BASIC', 'COOPERATIVE', 'RECLAIMED'),
        lead: fc.constantFrom(...departments),
        description: fc.option(multiline, { nil: null }),
        townshipDuty: fc.option(multiline, { nil: null }),
        legalBasis: fc.option(fc.constantFrom('《中华人民共和国城乡规划法》第六十五条', '《农药管理条例》第三十二条第五款；《江苏省城乡规划条例》', '《不存在的条例》第三条'), { nil: null }),
        coop: fc.subarray(departments, { maxLength: 2 }),
        duty: element,
        stagedDuties: fc.array(element, { maxLength: 3 }),
        accountabilityCircumstances: fc.array(element, { maxLength: 2 }),
        exemptions: fc.array(element, { maxLength: 2 }),
        keywords: fc.array(element, { maxLength: 3 }),
      })
      .map((g) => ({
        itemCode: `320282-106-${g.section.slice(0, 2)}-${String(g.n).padStart(3, '0')}`,
        name: g.name,
        section: g.section,
        accountableBodyName: g.section === 'BASIC' ? gov : g.lead,
        description: g.description,
        townshipDuty: g.townshipDuty,
        legalBasis: g.legalBasis,
        cooperating: g.coop.filter((c) => c !== g.lead).map((bodyName) => ({ bodyName, duty: g.duty })),
        stagedDuties: g.stagedDuties,
        accountabilityCircumstances: g.accountabilityCircumstances,
        exemptions: g.exemptions,
        keywords: g.keywords,
      }));
    let day = 0;
    const nextDate = () => new Date(Date.UTC(2030, 0, 1 + 2 * day++)).toISOString().slice(0, 10);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(item, { minLength: 1, maxLength: 8, selector: (i) => i.itemCode }), fc.constantFrom('csv', 'xlsx'), async (items, format) => {
        // The version to export: exactly these items, saved one by one as a clerk would, and published.
        const draft = ok(await api.createDraft(editor, town.code, 'RESPONSIBILITY'), 'createDraft');
        for (const it of items) ok(await api.saveItem(editor, draft.id, it), 'saveItem');
        const keep = new Set(items.map((i) => i.itemCode));
        for (const code of await api.itemCodes(draft.id, editor)) if (!keep.has(code)) ok(await api.removeItem(editor, draft.id, code), 'removeItem');
        const source = await publish(draft.id, nextDate());
        const res = await download(`/exports/versions/${source.id}.${format}`);
        expect(res.status).toBe(200);
        const r = report(await importGql(editor, town.code, 'RESPONSIBILITY', `roundtrip.${format}`, Buffer.from(await res.arrayBuffer())));
        expect(r.errors).toEqual([]);
        expect([r.itemsImported, r.unchanged, r.added, r.changed, r.removed]).toEqual([items.length, items.length, 0, 0, 0]);
        expect(ok(await api.diff(source.id, r.version.id, editor), 'versionDiff').changes).toEqual([]);
        await publish(r.version.id, nextDate()); // the next run starts from a list with nothing open
      }),
      { numRuns: app.engine === 'postgres' ? 12 : 6 },
    );
  });

  it('the CLI imports a folder: township and kind from file names, each file all or nothing, a summary table', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanze-folder-'));
    fs.writeFileSync(path.join(dir, '320282108-责任清单.csv'), forTown(townACsv, TOWNS.gaocheng)); // imports
    fs.writeFileSync(path.join(dir, '万石镇履行职责事项清单.csv'), townACsv); // town A's bodies: BASIC items refused
    fs.writeFileSync(path.join(dir, '清单.xlsx'), 'x'); // no township in the name: skipped
    fs.writeFileSync(path.join(dir, '~$320282108-责任清单.csv'), 'lock'); // Excel's lock file: ignored
    fs.writeFileSync(path.join(dir, 'readme.txt'), 'ignored');
    const lines: string[] = [];
    const ctx = { app: app.registry.app, dataSource: app.dataSource, config: {} as any, engine: app.engine, say: (l: string) => lines.push(l) };
    const report = path.join(dir, 'problems.csv');
    await expect(importFolder(ctx, dir, { county: '320282', report })).rejects.toThrow(CliError);
    const out = lines.join('\n');
    expect(out).toMatch(/320282108-责任清单\.csv\s+高塍镇\s+责任清单\s+已导入\s+45\s+45/);
    expect(out).toMatch(/万石镇履行职责事项清单\.csv\s+万石镇\s+责任清单\s+有错误/);
    expect(out).toMatch(/清单\.xlsx\s+跳过/);
    expect(out).not.toContain('~$');
    expect(out).toMatch(/第2行「责任主体」：基本履职事项的责任主体应为本乡镇的主体/);
    expect(fs.readFileSync(report, 'utf8')).toMatch(/^\uFEFF文件,行,列,说明\r\n/);
    expect((await versionsOf(TOWNS.gaocheng.code))[0]).toMatchObject({ status: 'DRAFT', number: 1 });
    expect(await versionsOf(TOWNS.wanshi.code)).toEqual([]);
  });
});

describe('import limits, refused before parsing with the limit named', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ IMPORT_MAX_BYTES: '20000', IMPORT_MAX_ROWS: '10' });
  });
  afterAll(() => app?.close());
  const importGql = (content: Buffer, fileName = 'x.csv') =>
    app.adminGql('mutation($c:String!,$f:String!){ importList(regionCode:"320282110", kind:RESPONSIBILITY, fileName:$f, contentBase64:$c){ itemsImported } }', { c: content.toString('base64'), f: fileName });

  it('size: GraphQL answers BAD_USER_INPUT naming IMPORT_MAX_BYTES; the upload answers 413 naming it', async () => {
    const big = Buffer.alloc(25_000, 0x41);
    const r = await importGql(big);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 'IMPORT_MAX_BYTES' }, message: expect.stringContaining('IMPORT_MAX_BYTES') });
    const form = new FormData();
    form.append('regionCode', '320282110');
    form.append('kind', 'RESPONSIBILITY');
    form.append('file', new Blob([big]), 'x.csv');
    const res = await fetch(`${app.url}/admin/imports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error).toMatchObject({ limit: 'IMPORT_MAX_BYTES', message: expect.stringContaining('IMPORT_MAX_BYTES') });
  });

  it('rows: a CSV and an xlsx over IMPORT_MAX_ROWS are refused naming it', async () => {
    const csv = Buffer.from(['事项编码,事项名称,清单部分,责任主体', ...Array.from({ length: 11 }, (_, i) => `A${i},B,基本履职,C`)].join('\n'));
    expect((await importGql(csv)).errors?.[0]).toMatchObject({ extensions: { limit: 'IMPORT_MAX_ROWS', maxRows: 10 }, message: expect.stringContaining('IMPORT_MAX_ROWS') });
    const wb = new ExcelJS.Workbook();
    const s = wb.addWorksheet('x');
    for (let i = 0; i < 12; i++) s.addRow([`A${i}`, 'B']);
    expect((await importGql(Buffer.from(await wb.xlsx.writeBuffer()), 'x.xlsx')).errors?.[0]).toMatchObject({ extensions: { limit: 'IMPORT_MAX_ROWS' } });
  });
});
