// The search index is derived data: `search:reindex` recomputes the vectors of every row (published
// ones included, which the immutability trigger allows for that column only), in short batches;
// `migration:run` and start-up recompute them when the stored search document's version is not
// the code's.
import fs from 'node:fs';
import { systemActor } from '../../src/auth/actor.js';
import { migrationRun, searchReindex } from '../../src/cli/commands.js';
import { readCsvRecords, writeCsvRecords } from '../../src/common/csv.js';
import { ImportService } from '../../src/modules/import-export/import.service.js';
import { demoFile } from '../../src/seed/demo-files.js';
import { SEARCH_DOCUMENT_VERSION } from '../../src/modules/accountability/item-search-document.js';
import { SearchIndexService } from '../../src/modules/accountability/search-index.service.js';
import { ok, sqlRefusal, TOWN_A, TOWN_B } from '../setup/lists-api.js';
import { startTestApp, type TestApp } from '../setup/test-app.js';

const ASK = 'query($q:String!,$r:String!){ whoIsAccountable(question:$q, regionCode:$r){ answers { item { itemCode } } } }';

describe('search index', () => {
  let app: TestApp;
  let search: SearchIndexService;
  const say: string[] = [];
  const ctx = () => ({ app: app.registry.app, dataSource: app.dataSource, config: {} as never, engine: app.engine, say: (l: string) => say.push(l) });
  // The admin endpoint: answers never come from the public cache.
  const codesFor = async (question: string, region: string) =>
    ok(await app.adminGql(ASK, { q: question, r: region }), 'whoIsAccountable').answers.map((a: { item: { itemCode: string } }) => a.item.itemCode);
  const vectors = (region: string) =>
    app.dataSource.query(`SELECT id, search_vector::text AS v FROM list_item WHERE region_code = $1 AND NOT removed ORDER BY id`, [region]) as Promise<{ id: string; v: string }[]>;
  const blank = (where: string, params: unknown[] = []) => app.dataSource.query(`UPDATE list_item SET search_vector = to_tsvector('simple', '') WHERE ${where}`, params);

  beforeAll(async () => {
    app = await startTestApp();
    search = app.registry.app.get(SearchIndexService);
  });
  afterAll(() => app?.close());

  it('the item guard lets the derived vector change on published rows, and nothing else', async () => {
    const [row] = await app.dataSource.query(`SELECT id, search_vector::text AS v FROM list_item WHERE region_code = $1 AND NOT pending LIMIT 1`, [TOWN_A]);
    await blank('id = $1', [row.id]);
    expect(await sqlRefusal(app, `UPDATE list_item SET name = name || '改' WHERE id = $1`, [row.id])).toMatchObject({ code: 'P0001' });
    expect(await sqlRefusal(app, `UPDATE list_item SET name = name || '改', search_vector = NULL WHERE id = $1`, [row.id])).toMatchObject({ code: 'P0001' });
    await app.dataSource.query('UPDATE list_item SET search_vector = $2::tsvector WHERE id = $1', [row.id, row.v]);
  });

  it('search:reindex --region recomputes that region\'s rows in batches of short statements, and no other', async () => {
    const before = await vectors(TOWN_A);
    const otherBefore = await vectors(TOWN_B);
    expect(await codesFor('违建', TOWN_A)).toContain('320282-100-JB-002');
    await blank('region_code = $1', [TOWN_A]);
    await blank('region_code = $1', [TOWN_B]);
    expect(await codesFor('违建', TOWN_A)).toEqual([]);

    const updates: string[] = [];
    const logger = app.dataSource.logger;
    const original = logger.logQuery;
    logger.logQuery = (query: string, ...rest: unknown[]) => {
      if (/^\s*UPDATE list_item/.test(query)) updates.push(query);
      return original.call(logger, query, ...(rest as []));
    };
    const progress: [number, number][] = [];
    let done: number;
    try {
      done = await search.reindex({ regionCode: '320282100', batchSize: 20, onProgress: (d, t) => progress.push([d, t]) });
    } finally {
      logger.logQuery = original;
    }
    expect(done).toBe(before.length);
    expect(updates).toHaveLength(Math.ceil(before.length / 20));
    expect(progress[0]).toEqual([0, before.length]);
    expect(progress.at(-1)).toEqual([before.length, before.length]);
    expect(progress.map(([d]) => d)).toEqual([...progress.map(([d]) => d)].sort((a, b) => a - b));
    expect(await vectors(TOWN_A)).toEqual(before); // the vectors the write path computed, exactly
    expect(await codesFor('违建', TOWN_A)).toContain('320282-100-JB-002');
    expect((await vectors(TOWN_B)).every((r) => r.v === '')).toBe(true); // another township: untouched

    // The command, on the other township.
    await searchReindex(ctx(), { region: '320282103' });
    expect(say.at(-1)).toMatch(/^Search index recomputed for 徐舍镇 \(320282103000\): \d+ rows/);
    expect(await vectors(TOWN_B)).toEqual(otherBefore);
  });

  it('migration:run recomputes every row when the stored search document is not the code\'s, and records it', async () => {
    expect(await search.storedVersion()).toBe(SEARCH_DOCUMENT_VERSION);
    const before = await vectors(TOWN_A);
    await blank('true');
    await migrationRun(ctx());
    expect(say.at(-1)).toBe('No pending migrations.'); // current: nothing recomputed
    expect((await vectors(TOWN_A)).every((r) => r.v === '')).toBe(true);

    await app.dataSource.query(`UPDATE search_index_state SET document_version = 'an older document'`);
    await migrationRun(ctx());
    expect(say.at(-1)).toMatch(/^Search index recomputed with the current search document: \d+ rows\.$/);
    expect(await search.storedVersion()).toBe(SEARCH_DOCUMENT_VERSION);
    expect(await vectors(TOWN_A)).toEqual(before);
  });

  it('start-up recomputes a stale index in the background and records it', async () => {
    const before = await vectors(TOWN_A);
    await blank('true');
    await app.dataSource.query(`UPDATE search_index_state SET document_version = 'an older document'`);
    const background = await search.startUp();
    expect(background).not.toBeNull();
    await background;
    expect(await search.storedVersion()).toBe(SEARCH_DOCUMENT_VERSION);
    expect(await vectors(TOWN_A)).toEqual(before);
    expect(await search.startUp()).toBeNull(); // current now
  });

  it("an import's batch, whose rows share texts (each distinct text vectorised once), writes the vectors reindex computes", async () => {
    // Town A's responsibility list with every description changed: every row is written, in one batch.
    const records = readCsvRecords(fs.readFileSync(demoFile('town-A-responsibility.csv'), 'utf8'));
    const header = Object.keys(records[0]);
    const csv = writeCsvRecords([header, ...records.map((r) => header.map((h) => (h === '事项描述' ? `${r[h]}（修订）` : r[h])))]);
    const outcome = await app.registry.app.get(ImportService).importList(systemActor('test'), {
      regionCode: '320282100', kind: 'RESPONSIBILITY', fileName: 'a.csv', content: Buffer.from(csv), changeReason: '其他',
    });
    expect(outcome.errors).toEqual([]);
    expect(outcome.added + outcome.changed).toBe(records.length);
    const pending = () =>
      app.dataSource.query(`SELECT id, search_vector::text AS v FROM list_item WHERE region_code = $1 AND pending AND NOT removed ORDER BY id`, [TOWN_A]) as Promise<{ id: string; v: string }[]>;
    const written = await pending();
    expect(written).toHaveLength(records.length);
    await blank('region_code = $1 AND pending', [TOWN_A]);
    await search.reindex({ regionCode: '320282100' });
    expect(await pending()).toEqual(written);
  });

  it('item_search mirrors the published rows through publication, blanking and recomputing, uncompressed', async () => {
    // After the seed's publications and the reindexes above (statement-level UPDATE trigger), the
    // narrow copy the search reads holds exactly the published rows, with their range and vector.
    const [diff] = await app.dataSource.query(`
      SELECT (SELECT count(*) FROM list_item WHERE NOT pending)::int AS published,
        (SELECT count(*) FROM item_search)::int AS copied,
        (SELECT count(*) FROM (SELECT * FROM list_item WHERE NOT pending) i FULL JOIN item_search s ON s.id = i.id
          WHERE s.id IS NULL OR i.id IS NULL OR s.to_version IS DISTINCT FROM i.to_version
            OR s.search_vector IS DISTINCT FROM i.search_vector OR s.item_code <> i.item_code OR s.township_role <> i.township_role)::int AS differing,
        (SELECT count(*) FROM item_search WHERE pg_column_compression(search_vector) IS NOT NULL)::int AS compressed`);
    expect(diff.published).toBeGreaterThan(0);
    expect(diff).toEqual({ published: diff.published, copied: diff.published, differing: 0, compressed: 0 });
  });
});
