import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search index's own bookkeeping, and one derived column fewer:
 * - `search_text` goes: nothing ever read it (its trigram index was dropped by ItemStorage).
 * - The item guard lets exactly the derived column `search_vector` change on any row, published
 *   ones included (DESIGN.md "Derived data"); every other column keeps its rules.
 * - `search_index_state` records which search document (fields, weights, segmentation) the stored
 *   vectors were computed with; `migration:run` and start-up compare it with the code's and
 *   recompute every row when they differ (src/modules/accountability/search-index.service.ts).
 *   Empty here: the first start records the current one (recomputing whatever rows exist).
 */
export class SearchIndexState1796305456428 implements MigrationInterface {
  name = 'SearchIndexState1796305456428';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item DROP COLUMN search_text`);
    await q.query(guard(`(to_jsonb(NEW) - 'search_vector') = (to_jsonb(OLD) - 'search_vector')`, 'The derived search column (search_vector) may be recomputed on any row: no content changes.'));
    await q.query(`
      CREATE TABLE search_index_state (
        singleton boolean NOT NULL DEFAULT true,
        document_version text NOT NULL,
        indexed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_search_index_state" PRIMARY KEY (singleton),
        CONSTRAINT search_index_state_singleton_ck CHECK (singleton)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE search_index_state`);
    await q.query(
      guard(
        `(to_jsonb(NEW) - 'search_vector' - 'search_text') = (to_jsonb(OLD) - 'search_vector' - 'search_text')`,
        'Derived search columns (search_vector, search_text, added with the search) may be recomputed: no content changes.',
      ),
    );
    await q.query(`ALTER TABLE list_item ADD COLUMN search_text text`);
  }
}

/** The item guard of VersionedLists1764400100000, with its rule for derived columns given. */
function guard(derivedOnly: string, comment: string): string {
  return `
    CREATE OR REPLACE FUNCTION quanze_guard_list_item() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE v_status text;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NOT NEW.pending OR quanze_version_status(NEW.list_id, NEW.from_version) IS DISTINCT FROM 'DRAFT' THEN
          RAISE EXCEPTION 'items can only be added to a draft' USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
      END IF;
      v_status := quanze_version_status(OLD.list_id, OLD.from_version);
      IF TG_OP = 'DELETE' THEN
        -- Draft rows may go while editing; removal markers also when their version is published.
        IF OLD.pending AND (v_status = 'DRAFT' OR (v_status = 'APPROVED' AND OLD.removed)) THEN RETURN OLD; END IF;
        RAISE EXCEPTION 'item % of a published version cannot be deleted', OLD.item_code USING ERRCODE = 'P0001';
      END IF;
      -- ${comment}
      IF ${derivedOnly} THEN RETURN NEW; END IF;
      IF OLD.pending THEN
        IF NEW.pending AND v_status = 'DRAFT' THEN RETURN NEW; END IF;
        -- Publishing: the approved version's rows become published, nothing else changes.
        IF NOT NEW.pending AND v_status = 'APPROVED' AND (to_jsonb(NEW) - 'pending') = (to_jsonb(OLD) - 'pending') THEN RETURN NEW; END IF;
        RAISE EXCEPTION 'item % can only be changed in a draft', OLD.item_code USING ERRCODE = 'P0001';
      END IF;
      -- A published row only ever gets its end of validity, once, when its successor is published.
      IF OLD.to_version IS NULL AND NEW.to_version IS NOT NULL
         AND (to_jsonb(NEW) - 'to_version') = (to_jsonb(OLD) - 'to_version') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'item % of a published version is immutable', OLD.item_code USING ERRCODE = 'P0001';
    END $$`;
}
