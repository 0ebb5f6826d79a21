// Uploads cannot stall the registry: spreadsheets are read in worker threads under a deadline, the
// crafted workbooks of the outside review are refused by the linear scan, /health answers while a
// file is read and while a write holds the only database connection, and the REST door answers a
// lost database as GraphQL does (503, Retry-After).
import { SheetParsers } from '../../src/modules/import-export/sheet-parsers.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';
import { inlineRow, xlsxWithSheetData } from '../setup/xlsx-archive.js';

const TOWN = '320282104'; // 官林镇: no list in the demo data
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** One valid item: the township cooperates, a county bureau leads. */
const VALID_CSV = Buffer.from('事项编码,事项名称,清单部分,责任主体\n320282-104-PH-001,乡村违法建设查处配合,配合履职,宜兴市自然资源和规划局\n');
/** One cell merged over `ref`: a few bytes that a reader turns into every cell of the range. */
const merged = (ref: string) => xlsxWithSheetData(inlineRow(1, ['事项编码']), `<mergeCells count="1"><mergeCell ref="${ref}"/></mergeCells>`);

async function upload(app: TestApp, content: Buffer, fileName = 'list.xlsx') {
  const form = new FormData();
  form.append('regionCode', TOWN);
  form.append('kind', 'RESPONSIBILITY');
  form.append('file', new Blob([new Uint8Array(content)]), fileName);
  const res = await fetch(`${app.url}/admin/imports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${app.adminToken}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
const importGql = (app: TestApp, content: Buffer | string, fileName = 'list.xlsx') =>
  app.adminGql('mutation($f:String!,$c:String!){ importList(regionCode:"320282104", kind:RESPONSIBILITY, fileName:$f, contentBase64:$c){ itemsImported } }', {
    f: fileName,
    c: typeof content === 'string' ? content : content.toString('base64'),
  });

/** `<row` eighty thousand times: 1.9 KB, and a backtracking row pattern stalled the server 16 s on it. */
const rowRow = () => xlsxWithSheetData('<row'.repeat(80_000));
/** Real rows behind a comment full of `<row`: well-formed, slow for a backtracking pattern, and many cells to read. */
const bigWellFormed = (rows: number) =>
  xlsxWithSheetData(`<!--${'<row'.repeat(200_000)}-->` + Array.from({ length: rows }, (_, i) => inlineRow(i + 1, [`320282-104-JB-${i}`, '乡村违法建设查处', '基本履职', '官林镇人民政府', '巡查发现违法建设及时制止并报告', '第六十五条', `关键词${i}`])).join(''));

describe('reading uploads off the main thread', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ DB_POOL_SIZE: '1' });
  });
  afterAll(() => app?.close());

  it('the crafted workbooks are refused as damaged files by both doors, before any parser reads them', async () => {
    for (const file of [rowRow(), xlsxWithSheetData('<row a'.repeat(100_000))]) {
      const rest = await upload(app, file);
      expect(rest.status).toBe(400);
      expect(rest.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file', message: expect.stringMatching(/无法读取该 \.xlsx/) });
      const gql = await importGql(app, file);
      expect(gql.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'file' } });
    }
  });

  it('merged ranges are counted before reading: past the row limit, or covering too many cells, they are refused naming the limit', async () => {
    for (const ref of ['A1:XFD1048576', 'A1:XFD100']) {
      const r = await upload(app, merged(ref));
      expect({ status: r.status, limit: r.body.error?.limit }).toEqual({ status: 413, limit: 'IMPORT_MAX_ROWS' });
    }
  });

  it('/health answers while an upload is being read', async () => {
    const parsers = app.registry.app.get(SheetParsers);
    const pending = upload(app, bigWellFormed(19_000));
    while (parsers.inFlight === 0) await sleep(5);
    const health = await fetch(`${app.url}/health`);
    // the file was still being read when /health had answered
    expect(parsers.inFlight).toBe(1);
    expect(health.status).toBe(200);
    expect(((await health.json()) as any).database.status).toBe('up');
    expect((await pending).status).toBe(422); // read whole: its rows name no known body
  });

  it('an inline import whose base64 is line breaks and then a bad character is refused at once (a linear check)', async () => {
    const r = await importGql(app, `${'\n'.repeat(2_000_000)}!`);
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'contentBase64' } });
  });

  it('/health reports the database busy, not down, while a write holds the only connection', async () => {
    const health = await app.dataSource.transaction(async (em) => {
      await em.query(`UPDATE region SET name = name WHERE code = '320282000000'`);
      const res = await fetch(`${app.url}/health`);
      return { status: res.status, body: (await res.json()) as any };
    });
    expect(health).toEqual({ status: 200, body: { status: 'ok', database: { engine: app.engine, status: 'busy' } } });
    expect(((await (await fetch(`${app.url}/health`)).json()) as any).database.status).toBe('up');
  });

  it('the upload door answers a database that cannot be reached with 503 and Retry-After, as GraphQL does', async () => {
    const file = VALID_CSV;
    const logger = app.dataSource.logger;
    logger.logQueryError = () => undefined; // the failures are expected
    try {
      if (app.engine === 'embedded') {
        await app.db.embedded!.stopSocket();
        try {
          const r = await upload(app, file, 'list.csv');
          expect({ status: r.status, retryAfter: r.headers.get('retry-after'), code: r.body.error?.code }).toEqual({ status: 503, retryAfter: '5', code: 'SERVICE_UNAVAILABLE' });
          expect(r.body.error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
        } finally {
          await app.db.embedded!.startSocket();
        }
      } else {
        // the session is cut while the import writes its rows
        await app.dataSource.query(`CREATE FUNCTION test_kill_session() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$`);
        await app.dataSource.query('CREATE TRIGGER test_kill_session AFTER INSERT ON list_item FOR EACH ROW EXECUTE FUNCTION test_kill_session()');
        try {
          const r = await upload(app, file, 'list.csv');
          expect({ status: r.status, retryAfter: r.headers.get('retry-after'), code: r.body.error?.code }).toEqual({ status: 503, retryAfter: '5', code: 'SERVICE_UNAVAILABLE' });
        } finally {
          await app.dataSource.query('DROP TRIGGER test_kill_session ON list_item');
          await app.dataSource.query('DROP FUNCTION test_kill_session()');
        }
      }
    } finally {
      delete (logger as { logQueryError?: unknown }).logQueryError;
    }
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});

describe('the budgets of reading a file', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ IMPORT_PARSE_TIMEOUT_SECONDS: '1', IMPORT_MAX_ROWS: '1000000' });
  });
  afterAll(() => app?.close());

  it('an xlsx expanding beyond IMPORT_MAX_UNCOMPRESSED_BYTES (50 MB by default) is refused naming the setting', async () => {
    const file = xlsxWithSheetData(inlineRow(1, ['事项编码']) + `<!--${' '.repeat(51 * 1024 * 1024)}-->`);
    expect(file.length).toBeLessThan(200_000);
    const r = await importGql(app, file);
    expect(r.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'file', limit: 'IMPORT_MAX_UNCOMPRESSED_BYTES', maxUncompressedBytes: 50 * 1024 * 1024 },
      message: expect.stringContaining('IMPORT_MAX_UNCOMPRESSED_BYTES'),
    });
  });

  it('a file still being read at IMPORT_PARSE_TIMEOUT_SECONDS is ended and refused naming it; the next file is read', async () => {
    // two million merged cells, within the limits of this app: seconds for the spreadsheet reader
    const r = await upload(app, merged('A1:CV20000'));
    expect({ status: r.status, limit: r.body.error?.limit, seconds: r.body.error?.seconds }).toEqual({ status: 413, limit: 'IMPORT_PARSE_TIMEOUT_SECONDS', seconds: 1 });
    expect(app.registry.app.get(SheetParsers).inFlight).toBe(0);
    expect((await upload(app, VALID_CSV, 'list.csv')).status).toBe(201);
  });
});
