// No lost updates: two editors writing the same draft at once with the same
// expectedRevision, two reviewers deciding on the same version at once. Exactly one wins, the
// other gets VERSION_CONFLICT (drafting) or CONFLICT (review), and nothing of the loser's call is
// left behind: not its item, not its citations, not its audit event. On the PostgreSQL server the
// calls are made to overlap for certain: the test holds the version's row lock until both calls
// are waiting on it. The embedded engine has one connection, so there the calls queue, and the
// outcome must be the same.
import { startTestApp, type GraphQLResponse, type TestApp } from '../setup/test-app.js';
import { serverUrl } from '../setup/test-database.js';
import { createUsers, eventsAfter, item, lastSeq, ok, outcome, revisionOf, trustApi, YIXING, YIXING_BODY } from '../setup/trust.js';

const ROUNDS = 4;
const XUSHE = '320282103'; // 徐舍镇: RESPONSIBILITY v1 published (demo)

/** The one success and the one failure of two simultaneous calls, whichever came first. */
function split(results: GraphQLResponse[], expectedFailure: string) {
  const outcomes = results.map(outcome);
  expect(outcomes.slice().sort()).toEqual([expectedFailure, 'ok'].sort());
  const winner = outcomes.indexOf('ok');
  return { winner, loser: 1 - winner, failure: results[1 - winner] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('concurrent writers', () => {
  let app: TestApp;
  let api: ReturnType<typeof trustApi>;
  let tokens: Record<'editor1' | 'editor2' | 'reviewer1' | 'reviewer2', string>;
  const editors = () => [tokens.editor1, tokens.editor2];
  const reviewers = () => [tokens.reviewer1, tokens.reviewer2];
  const names = { editor: ['tc-editor1', 'tc-editor2'], reviewer: ['tc-reviewer1', 'tc-reviewer2'] };

  /** The pending rows of a draft (what it adds, changes or removes), by item code. */
  async function pendingRows(versionId: string): Promise<{ item_code: string; name: string; removed: boolean; citations: number }[]> {
    return app.dataSource.query(
      `SELECT i.item_code, i.name, i.removed, (SELECT count(*)::int FROM item_citation c WHERE c.item_id = i.id) AS citations
       FROM list_item i JOIN list_version v ON v.list_id = i.list_id AND v.number = i.from_version
       WHERE v.id = $1 AND i.pending ORDER BY i.item_code`,
      [versionId],
    );
  }

  /**
   * Starts the calls together. On the server, the version's row is held locked until every call
   * is waiting for it (pg_stat_activity), so they are all in flight at once, past the checks
   * that come before the lock.
   */
  async function atOnce(versionId: string, calls: (() => Promise<GraphQLResponse>)[]): Promise<GraphQLResponse[]> {
    if (!serverUrl()) return Promise.all(calls.map((c) => c()));
    const holder = app.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('SELECT id FROM list_version WHERE id = $1 FOR UPDATE', [versionId]);
      const pending = calls.map((c) => c());
      let waiting = 0;
      // bounded by a deadline, not a count of short sleeps: a loaded machine may take seconds to get them all there
      for (const deadline = Date.now() + 60_000; waiting < calls.length && Date.now() < deadline; ) {
        await sleep(20);
        [{ waiting }] = await app.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
      }
      expect(waiting).toBe(calls.length);
      await holder.commitTransaction();
      return await Promise.all(pending);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  }

  const eventsOf = async (seq: number, versionId: string) => (await eventsAfter(app, seq)).filter((e) => e.entity_id === versionId);

  beforeAll(async () => {
    app = await startTestApp();
    api = trustApi(app);
    tokens = await createUsers(app, { editor1: ['EDITOR', YIXING], editor2: ['EDITOR', YIXING], reviewer1: ['REVIEWER', YIXING], reviewer2: ['REVIEWER', YIXING] }, 'tc');
  });
  afterAll(() => app?.close());

  describe('saveItem', () => {
    let draft: string;
    beforeAll(async () => {
      draft = ok(await api.createDraft(tokens.editor1, '320282101', 'RESPONSIBILITY'), 'createDraft').id;
    });

    it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('round %i, two different items: one is saved, the other VERSION_CONFLICT, nothing half-applied', async (round) => {
      const revision = await revisionOf(app, draft);
      const seq = await lastSeq(app);
      const codes = [`A-${round}`, `B-${round}`];
      // items with citations and cooperating bodies: several statements per save, each could be left behind
      const inputs = codes.map((code) =>
        item('RESPONSIBILITY', code, YIXING_BODY, {
          legalBasis: '《中华人民共和国城乡规划法》第六十五条；《农药管理条例》第三十二条第五款',
          cooperating: [{ bodyName: '宜兴市应急管理局', duty: '配合' }],
        }),
      );
      const results = await atOnce(draft, editors().map((t, i) => () => api.saveItem(t, draft, inputs[i], revision)));
      const { winner, loser, failure } = split(results, 'VERSION_CONFLICT');
      expect(failure.errors![0].extensions).toMatchObject({ field: 'expectedRevision', currentRevision: revision + 1 });

      expect(await revisionOf(app, draft)).toBe(revision + 1);
      const rows = await pendingRows(draft);
      expect(rows.find((r) => r.item_code === codes[winner])).toMatchObject({ removed: false, citations: 2 });
      expect(rows.map((r) => r.item_code)).not.toContain(codes[loser]);
      expect(rows).toHaveLength(round); // one item per round, nothing else
      const events = await eventsOf(seq, draft);
      expect(events.map((e) => [e.action, e.actor, e.after.itemCode])).toEqual([['saveItem', names.editor[winner], codes[winner]]]);
    });

    it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('round %i, the same item with different content: the draft holds exactly the winner\'s', async (round) => {
      const revision = await revisionOf(app, draft);
      const seq = await lastSeq(app);
      const inputs = [0, 1].map((i) => item('RESPONSIBILITY', 'SAME', YIXING_BODY, { name: `编辑${i + 1}的第${round}稿`, keywords: [`编辑${i + 1}`], legalBasis: null }));
      const results = await atOnce(draft, editors().map((t, i) => () => api.saveItem(t, draft, inputs[i], revision)));
      const { winner } = split(results, 'VERSION_CONFLICT');
      const same = (await pendingRows(draft)).filter((r) => r.item_code === 'SAME');
      expect(same).toEqual([{ item_code: 'SAME', name: `编辑${winner + 1}的第${round}稿`, removed: false, citations: 0 }]);
      const [{ keywords }] = await app.dataSource.query(
        `SELECT i.keywords FROM list_item i JOIN list_version v ON v.list_id = i.list_id AND v.number = i.from_version WHERE v.id = $1 AND i.pending AND i.item_code = 'SAME'`,
        [draft],
      );
      expect(keywords).toEqual([`编辑${winner + 1}`]);
      expect((await eventsOf(seq, draft)).map((e) => e.actor)).toEqual([names.editor[winner]]);
      expect(await revisionOf(app, draft)).toBe(revision + 1);
    });
  });

  describe('removeItem', () => {
    let draft: string;
    let inForce: string[];
    beforeAll(async () => {
      // 徐舍镇's list in force: removing one of its items writes a removal marker in the draft
      draft = ok(await api.createDraft(tokens.editor1, XUSHE, 'RESPONSIBILITY'), 'createDraft').id;
      inForce = (await app.dataSource.query(
        `SELECT item_code FROM list_item WHERE region_code = $1 AND kind = 'RESPONSIBILITY' AND NOT pending AND to_version IS NULL ORDER BY item_code`,
        [XUSHE.padEnd(12, '0')],
      )).map((r: { item_code: string }) => r.item_code);
      expect(inForce.length).toBeGreaterThanOrEqual(2 * ROUNDS + 1);
    });

    it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('round %i, two different items in force: one is removed, the other VERSION_CONFLICT and still there', async (round) => {
      const revision = await revisionOf(app, draft);
      const seq = await lastSeq(app);
      const codes = [inForce[2 * round - 2], inForce[2 * round - 1]];
      const results = await atOnce(draft, editors().map((t, i) => () => api.removeItem(t, draft, codes[i], revision)));
      const { winner, loser } = split(results, 'VERSION_CONFLICT');
      const removed = (await pendingRows(draft)).filter((r) => r.removed).map((r) => r.item_code);
      expect(removed).toContain(codes[winner]);
      expect(removed).not.toContain(codes[loser]);
      expect(removed).toHaveLength(round);
      expect(await revisionOf(app, draft)).toBe(revision + 1);
      const events = await eventsOf(seq, draft);
      expect(events.map((e) => [e.action, e.actor, e.before.itemCode])).toEqual([['removeItem', names.editor[winner], codes[winner]]]);
    });

    it('the same item twice at once: removed once, the other VERSION_CONFLICT (not a second marker)', async () => {
      const code = inForce[inForce.length - 1];
      const revision = await revisionOf(app, draft);
      const seq = await lastSeq(app);
      const results = await atOnce(draft, editors().map((t) => () => api.removeItem(t, draft, code, revision)));
      const { winner } = split(results, 'VERSION_CONFLICT');
      expect((await pendingRows(draft)).filter((r) => r.item_code === code)).toEqual([{ item_code: code, name: expect.any(String), removed: true, citations: 0 }]);
      expect((await eventsOf(seq, draft)).map((e) => e.actor)).toEqual([names.editor[winner]]);
    });

    it('without the race, a stale expectedRevision is refused the same way and writes nothing', async () => {
      const revision = await revisionOf(app, draft);
      const before = await pendingRows(draft);
      const seq = await lastSeq(app);
      const stale = await api.removeItem(tokens.editor2, draft, inForce[inForce.length - 2], revision - 1);
      expect(stale.errors![0].extensions).toMatchObject({ code: 'VERSION_CONFLICT', currentRevision: revision });
      expect(await pendingRows(draft)).toEqual(before);
      expect(await lastSeq(app)).toBe(seq);
    });
  });

  describe('review', () => {
    const TOWNS = ['320282104', '320282105', '320282106', '320282107'];
    /** A version of `town`'s list submitted by editor1, waiting for review. */
    async function inReview(town: string): Promise<string> {
      const id = ok(await api.createDraft(tokens.editor1, town, 'RESPONSIBILITY'), 'createDraft').id;
      ok(await api.saveItem(tokens.editor1, id, item('RESPONSIBILITY', 'R-1', YIXING_BODY)), 'saveItem');
      ok(await api.submit(tokens.editor1, id), 'submitForReview');
      return id;
    }

    it.each(TOWNS.slice(0, 3))('two reviewers approving %s at once: one APPROVED, the other CONFLICT, one approval event', async (town) => {
      const id = await inReview(town);
      const seq = await lastSeq(app);
      const results = await atOnce(id, reviewers().map((t, i) => () => api.approve(t, id, `审核人${i + 1}：同意`)));
      const { winner, failure } = split(results, 'CONFLICT');
      expect(failure.errors![0].extensions).toMatchObject({ status: 'APPROVED' });
      const [row] = await app.dataSource.query('SELECT status, approved_by, review_opinion, revision FROM list_version WHERE id = $1', [id]);
      expect(row).toEqual({ status: 'APPROVED', approved_by: names.reviewer[winner], review_opinion: `审核人${winner + 1}：同意`, revision: expect.any(Number) });
      const events = await eventsOf(seq, id);
      expect(events.map((e) => [e.action, e.actor, e.after.status])).toEqual([['approveVersion', names.reviewer[winner], 'APPROVED']]);
    });

    it('one reviewer approving while another rejects: exactly one decision is recorded', async () => {
      const id = await inReview(TOWNS[3]);
      const seq = await lastSeq(app);
      const [approved, rejected] = await atOnce(id, [() => api.approve(tokens.reviewer1, id, '同意'), () => api.reject(tokens.reviewer2, id, '不同意')]);
      const { winner } = split([approved, rejected], 'CONFLICT');
      const [row] = await app.dataSource.query('SELECT status, approved_by, review_opinion, submitted_by FROM list_version WHERE id = $1', [id]);
      expect(row).toEqual(
        winner === 0
          ? { status: 'APPROVED', approved_by: 'tc-reviewer1', review_opinion: '同意', submitted_by: 'tc-editor1' }
          : { status: 'DRAFT', approved_by: null, review_opinion: '不同意', submitted_by: null },
      );
      expect((await eventsOf(seq, id)).map((e) => e.action)).toEqual([winner === 0 ? 'approveVersion' : 'rejectVersion']);
    });
  });

  it('an edit racing a submission: either the edit lands before and is submitted with it, or it is refused; never an edit to a version in review', async () => {
    const id = ok(await api.createDraft(tokens.editor1, '320282108', 'RESPONSIBILITY'), 'createDraft').id;
    ok(await api.saveItem(tokens.editor1, id, item('RESPONSIBILITY', 'S-1', YIXING_BODY)), 'saveItem');
    const revision = await revisionOf(app, id);
    const [saved, submitted] = await atOnce(id, [
      () => api.saveItem(tokens.editor2, id, item('RESPONSIBILITY', 'S-2', YIXING_BODY), revision),
      () => api.submit(tokens.editor1, id),
    ]);
    expect(outcome(submitted)).toBe('ok');
    const codes = (await pendingRows(id)).map((r) => r.item_code);
    if (outcome(saved) === 'ok') expect(codes).toEqual(['S-1', 'S-2']);
    else {
      expect(outcome(saved)).toBe('CONFLICT'); // the version was already in review
      expect(codes).toEqual(['S-1']);
    }
    const [row] = await app.dataSource.query('SELECT status, revision FROM list_version WHERE id = $1', [id]);
    expect(row).toEqual({ status: 'IN_REVIEW', revision: revision + (outcome(saved) === 'ok' ? 2 : 1) });
  });
});
