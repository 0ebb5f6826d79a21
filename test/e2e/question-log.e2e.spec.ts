import { QuestionLogService } from '../../src/modules/accountability/question-log.service.js';
import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

const TOWN_A = '320282100000';
const COUNTY = '320282000000';
const ASK = `query($q: String!, $r: String!) { whoIsAccountable(question: $q, regionCode: $r) { answers { item { itemCode } } } }`;
const QUEUE = `query($r: String!) { questionQueue(regionCode: $r) { id question regionCode timesAsked resultCount topItemCode notHelpful helpful reason lastAskedOn } }`;
const MAP = `mutation($id: String!, $code: String!, $as: QuestionMapping!, $phrase: String) {
  mapQuestion(questionId: $id, itemCode: $code, as: $as, phrase: $phrase) { questionId question as itemCode phrase versionId }
}`;

describe('learning from real questions', () => {
  let app: TestApp;
  let log: QuestionLogService;
  let editor: string;
  const ask = async (q: string, r = TOWN_A) => {
    const res = await app.publicGql(ASK, { q, r });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.whoIsAccountable.answers.map((a: any) => a.item.itemCode);
  };
  const feedback = (body: unknown) =>
    fetch(`${app.url}/feedback/answers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    app = await startTestApp();
    log = app.registry.app.get(QuestionLogService);
  });
  afterAll(() => app?.close());

  it('logs each public question with its region, date, result count and top item, cache hits included, and no IP or user', async () => {
    await ask('村里有人偷偷开土窑烧砖');
    await ask('村里有人偷偷开土窑烧砖'); // the same request again: answered from the response cache
    await ask('违建');
    await log.flush();
    const rows = await app.dataSource.query(`SELECT * FROM question_log ORDER BY asked_at`);
    const kiln = rows.filter((r: any) => r.question === '村里有人偷偷开土窑烧砖');
    expect(kiln).toHaveLength(2);
    expect(kiln[0]).toMatchObject({ region_code: TOWN_A, result_count: 0, top_item_code: null, intent: 'WHO_IS_ACCOUNTABLE' });
    expect(rows.find((r: any) => r.question === '违建')).toMatchObject({ top_item_code: '320282-100-JB-002' });
    expect(Object.keys(rows[0]).filter((c) => /ip|user|agent|addr/i.test(c))).toEqual([]);
    // Refused questions are not logged.
    expect(codeOf(await app.publicGql(ASK, { q: '', r: TOWN_A }))).toBe('BAD_USER_INPUT');
    await log.flush();
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM question_log WHERE question = ''`))[0].n).toBe(0);
  });

  it('records "was this right?" through POST /feedback/answers, checking what it is given', async () => {
    expect((await feedback({ question: '违建', regionCode: TOWN_A, itemCode: '320282-100-JB-002', helpful: false })).status).toBe(204);
    expect((await feedback({ question: '违建', regionCode: TOWN_A, helpful: false })).status).toBe(204);
    const bad = await feedback({ question: '违建', regionCode: TOWN_A, helpful: 'maybe' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'helpful' });
    expect((await feedback({ question: '', regionCode: TOWN_A, helpful: true })).status).toBe(400);
    expect((await feedback({ question: '违建', regionCode: '32', helpful: true })).status).toBe(400);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM answer_feedback`);
    expect(n).toBe(2);
  });

  it('queues unanswered and marked-wrong questions for the editors of the region only', async () => {
    editor = await app.createUser('queue-editor', 'EDITOR', COUNTY);
    const queue = await app.adminGql(QUEUE, { r: COUNTY }, editor);
    expect(queue.errors).toBeUndefined();
    const entries = queue.data.questionQueue;
    expect(entries.find((e: any) => e.question === '村里有人偷偷开土窑烧砖')).toMatchObject({ timesAsked: 2, resultCount: 0, reason: 'NO_ANSWER', regionCode: TOWN_A });
    expect(entries.find((e: any) => e.question === '违建')).toMatchObject({ reason: 'MARKED_WRONG', notHelpful: 2, topItemCode: '320282-100-JB-002' });
    const elsewhere = await app.createUser('queue-editor-jy', 'EDITOR', '320281000000');
    expect(codeOf(await app.adminGql(QUEUE, { r: COUNTY }, elsewhere))).toBe('FORBIDDEN');
    const township = await app.createUser('queue-township', 'TOWNSHIP', TOWN_A);
    expect(codeOf(await app.adminGql(QUEUE, { r: TOWN_A }, township))).toBe('FORBIDDEN');
    expect(codeOf(await app.publicGql(QUEUE, { r: TOWN_A }))).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('maps a logged question to an item: its phrase becomes an alias of the item in the list draft, versioned with it', async () => {
    const token = editor;
    const [entry] = (await app.adminGql(QUEUE, { r: TOWN_A }, token)).data.questionQueue.filter((e: any) => e.question === '村里有人偷偷开土窑烧砖');
    const mapped = await app.adminGql(MAP, { id: entry.id, code: '320282-100-PH-005', as: 'ITEM_ALIAS', phrase: '偷偷开土窑' }, token);
    expect(mapped.errors).toBeUndefined();
    expect(mapped.data.mapQuestion).toMatchObject({ as: 'ITEM_ALIAS', itemCode: '320282-100-PH-005', phrase: '偷偷开土窑' });
    const draftId = mapped.data.mapQuestion.versionId;
    const draft = await app.adminGql(
      `query($id: ID!) { listVersion(id: $id) { status items(first: 100) { edges { node { itemCode aliases } } } } }`,
      { id: draftId },
      token,
    );
    expect(draft.errors).toBeUndefined();
    expect(draft.data.listVersion.status).toBe('DRAFT');
    expect(draft.data.listVersion.items.edges.find((e: any) => e.node.itemCode === '320282-100-PH-005').node.aliases).toEqual(['偷偷开土窑']);
    // Published answers do not change until the draft is published; the question left the queue.
    expect(await ask('村里有人偷偷开土窑烧砖')).toEqual([]);
    const after = (await app.adminGql(QUEUE, { r: TOWN_A }, token)).data.questionQueue;
    expect(after.find((e: any) => e.question === '村里有人偷偷开土窑烧砖')).toBeUndefined();
    const [audit] = await app.dataSource.query(`SELECT action, entity_type FROM audit_event WHERE action = 'mapQuestion'`);
    expect(audit).toMatchObject({ action: 'mapQuestion', entity_type: 'QuestionLog' });
  });

  it('maps a question to a synonym for an ADMIN only, applied at once', async () => {
    await ask('阿拉丁灯神显灵了');
    await log.flush();
    const admin = app.adminToken;
    const [entry] = (await app.adminGql(QUEUE, { r: TOWN_A }, admin)).data.questionQueue.filter((e: any) => e.question === '阿拉丁灯神显灵了');
    expect(entry).toBeDefined();
    expect(codeOf(await app.adminGql(MAP, { id: entry.id, code: '320282-100-JB-002', as: 'SYNONYM', phrase: '阿拉丁灯神' }, editor))).toBe('FORBIDDEN');
    const mapped = await app.adminGql(MAP, { id: entry.id, code: '320282-100-JB-002', as: 'SYNONYM', phrase: '阿拉丁灯神' }, admin);
    expect(mapped.errors).toBeUndefined();
    expect((await ask('阿拉丁灯神显灵了'))[0]).toBe('320282-100-JB-002');
  });

  it('refuses to map a question outside the editor\'s region, or to an item not in the question\'s region', async () => {
    await ask('扶贫小额信贷找谁');
    await log.flush();
    const [{ id }] = await app.dataSource.query(`SELECT id FROM question_log WHERE question = '扶贫小额信贷找谁'`);
    const elsewhere = await app.createUser('queue-editor-jy2', 'EDITOR', '320281000000');
    expect(codeOf(await app.adminGql(MAP, { id, code: '320282-100-JB-002', as: 'ITEM_ALIAS' }, elsewhere))).toBe('FORBIDDEN');
    expect(codeOf(await app.adminGql(MAP, { id, code: '320282-103-JB-001', as: 'ITEM_ALIAS' }))).toBe('NOT_FOUND');
    expect(codeOf(await app.adminGql(MAP, { id: 'not-an-id', code: '320282-100-JB-002', as: 'ITEM_ALIAS' }))).toBe('FORBIDDEN');
  });

  it('deletes entries older than QUESTION_LOG_RETENTION_DAYS', async () => {
    await app.dataSource.query(
      `INSERT INTO question_log (asked_at, asked_on, region_code, question, intent, result_count) VALUES (now() - interval '400 days', '2025-10-29', $1, '很久以前的问题', 'WHO_IS_ACCOUNTABLE', 0)`,
      [TOWN_A],
    );
    await app.dataSource.query(`INSERT INTO answer_feedback (given_at, region_code, question, helpful) VALUES (now() - interval '400 days', $1, '很久以前的问题', true)`, [TOWN_A]);
    expect(await log.purge()).toBe(2);
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM question_log WHERE question = '很久以前的问题'`))[0].n).toBe(0);
  });
});
