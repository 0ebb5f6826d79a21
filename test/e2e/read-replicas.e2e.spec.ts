import pg from 'pg';
import { startRegistry } from '../../src/bootstrap.js';
import { listApi, ok, todayInChina, TOWN_A } from '../setup/lists-api.js';
import { serveTestApp, type TestApp } from '../setup/test-app.js';
import { testConfig, withDatabase } from '../setup/test-database.js';

/**
 * Read replicas (DATABASE_REPLICA_URLS): the public endpoint reads from a streaming replica, the
 * admin endpoint and every write stay on the primary, and a read after a write sees it.
 *
 * Needs a real streaming pair: QUANZE_TEST_PRIMARY_URL and QUANZE_TEST_REPLICA_URL (`.ci/run`
 * starts one with scripts/replica-pair.sh); skipped without them.
 *
 * How "read from the replica" is proven: replay is paused on the replica (pg_wal_replay_pause),
 * a new version is published through the admin API, and the two endpoints are asked the same
 * question. The primary has the new version, the paused replica cannot have it: the public
 * endpoint answering the old version can only have read the replica, the admin endpoint
 * answering the new one can only have read the primary. Writes sent to a replica would fail
 * (it is read-only), so a successful publish ran on the primary.
 */
const PRIMARY = process.env.QUANZE_TEST_PRIMARY_URL;
const REPLICA = process.env.QUANZE_TEST_REPLICA_URL;

async function sql<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined as T);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The replica has replayed everything the primary has written so far. */
async function caughtUp(primaryDb: string, replicaDb: string): Promise<void> {
  const [{ lsn }] = await sql(primaryDb, 'SELECT pg_current_wal_lsn()::text AS lsn');
  await until('the replica to catch up', () => sql(replicaDb, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]), (rows) => rows[0]?.ok === true);
}

const IN_FORCE = 'query($r:String!,$k:ListKind!){ listVersionInForce(regionCode:$r, kind:$k){ number status } }';

