// A county office recovers from a bad import without a programmer: discardDraft (who, which
// statuses, audited; published versions stay), an import that replaces the open draft in one
// transaction, a dry run that reports exactly what the import would do (it is the same import,
// rolled back), and the refusal of a file that would remove more than half of the list in force.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { COUNTY, errorOf, listApi, ok } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const XIZHU = { code: '320282101000', name: '西渚镇' };
const HUFU = { code: '320282113000', name: '湖㳇镇' };
const demoCsv = fs.readFileSync(path.resolve('src/seed/demo/town-A-responsibility.csv'), 'utf8');
const forTown = (text: string, town: { name: string }) => text.replaceAll('张渚镇人民政府', `${town.name}人民政府`).replaceAll('张渚镇综合行政执法大队', `${town.name}综合行政执法大队`);
const records = (town: { name: string }): Record<string, string>[] => parse(forTown(demoCsv, town), { columns: true, bom: true });
const csvOf = (rows: Record<string, string>[]) => Buffer.from(stringify(rows, { header: true }));
const ITEM = 'itemCode name row sheet';
const REPORT = `itemsImported added changed unchanged removed dryRun errors { row column message } warnings { row column message }
  addedItems { ${ITEM} } changedItems { ${ITEM} } unchangedItems { ${ITEM} } removedItems { ${ITEM} } version { id number status }`;

