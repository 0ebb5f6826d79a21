import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `item_search`: the published item rows' search vectors, narrow and untoasted (issue 21).
 *
 * A `list_item` row is ~3 kB, so its `search_vector` is TOASTed and compressed: every test of
 * it fetched and decompressed it again, ~10 µs per row in scope, which was most of the search
 * statement's time. Here the vector sits inline and uncompressed in a narrow row
 * (`toast_tuple_target` at its maximum, storage MAIN: compressed only when a row would not fit
 * a page), with what the search needs besides (the version range, the code and role for the
 * ranking's tie-break and the RECLAIMED factor).
 *
 * Only published rows are searched (`NOT pending`), so drafts — what imports write — cost
 * nothing here: a row enters when its version is published (or is inserted already published),
 * its `to_version` follows when a successor closes it, its vector follows a reindex. Triggers on
 * `list_item` keep it in the same transaction as every write: row-level for INSERT and DELETE
 * (their WHEN clause skips pending rows without calling the function), statement-level with a
 * transition table for UPDATE (a publication flips a whole version in one statement).
 */
export class ItemSearch1796313350000 implements MigrationInterface {
  name = 'ItemSearch1796313350000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE item_search (
        id uuid NOT NULL,
        list_id uuid NOT NULL,
        from_version integer NOT NULL,
        to_version integer,
        item_code character varying(64) NOT NULL,
        township_role character varying(16) NOT NULL,
        search_vector tsvector,
        CONSTRAINT item_search_pk PRIMARY KEY (id)
      ) WITH (toast_tuple_target = 8160)`);
    await q.query(`ALTER TABLE item_search ALTER COLUMN search_vector SET STORAGE MAIN`);
    await q.query(`CREATE INDEX item_search_version_range_idx ON item_search (list_id, from_version, to_version)`);
    // `|| ''::tsvector` builds a new, uncompressed value: a compressed one would be stored as it is.
    await q.query(`
      CREATE FUNCTION quanze_item_search_row() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          DELETE FROM item_search WHERE id = OLD.id;
          RETURN OLD;
        END IF;
        INSERT INTO item_search (id, list_id, from_version, to_version, item_code, township_role, search_vector)
        VALUES (NEW.id, NEW.list_id, NEW.from_version, NEW.to_version, NEW.item_code, NEW.township_role, NEW.search_vector || ''::tsvector);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION quanze_item_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO item_search AS s (id, list_id, from_version, to_version, item_code, township_role, search_vector)
        SELECT n.id, n.list_id, n.from_version, n.to_version, n.item_code, n.township_role, n.search_vector || ''::tsvector
        FROM changed_rows n WHERE NOT n.pending
        ON CONFLICT (id) DO UPDATE SET to_version = EXCLUDED.to_version, search_vector = EXCLUDED.search_vector;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION quanze_item_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE item_search;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER list_item_search_insert AFTER INSERT ON list_item FOR EACH ROW WHEN (NOT NEW.pending) EXECUTE FUNCTION quanze_item_search_row()`);
    await q.query(`CREATE TRIGGER list_item_search_delete AFTER DELETE ON list_item FOR EACH ROW WHEN (NOT OLD.pending) EXECUTE FUNCTION quanze_item_search_row()`);
    await q.query(`CREATE TRIGGER list_item_search_update AFTER UPDATE ON list_item REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION quanze_item_search_update()`);
    await q.query(`CREATE TRIGGER list_item_search_truncate AFTER TRUNCATE ON list_item FOR EACH STATEMENT EXECUTE FUNCTION quanze_item_search_truncate()`);
    await q.query(`
      INSERT INTO item_search (id, list_id, from_version, to_version, item_code, township_role, search_vector)
      SELECT id, list_id, from_version, to_version, item_code, township_role, search_vector || ''::tsvector FROM list_item WHERE NOT pending`);
    await q.query(`ANALYZE item_search`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER list_item_search_truncate ON list_item`);
    await q.query(`DROP TRIGGER list_item_search_update ON list_item`);
    await q.query(`DROP TRIGGER list_item_search_delete ON list_item`);
    await q.query(`DROP TRIGGER list_item_search_insert ON list_item`);
    await q.query(`DROP FUNCTION quanze_item_search_truncate()`);
    await q.query(`DROP FUNCTION quanze_item_search_update()`);
    await q.query(`DROP FUNCTION quanze_item_search_row()`);
    await q.query(`DROP TABLE item_search`);
  }
}