(PRIMARY && REPLICA ? describe : describe.skip)('read replicas (streaming pair)', () => {
  const name = `quanze_replica_${process.pid}`;
  const primaryDb = withDatabase(PRIMARY ?? 'postgres://x/x', name);
  const replicaDb = withDatabase(REPLICA ?? 'postgres://x/x', name);
  let app: TestApp;

  beforeAll(async () => {
    await sql(PRIMARY!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await sql(PRIMARY!, `CREATE DATABASE ${name}`);
    await until('the database on the replica', () => sql(replicaDb, 'SELECT 1 AS one'), (rows) => rows.length === 1);
    const config = testConfig({ DATABASE_URL: primaryDb, DATABASE_REPLICA_URLS: replicaDb, PORT: '1' });
    expect(config.databaseReplicaUrls).toEqual([replicaDb]);
    const registry = await startRegistry(config, { listen: false, logger: false }); // migrations and demo data: on the primary
    app = await serveTestApp(registry, { url: primaryDb, engine: 'postgres', drop: () => sql(PRIMARY!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined) });
    await caughtUp(primaryDb, replicaDb);
  }, 180_000); // migrations and the demo data on a fresh database, on a busy machine

  afterAll(async () => {
    await sql(REPLICA!, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
    await app?.close(); // server, registry, then the database
  }, 60_000);

  it('configures TypeORM replication: the primary for writes, the replica for reads', () => {
    const options = app.dataSource.options as { replication?: { master: { url: string }; slaves: { url: string }[] } };
    expect(options.replication?.master.url).toBe(primaryDb);
    expect(options.replication?.slaves.map((s) => s.url)).toEqual([replicaDb]);
  });

  it('serves published versions from the replica, writes and admin reads from the primary, and reads after a write see it', async () => {
    const lists = listApi(app);
    const reviewer = await app.createUser('replica-reviewer', 'REVIEWER', '320282000000');
    // Before: both endpoints agree (the demo's POWER list of town A is at version 1).
    expect(ok(await app.publicGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }), 'listVersionInForce').number).toBe(1);

    await sql(REPLICA!, 'SELECT pg_wal_replay_pause()');
    await until('replay to pause', () => sql(REPLICA!, 'SELECT pg_get_wal_replay_pause_state() AS s'), (rows) => rows[0]?.s === 'paused');

    // Writes through the admin API while the replica is frozen.
    const draft = ok(await lists.createDraft(app.adminToken, TOWN_A, 'POWER', '其他'), 'createDraft');
    const saved = ok(
      await lists.saveItem(app.adminToken, draft.id, {
        itemCode: '320282-100-QT-901', name: '复制延迟核验事项', category: 'OTHER', source: 'STATUTORY', accountableBodyName: '张渚镇人民政府', keywords: ['复制延迟核验'],
        legalBasis: '《中华人民共和国城乡规划法》第六十五条', // an item without a basis would be stopped by the gates of submitForReview
      }),
      'saveItem',
    );
    expect(saved.accountableBody.name).toBe('张渚镇人民政府'); // a read after the write, same request
    ok(await lists.submit(app.adminToken, draft.id), 'submitForReview');
    ok(await lists.approve(reviewer, draft.id, '同意'), 'approveVersion');
    const published = await app.adminGql(
      `mutation($v:ID!,$f:Date!,$d:String!){ publishVersion(versionId:$v, effectiveFrom:$f, approvalDocNumber:$d){ number status items(first: 100){ totalCount edges { node { itemCode } } } } }`,
      { v: draft.id, f: todayInChina(), d: '宜政发〔2026〕99号' },
    );
    const version = ok(published, 'publishVersion');
    expect(version).toMatchObject({ number: 2, status: 'PUBLISHED' });
    // Read after write in the same request: the items of the version just published, from the primary.
    expect(version.items.edges.map((e: any) => e.node.itemCode)).toContain('320282-100-QT-901');

    // The primary has it, the paused replica not: the write went to the primary only.
    const count = 'SELECT count(*)::int AS n FROM list_version v JOIN duty_list l ON l.id = v.list_id WHERE l.region_code = $1 AND l.kind = $2 AND v.status = $3';
    expect((await sql(primaryDb, count, [TOWN_A, 'POWER', 'PUBLISHED']))[0].n).toBe(1);
    expect((await sql(primaryDb, count, [TOWN_A, 'POWER', 'SUPERSEDED']))[0].n).toBe(1);
    expect((await sql(replicaDb, count, [TOWN_A, 'POWER', 'SUPERSEDED']))[0].n).toBe(0);

    // The admin endpoint reads the primary (repository and raw reads alike)…
    expect(ok(await app.adminGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }), 'listVersionInForce').number).toBe(2);
    // …the public endpoint the replica, which has not replayed the publication yet.
    expect(ok(await app.publicGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }), 'listVersionInForce').number).toBe(1);
    const question = 'query($q:String!,$r:String!){ whoIsAccountable(question:$q, regionCode:$r){ answers { item { itemCode } } } }';
    const codes = async (r: Awaited<ReturnType<TestApp['publicGql']>>) => ok(r, 'whoIsAccountable').answers.map((a: any) => a.item.itemCode);
    expect(await codes(await app.publicGql(question, { q: '复制延迟核验', r: TOWN_A }))).toEqual([]);
    expect(await codes(await app.adminGql(question, { q: '复制延迟核验', r: TOWN_A }))).toContain('320282-100-QT-901');

    // Once the replica replays, the public endpoint sees the new version too.
    await sql(REPLICA!, 'SELECT pg_wal_replay_resume()');
    await until(
      'the public endpoint to see version 2',
      async () => ok(await app.publicGql(IN_FORCE, { r: TOWN_A, k: 'POWER' }), 'listVersionInForce').number,
      (n) => n === 2,
    );
    expect(await codes(await app.publicGql(question, { q: '复制延迟核验', r: TOWN_A }))).toContain('320282-100-QT-901');
  });

  it('refuses a write sent to the replica (what keeps writes on the primary honest)', async () => {
    await expect(sql(replicaDb, `UPDATE search_synonym SET updated_by = 'x' WHERE false`)).rejects.toThrow(/read-only/);
  });
});
