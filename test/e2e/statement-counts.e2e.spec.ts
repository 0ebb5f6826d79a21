import { QuestionLogService } from '../../src/modules/accountability/question-log.service.js';
import { listApi, ok, todayInChina, TOWN_A } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

/**
 * SQL statements per request on the hot public reads: counts are exact where times are
 * not. Counted on the data source's query logger, which every statement passes through.
 * Also: the in-process cache of public answers and whole public responses, and that a
 * publication or any admin mutation drops it at once.
 */
const W3 = `query($r: String!, $k: ListKind!) { listVersionInForce(regionCode: $r, kind: $k) { id number approvalDocNumber effectiveFrom
  items(first: 100) { totalCount edges { node { itemCode name section townshipRole accountableBody { name level }
    cooperating { duty body { name } } citations { label resolved text } } } } } }`;
const W1 = `query($q: String!, $r: String!) { whoIsAccountable(question: $q, regionCode: $r) { answers { score item { itemCode name }
  accountableBody { name } cooperating { body { name } } township { name } version { number } citations { label text } } } }`;
const IN_FORCE = 'query($r:String!,$k:ListKind!){ listVersionInForce(regionCode:$r, kind:$k){ number } }';

describe('statements per request and the cache of public answers', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  async function statements<T>(work: () => Promise<T>): Promise<{ n: number; result: T }> {
    // The public question log is written off the answer's path: what an earlier question queued is written now, not during the count.
    await app.registry.app.get(QuestionLogService).drain();
    const logger = app.dataSource.logger;
    const original = logger.logQuery;
    let n = 0;
    logger.logQuery = (...args: Parameters<typeof original>) => {
      n++;
      return original.apply(logger, args);
    };
    try {
      const result = await work();
      return { n, result };
    } finally {
      logger.logQuery = original;
    }
  }

  it('W3: a whole list in force, with bodies and citations, in at most 4 statements', async () => {
    const { n, result } = await statements(() => app.publicGql(W3, { r: TOWN_A, k: 'RESPONSIBILITY' }));
    const version = ok(result, 'listVersionInForce');
    expect(version.items.totalCount).toBeGreaterThan(40);
    expect(version.items.edges.every((e: any) => e.node.accountableBody.name)).toBe(true);
    expect(version.items.edges.some((e: any) => e.node.citations.length > 0 && e.node.cooperating.length > 0)).toBe(true);
    expect(n).toBeGreaterThanOrEqual(3); // executed, not a cached response
    expect(n).toBeLessThanOrEqual(4);
  });

  it('a repeated public query is answered whole from the cache, without a statement', async () => {
    const ask = () => app.publicGql(W3, { r: TOWN_A, k: 'RESPONSIBILITY' });
    const first = await statements(ask);
    const again = await statements(ask);
    expect(again.n).toBe(0);
    expect(again.result).toEqual(first.result);
    // Other variables are another query.
    expect((await statements(() => app.publicGql(W3, { r: TOWN_A, k: 'POWER' }))).n).toBeGreaterThan(0);
  });

  it('an admin mutation drops the cached responses: a renamed body shows at once on the public endpoint', async () => {
    const ask = () => app.publicGql(W3, { r: TOWN_A, k: 'RESPONSIBILITY' });
    const names = (r: any) => new Set(ok(r, 'listVersionInForce').items.edges.map((e: any) => e.node.accountableBody.name));
    expect(names(await ask())).toContain('张渚镇人民政府');
    expect((await statements(ask)).n).toBe(0);
    const [{ id }] = await app.dataSource.query(`SELECT id FROM body WHERE name = '张渚镇人民政府'`);
    ok(await app.adminGql('mutation($id:ID!,$n:String!){ renameBody(id:$id, name:$n){ name } }', { id, n: '张渚镇人民政府（更名）' }), 'renameBody');
    const after = await statements(ask);
    expect(after.n).toBeGreaterThan(0);
    expect(names(after.result)).toContain('张渚镇人民政府（更名）');
    expect(names(after.result)).not.toContain('张渚镇人民政府');
    ok(await app.adminGql('mutation($id:ID!,$n:String!){ renameBody(id:$id, name:$n){ name } }', { id, n: '张渚镇人民政府' }), 'renameBody');
    expect(names(await ask())).toContain('张渚镇人民政府');
  });

  it('W1: a repeated public question is answered from the cache', async () => {
    const ask = () => app.publicGql(W1, { q: '村口有人乱搭棚子归哪里管', r: TOWN_A });
    const first = await statements(ask);
    const again = await statements(ask);
    expect(ok(again.result, 'whoIsAccountable')).toEqual(ok(first.result, 'whoIsAccountable'));
    expect(ok(first.result, 'whoIsAccountable').answers.length).toBeGreaterThan(0);
    expect(first.n).toBeGreaterThanOrEqual(3);
    expect(again.n).toBe(0);
  });

  it('a publication drops the cached answers when it commits: the next public read sees the new version', async () => {
    const lists = listApi(app);
    expect(ok(await app.publicGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }), 'listVersionInForce').number).toBe(1);
    expect((await statements(() => app.publicGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }))).n).toBe(0); // cached
    const reviewer = await app.createUser('cache-reviewer', 'REVIEWER', '320282000000');
    const draft = ok(await lists.createDraft(app.adminToken, TOWN_A, 'POWER', '其他'), 'createDraft');
    ok(await lists.removeItem(app.adminToken, draft.id, '320282-100-XK-002'), 'removeItem');
    ok(await lists.submit(app.adminToken, draft.id), 'submitForReview');
    ok(await lists.approve(reviewer, draft.id, '同意'), 'approveVersion');
    // Still the old answer while nothing is published.
    expect(ok(await app.publicGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }), 'listVersionInForce').number).toBe(1);
    ok(await lists.publish(app.adminToken, draft.id, todayInChina(), '宜政发〔2026〕77号'), 'publishVersion');
    expect(ok(await app.publicGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }), 'listVersionInForce').number).toBe(2);
  });
});