describe('recoverable drafts: discard, replace, dry run, mass removal', () => {
  let app: TestApp;
  let api: ReturnType<typeof listApi>;
  let editor: string;
  let editor2: string;
  let reviewer: string;
  let outsider: string;
  let township: string;
  let v1: string;

  const importGql = (token: string, town: { code: string }, file: Buffer, opts: Record<string, boolean> = {}) =>
    app.adminGql(
      `mutation($r:String!,$c:String!,$d:Boolean,$x:Boolean,$m:Boolean){ importList(regionCode:$r, kind:RESPONSIBILITY, fileName:"list.csv", contentBase64:$c,
         dryRun:$d, replaceOpenDraft:$x, allowMassRemoval:$m){ ${REPORT} } }`,
      { r: town.code, c: file.toString('base64'), d: opts.dryRun ?? null, x: opts.replaceOpenDraft ?? null, m: opts.allowMassRemoval ?? null },
      token,
    );
  const upload = async (token: string, fields: Record<string, string>, content: Buffer) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(content)]), 'list.csv');
    const res = await fetch(`${app.url}/admin/imports`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
  const discard = (token: string, versionId: string, reason = '导入文件有误') =>
    app.adminGql('mutation($v:ID!,$r:String!){ discardDraft(versionId:$v, reason:$r) }', { v: versionId, r: reason }, token);
  const versions = async (town: { code: string }) => ok(await api.versions(town.code, 'RESPONSIBILITY', app.adminToken), 'listVersions') as any[];
  const audit = (action: string, id: string) => app.dataSource.query(`SELECT before, after, actor FROM audit_event WHERE action = $1 AND entity_id = $2`, [action, id]);
  const pendingRows = async (id: string) =>
    Number((await app.dataSource.query(`SELECT count(*) AS n FROM list_item i JOIN list_version v ON v.list_id = i.list_id AND v.number = i.from_version WHERE v.id = $1 AND i.pending`, [id]))[0]?.n ?? 0);

  beforeAll(async () => {
    app = await startTestApp();
    api = listApi(app);
    editor = await app.createUser('cd-editor', 'EDITOR', COUNTY);
    editor2 = await app.createUser('cd-editor2', 'EDITOR', COUNTY);
    reviewer = await app.createUser('cd-reviewer', 'REVIEWER', COUNTY);
    outsider = await app.createUser('cd-outsider', 'EDITOR', '320281');
    township = await app.createUser('cd-township', 'TOWNSHIP', XIZHU.code);
    for (const town of [XIZHU, HUFU]) {
      ok(await api.createBody(`${town.name}人民政府`, town.code, '人民政府'), 'createBody');
      ok(await api.createBody(`${town.name}综合行政执法大队`, town.code, '执法机构'), 'createBody');
    }
    const r = ok(await importGql(editor, XIZHU, csvOf(records(XIZHU))), 'importList');
    expect(r.errors).toEqual([]);
    v1 = r.version.id;
    ok(await api.submit(editor, v1), 'submitForReview');
    ok(await api.approve(reviewer, v1, '同意', '2025-01-01'), 'approveVersion');
    ok(await api.publish(editor, v1, '2025-01-01', '宜政发〔2025〕1号'), 'publishVersion');
  });
  afterAll(() => app?.close());

  it('a partial file (2 changed rows) is refused: it would remove more than half, the message names the count; nothing is written', async () => {
    const all = records(XIZHU);
    const two = all.slice(0, 2).map((r) => ({ ...r, 事项描述: `${r['事项描述']}（修订）` }));
    const before = (await versions(XIZHU)).length;
    const r = ok(await importGql(editor, XIZHU, csvOf(two)), 'importList');
    expect(r.version).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].message).toContain(`将删除现行清单${all.length}项中的${all.length - 2}项`);
    expect((await versions(XIZHU)).length).toBe(before);
    // The dry run says the same, with the exact diff.
    const dry = ok(await importGql(editor, XIZHU, csvOf(two), { dryRun: true }), 'importList');
    expect(dry).toMatchObject({ dryRun: true, version: null, changed: 2, removed: all.length - 2, added: 0, unchanged: 0 });
    expect(dry.errors.map((e: any) => e.message)).toEqual(r.errors.map((e: any) => e.message));
    expect(dry.removedItems.map((i: any) => i.itemCode)).toEqual(all.slice(2).map((x) => x['事项编码']).sort());
    expect(dry.removedItems[0]).toEqual({ itemCode: all[2]['事项编码'], name: all[2]['事项名称'], row: null, sheet: null });
    // allowMassRemoval: imported, with the warning.
    const forced = ok(await importGql(editor, XIZHU, csvOf(two), { allowMassRemoval: true }), 'importList');
    expect(forced.errors).toEqual([]);
    expect(forced.warnings.map((w: any) => w.message)).toEqual([expect.stringContaining(`中的${all.length - 2}项（超过一半）`)]);
    expect(forced.version.status).toBe('DRAFT');
    // The corrected re-import gets CONFLICT while the bad draft is open…
    const conflict = await importGql(editor, XIZHU, csvOf(all));
    expect(errorOf(conflict).code).toBe('CONFLICT');
    // …and replaceOpenDraft discards and replaces it in one transaction.
    const fixed = all.map((r, i) => (i === 0 ? { ...r, 事项描述: `${r['事项描述']}（修订）` } : r));
    const replaced = ok(await importGql(editor, XIZHU, csvOf(fixed), { replaceOpenDraft: true }), 'importList');
    expect(replaced).toMatchObject({ errors: [], changed: 1, unchanged: all.length - 1, removed: 0, version: { number: 2, status: 'DRAFT' } });
    expect(replaced.changedItems).toEqual([{ itemCode: all[0]['事项编码'], name: all[0]['事项名称'], row: 2, sheet: null }]);
    const vs = await versions(XIZHU);
    expect(vs.map((v) => v.id)).not.toContain(forced.version.id);
    const [event] = await audit('discardDraft', forced.version.id);
    expect(event.before).toMatchObject({ number: 2, status: 'DRAFT', createdBy: 'cd-editor' });
    expect(event.before.removedItems).toHaveLength(all.length - 2);
    expect(event.after).toEqual({ discarded: true, reason: '以导入文件“list.csv”替换' });
    expect(ok(await discard(editor, replaced.version.id), 'discardDraft')).toBe(true);
  });

  it('the dry run reports exactly what the real import then does (added, changed, unchanged, removed, codes, names, warnings)', async () => {
    const all = records(XIZHU);
    const file = [
      ...all.slice(0, 40).map((r, i) => (i % 10 === 3 ? { ...r, 乡镇职责: `${r['乡镇职责']}并按月报告` } : r)),
      { ...all[1], 事项编码: '320282-101-JB-901', 事项名称: '新增的事项' },
    ];
    const withUnknown = (rows: Record<string, string>[]) => rows.map((r) => ({ ...r, 备注: '' }));
    const dry = ok(await importGql(editor, XIZHU, csvOf(withUnknown(file)), { dryRun: true }), 'importList');
    const { status, body: dryRest } = await upload(editor, { regionCode: XIZHU.code, kind: 'RESPONSIBILITY', dryRun: 'true' }, csvOf(withUnknown(file)));
    expect(status).toBe(200);
    expect((await versions(XIZHU)).filter((v) => v.status === 'DRAFT')).toEqual([]);
    const real = ok(await importGql(editor, XIZHU, csvOf(withUnknown(file))), 'importList');
    const strip = (r: any) => ({ ...r, version: null, dryRun: null });
    expect(strip(dry)).toEqual(strip(real));
    expect(dry).toMatchObject({ added: 1, changed: 4, unchanged: 36, removed: all.length - 40, dryRun: true });
    expect(dry.addedItems).toEqual([{ itemCode: '320282-101-JB-901', name: '新增的事项', row: 42, sheet: null }]);
    expect(dry.warnings.map((w: any) => w.column)).toEqual(['备注']);
    for (const key of ['added', 'changed', 'unchanged', 'removed', 'addedItems', 'changedItems', 'unchangedItems', 'removedItems', 'warnings'])
      expect([key, dryRest[key]]).toEqual([key, dry[key]]);
    const diff = ok(await api.diff(v1, real.version.id, editor), 'versionDiff').changes;
    expect(diff.filter((c: any) => c.change === 'CHANGED').map((c: any) => c.itemCode).sort()).toEqual(real.changedItems.map((i: any) => i.itemCode).sort());
    expect(diff.filter((c: any) => c.change === 'REMOVED').map((c: any) => c.itemCode).sort()).toEqual(real.removedItems.map((i: any) => i.itemCode));
    expect(ok(await discard(editor, real.version.id), 'discardDraft')).toBe(true);
  });

  it('discardDraft: who may (author, an editor of the region, ADMIN), which statuses, audited, published versions stay', async () => {
    const draftOf = async () => ok(await api.createDraft(editor, HUFU.code, 'RESPONSIBILITY', '乡镇申请'), 'createDraft').id as string;
    let v = await draftOf();
    // Not an editor, or outside the region: refused, nothing happens.
    expect(errorOf(await discard(reviewer, v)).code).toBe('FORBIDDEN');
    expect(errorOf(await discard(township, v)).code).toBe('FORBIDDEN');
    expect(errorOf(await discard(outsider, v)).code).toBe('FORBIDDEN');
    expect(errorOf(await discard(editor, v, '  ')).field).toBe('reason');
    // Another editor of the region may.
    expect(ok(await discard(editor2, v, '重复建立的草稿'), 'discardDraft')).toBe(true);
    expect(await versions(HUFU)).toEqual([]);
    const [event] = await audit('discardDraft', v);
    expect(event).toMatchObject({ actor: 'cd-editor2', before: { number: 1, status: 'DRAFT', changeReason: '乡镇申请' }, after: { reason: '重复建立的草稿' } });

    // IN_REVIEW with items: the draft and its pending rows go; ADMIN may.
    v = await draftOf();
    expect((await versions(HUFU))[0].number).toBe(1);
    const item = records(HUFU)[0];
    ok(await importGql(editor, HUFU, csvOf([item]), { replaceOpenDraft: true }), 'importList');
    v = (await versions(HUFU))[0].id;
    expect(await pendingRows(v)).toBe(1);
    ok(await api.submit(editor, v), 'submitForReview');
    expect(ok(await discard(app.adminToken, v), 'discardDraft')).toBe(true);
    expect(await versions(HUFU)).toEqual([]);
    expect(Number((await app.dataSource.query(`SELECT count(*) AS n FROM list_item WHERE region_code = $1`, [HUFU.code]))[0].n)).toBe(0);

    // APPROVED: the author may.
    ok(await importGql(editor, HUFU, csvOf([item])), 'importList');
    v = (await versions(HUFU))[0].id;
    ok(await api.submit(editor, v), 'submitForReview');
    ok(await api.approve(reviewer, v, '同意'), 'approveVersion');
    expect(ok(await discard(editor, v), 'discardDraft')).toBe(true);

    // Published (and superseded) versions cannot be discarded, by anyone.
    for (const token of [editor, app.adminToken]) expect(errorOf(await discard(token, v1))).toEqual({ code: 'CONFLICT', field: undefined });
    expect((await versions(XIZHU)).find((x) => x.id === v1).status).toBe('PUBLISHED');
    expect(errorOf(await discard(editor, v)).code).toBe('FORBIDDEN'); // gone: as any unknown id for an editor
    expect(errorOf(await discard(app.adminToken, v)).code).toBe('NOT_FOUND');
  });

  it('replaceOpenDraft over the REST door: 409 without it, 201 with it, the old draft discarded and audited', async () => {
    const draft = ok(await api.createDraft(editor, HUFU.code, 'RESPONSIBILITY'), 'createDraft');
    const file = csvOf(records(HUFU).slice(0, 3));
    expect((await upload(editor, { regionCode: HUFU.code, kind: 'RESPONSIBILITY' }, file)).status).toBe(409);
    const { status, body } = await upload(editor, { regionCode: HUFU.code, kind: 'RESPONSIBILITY', replaceOpenDraft: 'true' }, file);
    expect(status).toBe(201);
    expect(body).toMatchObject({ added: 3, version: { number: 1, status: 'DRAFT' } });
    expect(body.version.id).not.toBe(draft.id);
    expect((await audit('discardDraft', draft.id)).length).toBe(1);
  });
});
