// The legal catalogue's upload doors (issue 18): `POST /admin/imports/legal-catalogue` (multipart,
// beside `POST /admin/imports`) and `importLegalCatalogue` on /admin/graphql, over HTTP on a real
// database — who may (ADMIN, refused before the file is read), the dry run, every bad row at its
// sheet, row and column with nothing written, the crafted-file checks of list imports (a file that
// cannot be read is refused, 400), the audit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/legal-catalogue');
const T = '测试乡镇管理条例';
const REPORT = 'dryRun errors { sheet row column message } instruments provisions crosswalk repeals citationsReresolved alertsOpen alertsCreated alertsClosed';

describe('legal catalogue upload over HTTP', () => {
  let app: TestApp;
  let editor: string;

  const upload = (token: string | null, files: [string, Buffer | string][], fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [name, content] of files) form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    return fetch(`${app.url}/admin/imports/legal-catalogue`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  };
  const fixture = (name: string): [string, Buffer] => [name, readFileSync(join(FIXTURES, name))];
  const instrumentCount = async (title: string) => Number((await app.dataSource.query('SELECT count(*)::int AS n FROM legal_instrument WHERE title = $1', [title]))[0].n);

  beforeAll(async () => {
    app = await startTestApp();
    editor = await app.createUser('cat-editor', 'EDITOR', '320282');
  });
  afterAll(() => app?.close());

  it('is refused without a token (401) and to an EDITOR (403), before any file is read', async () => {
    const anonymous = await upload(null, [fixture('条文.csv')]);
    expect(anonymous.status).toBe(401);
    const refused = await upload(editor, [fixture('条文.csv')]);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatchObject({ code: 'FORBIDDEN' });
    const gql = await app.adminGql(`mutation($f:[CatalogueFileInput!]!){ importLegalCatalogue(files:$f){ dryRun } }`, { f: [{ fileName: '废止.csv', contentBase64: '' }] }, editor);
    expect(codeOf(gql)).toBe('FORBIDDEN');
    expect(await instrumentCount(T)).toBe(0);
  });

  it('dry-runs three CSV files: the counts of what it would write, and nothing written', async () => {
    const res = await upload(app.adminToken, [fixture('条文-原版本.csv'), fixture('条文.csv'), fixture('条文对照.csv')], { dryRun: 'true' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ dryRun: true, errors: [], instruments: 3, crosswalk: 4, repeals: 0 });
    expect(body.provisions).toBeGreaterThan(5);
    expect(body.alerts.open).toBeGreaterThanOrEqual(2); // the demo town's alerts are found again
    expect(await instrumentCount(T)).toBe(0);
    const audit = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'importLegalCatalogue'`);
    expect(audit[0].n).toBe(0);
  });

  it('reports every bad row at its file, row and column, and writes nothing', async () => {
    const crosswalk = [
      '法规名称,原施行日期,原条款,新施行日期,新条款,变化,来源,核实',
      `${T},2020-01-01,第五条,2026-13-01,第八条,,测试,是`,
      `${T},2020-01-01,五,2026-01-01,第八条,,测试,是`,
      `${T},2020-01-01,第六条,2026-01-01,第六条,挪动,测试,是`,
    ].join('\n');
    const res = await upload(app.adminToken, [fixture('条文.csv'), ['对照.csv', crosswalk]]);
    expect(res.status).toBe(422);
    const { errors } = await res.json();
    expect(errors).toEqual([
      { sheet: '对照.csv', row: 2, column: '新施行日期', message: expect.stringContaining('“2026-13-01”应为 YYYY-MM-DD 的日期') },
      { sheet: '对照.csv', row: 3, column: '原条款', message: expect.stringContaining('“五”无法解析') },
      { sheet: '对照.csv', row: 4, column: '变化', message: expect.stringContaining('“挪动”无效') },
    ]);
    // A row the catalogue itself refuses (a version it does not have), at its place; the provisions of the same upload are not written either.
    const unknownVersion = `法规名称,原施行日期,原条款,新施行日期,新条款\n${T},2019-01-01,第五条,2026-01-01,第八条\n`;
    const refused = await upload(app.adminToken, [fixture('条文.csv'), ['对照.csv', unknownVersion]]);
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors).toEqual([{ sheet: '对照.csv', row: 2, column: '原施行日期', message: expect.stringContaining('没有施行日期为 2019-01-01 的版本') }]);
    expect(await instrumentCount(T)).toBe(0);
  });

  it('refuses a crafted or wrong file like a list import, naming it', async () => {
    const fake = await upload(app.adminToken, [['目录.xlsx', '法规名称,位阶\n']]);
    expect(fake.status).toBe(400);
    expect((await fake.json()).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file', message: expect.stringContaining('“目录.xlsx”：“目录.xlsx”不是有效的 .xlsx 文件') });
    const xls = await upload(app.adminToken, [['目录.csv', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])]]);
    expect(xls.status).toBe(400);
    expect((await xls.json()).error.message).toContain('不支持旧版 Excel 97-2003');
    const notCatalogue = await upload(app.adminToken, [['名单.csv', '姓名,电话\n张三,1\n']]);
    expect(notCatalogue.status).toBe(400);
    expect((await notCatalogue.json()).error).toMatchObject({ field: 'file', message: expect.stringContaining('工作表“名单.csv”不是法规目录') });
    const tooMany = await upload(app.adminToken, [fixture('条文.csv'), fixture('条文.csv'), fixture('条文.csv'), fixture('条文.csv')]);
    expect(tooMany.status).toBe(400);
  });

  it('imports the workbook in one transaction, audited with the file hash; the public catalogue shows it', async () => {
    // The earlier version first (the workbook's crosswalk starts from it), then the workbook: provisions, crosswalk and repeal.
    const first = await upload(app.adminToken, [fixture('条文-原版本.csv')]);
    expect(first.status).toBe(201);
    const res = await upload(app.adminToken, [fixture('法规目录.xlsx')]);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ dryRun: false, errors: [], crosswalk: 4, repeals: 1 });
    const [event] = await app.dataSource.query(`SELECT actor, after FROM audit_event WHERE action = 'importLegalCatalogue' ORDER BY seq DESC LIMIT 1`);
    expect(event.after.files).toEqual([{ fileName: '法规目录.xlsx', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: expect.any(Number) }]);
    const pub = await app.publicGql(`{ legalInstruments(search: "测试旧办法") { title repealedOn successor { title } } }`);
    expect(pub.data.legalInstruments).toEqual([{ title: '测试旧办法', repealedOn: '2026-01-01', successor: { title: '测试新办法' } }]);
  });

  it('importLegalCatalogue on /admin/graphql: the same service for small files, inline as base64', async () => {
    const file = (name: string) => ({ fileName: name, contentBase64: readFileSync(join(FIXTURES, name)).toString('base64') });
    const dry = await app.adminGql(`mutation($f:[CatalogueFileInput!]!){ importLegalCatalogue(files:$f, dryRun:true){ ${REPORT} } }`, { f: [file('废止.csv')] });
    expect(dry.data.importLegalCatalogue).toMatchObject({ dryRun: true, errors: [], repeals: 1 });
    const bad = await app.adminGql(`mutation($f:[CatalogueFileInput!]!){ importLegalCatalogue(files:$f){ ${REPORT} } }`, {
      f: [{ fileName: '废止.csv', contentBase64: Buffer.from('法规名称,废止日期,替代法规\n没有这部法,2026-01-01,\n').toString('base64') }],
    });
    expect(bad.data.importLegalCatalogue.errors).toEqual([{ sheet: '废止.csv', row: 2, column: '法规名称', message: expect.stringContaining('目录中没有“没有这部法”') }]);
    const notBase64 = await app.adminGql(`mutation($f:[CatalogueFileInput!]!){ importLegalCatalogue(files:$f){ dryRun } }`, { f: [{ fileName: 'a.csv', contentBase64: '法规' }] });
    expect(codeOf(notBase64)).toBe('BAD_USER_INPUT');
  });
});

describe('legal catalogue upload limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ IMPORT_MAX_ROWS: '3' });
  });
  afterAll(() => app?.close());

  it('refuses a file over IMPORT_MAX_ROWS with 413 naming the limit, as list imports do', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(join(FIXTURES, '条文.csv')))]), '条文.csv');
    const res = await fetch(`${app.url}/admin/imports/legal-catalogue`, { method: 'POST', body: form, headers: { authorization: `Bearer ${app.adminToken}` } });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'IMPORT_MAX_ROWS', field: 'file' });
  });
});
