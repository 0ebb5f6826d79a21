import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper item writes, measured in docs/performance.md:
 *
 * - The two GIN indexes of the search go. The search reads a township's (or county's) rows first
 *   through the btree on (list_id, from_version, to_version) and tests their vectors; no query
 *   uses the GIN on search_vector or the trigram index on search_text, while every item written
 *   paid for both (most of the database's cost of an import) and they were a third of the build
 *   time of a large registry. A search without a scope would need another plan (DESIGN.md).
 * - LZ4 instead of pglz for the long columns, where the server has it: an item row is ~3 kB, so
 *   its texts and vector are compressed on every write and decompressed on every search of its
 *   township. Only rows written from then on are affected. A server built without LZ4 (the
 *   embedded engine) keeps pglz.
 */
const COMPRESSED_COLUMNS = [
  'name', 'description', 'township_duty', 'village_duty', 'cooperating', 'legal_basis', 'staged_duties',
  'accountability_circumstances', 'exemptions', 'keywords', 'search_vector', 'search_text',
];

async function hasLz4(q: QueryRunner): Promise<boolean> {
  const [row] = await q.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
  return row?.lz4 === true;
}

const compression = (method: string) => `ALTER TABLE list_item ${COMPRESSED_COLUMNS.map((c) => `ALTER COLUMN ${c} SET COMPRESSION ${method}`).join(', ')}`;

export class ItemStorage1764400400000 implements MigrationInterface {
  name = 'ItemStorage1764400400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX list_item_search_idx`);
    await q.query(`DROP INDEX list_item_search_trgm_idx`);
    if (await hasLz4(q)) await q.query(compression('lz4'));
  }

  async down(q: QueryRunner): Promise<void> {
    if (await hasLz4(q)) await q.query(compression('default'));
    await q.query(`CREATE INDEX list_item_search_trgm_idx ON list_item USING gin (search_text gin_trgm_ops)`);
    await q.query(`CREATE INDEX list_item_search_idx ON list_item USING gin (search_vector)`);
  }
}
