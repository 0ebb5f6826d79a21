import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Versioned duty lists. Items are stored as temporal rows: a row holds from version `from_version`
 * until `to_version` (exclusive, open while NULL), so a new version writes only what changed and
 * "the items of version n" is one range condition. Rows of an unpublished version are `pending`
 * (a removal is a pending row with `removed`); publishing closes the replaced rows once and for all.
 * The database itself keeps published versions and their items immutable.
 */
export class VersionedLists1764400100000 implements MigrationInterface {
  name = 'VersionedLists1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE duty_list (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        region_code char(12) NOT NULL,
        county_code char(12) NOT NULL,
        kind varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_duty_list" PRIMARY KEY (id),
        CONSTRAINT duty_list_region_fk FOREIGN KEY (region_code) REFERENCES region(code) ON DELETE RESTRICT,
        CONSTRAINT duty_list_kind_ck CHECK (kind IN ('POWER','RESPONSIBILITY')),
        CONSTRAINT duty_list_region_kind_uq UNIQUE (region_code, kind)
      )`);
    await q.query(`CREATE INDEX duty_list_county_idx ON duty_list (county_code)`);

    await q.query(`
      CREATE TABLE list_version (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        list_id uuid NOT NULL,
        region_code char(12) NOT NULL,
        kind varchar(16) NOT NULL,
        number int NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'DRAFT',
        effective_from date,
        effective_to date,
        approval_doc_number text,
        review_opinion text,
        change_reason text,
        based_on_id uuid,
        revision int NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        submitted_by text,
        submitted_at timestamptz,
        approved_by text,
        approved_at timestamptz,
        published_by text,
        published_at timestamptz,
        CONSTRAINT "PK_list_version" PRIMARY KEY (id),
        CONSTRAINT list_version_list_fk FOREIGN KEY (list_id) REFERENCES duty_list(id) ON DELETE RESTRICT,
        CONSTRAINT list_version_based_on_fk FOREIGN KEY (based_on_id) REFERENCES list_version(id) ON DELETE RESTRICT,
        CONSTRAINT list_version_number_uq UNIQUE (list_id, number),
        CONSTRAINT list_version_status_ck CHECK (status IN ('DRAFT','IN_REVIEW','APPROVED','PUBLISHED','SUPERSEDED')),
        CONSTRAINT list_version_published_ck CHECK (status NOT IN ('PUBLISHED','SUPERSEDED') OR (effective_from IS NOT NULL AND approval_doc_number IS NOT NULL)),
        CONSTRAINT list_version_range_ck CHECK (effective_to IS NULL OR effective_to > effective_from),
        CONSTRAINT list_version_superseded_ck CHECK (status <> 'SUPERSEDED' OR effective_to IS NOT NULL),
        -- Never two versions of one list in force on the same day, even when two publishes race.
        CONSTRAINT list_version_in_force_excl EXCLUDE USING gist (list_id WITH =, daterange(effective_from, effective_to, '[)') WITH &&)
          WHERE (status IN ('PUBLISHED','SUPERSEDED'))
      )`);
    // One unpublished version per list at a time: drafts never fork.
    await q.query(`CREATE UNIQUE INDEX list_version_one_open_uq ON list_version (list_id) WHERE status IN ('DRAFT','IN_REVIEW','APPROVED')`);
    await q.query(`CREATE INDEX list_version_region_kind_idx ON list_version (region_code, kind, effective_from)`);

    await q.query(`
      CREATE TABLE list_item (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        list_id uuid NOT NULL,
        region_code char(12) NOT NULL,
        kind varchar(16) NOT NULL,
        item_code varchar(64) NOT NULL,
        from_version int NOT NULL,
        to_version int,
        pending boolean NOT NULL DEFAULT true,
        removed boolean NOT NULL DEFAULT false,
        name text NOT NULL,
        description text,
        sub_item text,
        handling_unit text,
        section varchar(16),
        category varchar(16),
        source varchar(16),
        accountable_body_id uuid NOT NULL,
        township_role varchar(16) NOT NULL,
        township_duty text,
        village_duty text,
        cooperating jsonb NOT NULL DEFAULT '[]',
        legal_basis text,
        staged_duties text[] NOT NULL DEFAULT '{}',
        accountability_circumstances text[] NOT NULL DEFAULT '{}',
        exemptions text[] NOT NULL DEFAULT '{}',
        keywords text[] NOT NULL DEFAULT '{}',
        has_unresolved_citations boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_list_item" PRIMARY KEY (id),
        CONSTRAINT list_item_list_fk FOREIGN KEY (list_id) REFERENCES duty_list(id) ON DELETE RESTRICT,
        CONSTRAINT list_item_body_fk FOREIGN KEY (accountable_body_id) REFERENCES body(id) ON DELETE RESTRICT,
        CONSTRAINT list_item_range_ck CHECK (to_version IS NULL OR to_version > from_version),
        CONSTRAINT list_item_removed_ck CHECK (NOT removed OR pending),
        CONSTRAINT list_item_role_ck CHECK (township_role IN ('LEAD','COOPERATE','RECLAIMED','NONE')),
        CONSTRAINT list_item_version_code_uq UNIQUE (list_id, item_code, from_version),
        -- itemCode is unique within every published version.
        CONSTRAINT list_item_code_excl EXCLUDE USING gist (list_id WITH =, item_code WITH =, int4range(from_version, to_version) WITH &&)
          WHERE (NOT pending)
      )`);
    await q.query(`CREATE INDEX list_item_version_range_idx ON list_item (list_id, from_version, to_version)`);
    await q.query(`CREATE INDEX list_item_body_idx ON list_item (accountable_body_id)`);

    await q.query(`
      CREATE TABLE item_citation (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        item_id uuid NOT NULL,
        ordinal int NOT NULL,
        raw text NOT NULL,
        instrument_title text,
        article int,
        paragraph int,
        item int,
        label text NOT NULL,
        resolved boolean NOT NULL,
        instrument_id uuid,
        instrument_version_id uuid,
        provision_id uuid,
        CONSTRAINT "PK_item_citation" PRIMARY KEY (id),
        CONSTRAINT item_citation_item_fk FOREIGN KEY (item_id) REFERENCES list_item(id) ON DELETE CASCADE,
        CONSTRAINT item_citation_instrument_fk FOREIGN KEY (instrument_id) REFERENCES legal_instrument(id) ON DELETE RESTRICT,
        CONSTRAINT item_citation_instrument_version_fk FOREIGN KEY (instrument_version_id) REFERENCES instrument_version(id) ON DELETE RESTRICT,
        CONSTRAINT item_citation_provision_fk FOREIGN KEY (provision_id) REFERENCES provision(id) ON DELETE RESTRICT,
        CONSTRAINT item_citation_ordinal_uq UNIQUE (item_id, ordinal)
      )`);
    await q.query(`CREATE INDEX item_citation_instrument_idx ON item_citation (instrument_id)`);
    await q.query(`CREATE INDEX item_citation_provision_idx ON item_citation (provision_id)`);

    // ---- immutability, enforced by the database
    await q.query(`
      CREATE FUNCTION quanze_version_status(p_list uuid, p_number int) RETURNS text
      LANGUAGE sql STABLE AS $$ SELECT status FROM list_version WHERE list_id = p_list AND number = p_number $$`);

    await q.query(`
      CREATE FUNCTION quanze_guard_list_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status IN ('PUBLISHED','SUPERSEDED') THEN
            RAISE EXCEPTION 'published list version % cannot be deleted', OLD.id USING ERRCODE = 'P0001';
          END IF;
          RETURN OLD;
        END IF;
        IF OLD.status IN ('PUBLISHED','SUPERSEDED') THEN
          -- The only change a published version allows: superseded once, when its successor is published.
          IF NOT (OLD.status = 'PUBLISHED' AND NEW.status = 'SUPERSEDED' AND OLD.effective_to IS NULL AND NEW.effective_to IS NOT NULL
                  AND (to_jsonb(NEW) - 'status' - 'effective_to') = (to_jsonb(OLD) - 'status' - 'effective_to')) THEN
            RAISE EXCEPTION 'published list version % is immutable', OLD.id USING ERRCODE = 'P0001';
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER list_version_immutable BEFORE UPDATE OR DELETE ON list_version FOR EACH ROW EXECUTE FUNCTION quanze_guard_list_version()`);

    await q.query(`
      CREATE FUNCTION quanze_guard_list_item() RETURNS trigger LANGUAGE plpgsql AS $$
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
        -- Derived search columns (search_vector, search_text, added with the search) may be recomputed: no content changes.
        IF (to_jsonb(NEW) - 'search_vector' - 'search_text') = (to_jsonb(OLD) - 'search_vector' - 'search_text') THEN RETURN NEW; END IF;
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
      END $$`);
    await q.query(`CREATE TRIGGER list_item_immutable BEFORE INSERT OR UPDATE OR DELETE ON list_item FOR EACH ROW EXECUTE FUNCTION quanze_guard_list_item()`);

    await q.query(`
      CREATE FUNCTION quanze_guard_item_citation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_pending boolean;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'citations are replaced, never updated' USING ERRCODE = 'P0001';
        END IF;
        SELECT pending INTO v_pending FROM list_item WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.item_id ELSE OLD.item_id END;
        IF v_pending IS FALSE THEN
          RAISE EXCEPTION 'citations of a published item are immutable' USING ERRCODE = 'P0001';
        END IF;
        IF TG_OP = 'INSERT' THEN RETURN NEW; END IF;
        RETURN OLD;
      END $$`);
    await q.query(`CREATE TRIGGER item_citation_immutable BEFORE INSERT OR UPDATE OR DELETE ON item_citation FOR EACH ROW EXECUTE FUNCTION quanze_guard_item_citation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE item_citation`);
    await q.query(`DROP TABLE list_item`);
    await q.query(`DROP TABLE list_version`);
    await q.query(`DROP TABLE duty_list`);
    await q.query(`DROP FUNCTION quanze_guard_item_citation()`);
    await q.query(`DROP FUNCTION quanze_guard_list_item()`);
    await q.query(`DROP FUNCTION quanze_guard_list_version()`);
    await q.query(`DROP FUNCTION quanze_version_status(uuid, int)`);
  }
}
