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

  it('the answer page\'s "was this right?" form works without JavaScript: a form post, a thank-you page, a way back', async () => {
    const page = await (await fetch(`${app.url}/ask?${new URLSearchParams({ region: '张渚镇', q: '违建', asOf: '2026-09-01' })}`, { headers: { accept: 'text/html' } })).text();
    const form = page.match(/<form class="feedback[^"]*" method="post" action="\/feedback\/answers"[^>]*>([\s\S]*?)<\/form>/);
    expect(form).not.toBeNull();
    const hidden = Object.fromEntries([...form![1].matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(hidden).toEqual({ question: '违建', regionCode: TOWN_A, itemCode: '320282-100-JB-002', asOf: '2026-09-01' });
    expect(form![1]).toMatch(/<button type="submit"[^>]* name="helpful" value="true">答对了<\/button>/);
    expect(form![1]).toMatch(/<button type="submit"[^>]* name="helpful" value="false">不对<\/button>/);

    const post = (fields: Record<string, string>) =>
      fetch(`${app.url}/feedback/answers`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
    const [{ n: before, now: since }] = await app.dataSource.query(`SELECT count(*)::int AS n, now() AS now FROM answer_feedback`);
    const thanks = await post({ ...hidden, helpful: 'true' });
    expect(thanks.status).toBe(200);
    expect(thanks.headers.get('content-type')).toMatch(/^text\/html/);
    expect(thanks.headers.get('cache-control')).toBe('private, no-store');
    const html = await thanks.text();
    expect(html).toContain('谢谢您的反馈');
    expect(html).toContain('已记下：这条答复答对了。');
    expect(html).toContain(`href="/ask?region=320282100&amp;q=%E8%BF%9D%E5%BB%BA&amp;asOf=2026-09-01"`); // back to the answer
    const rows = await app.dataSource.query(`SELECT region_code, question, item_code, helpful FROM answer_feedback ORDER BY given_at DESC LIMIT 1`);
    expect(rows[0]).toEqual({ region_code: TOWN_A, question: '违建', item_code: '320282-100-JB-002', helpful: true });

    // A form that was tampered with: the problem named on a page, in Chinese, nothing recorded.
    const bad = await post({ ...hidden, helpful: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await bad.text()).toContain('helpful 应为 true（答对了）或 false（答错了）');
    const noRegion = await post({ question: '违建', regionCode: '3202', helpful: 'false' });
    expect(noRegion.status).toBe(400);
    expect(await noRegion.text()).toContain('区划代码应为12位数字');
    const tooLong = await post({ question: '违'.repeat(5000), regionCode: TOWN_A, helpful: 'false' });
    expect(tooLong.status).toBe(413); // the form's body limit (8 KB)
    expect((await app.dataSource.query(`SELECT count(*)::int AS n FROM answer_feedback`))[0].n).toBe(before + 1);

    // An empty answer asks too (without an item).
    const empty = await (await fetch(`${app.url}/ask?${new URLSearchParams({ region: '320282100', q: '村里有人偷偷开土窑烧砖' })}`)).text();
    expect(empty).toMatch(/<form class="feedback[^"]*" method="post" action="\/feedback\/answers"/);
    expect(empty).not.toMatch(/name="itemCode"/);
    const wrong = await post({ question: '村里有人偷偷开土窑烧砖', regionCode: TOWN_A, helpful: 'false' });
    expect(await wrong.text()).toContain('已记下：这条答复不对。');
    // the queue's test below counts the judgements of the JSON door only
    await app.dataSource.query(`DELETE FROM answer_feedback WHERE given_at >= $1`, [since]);
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
