import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a law changes (issue 18): an instrument's repeal and successor, the crosswalk from one
 * version's article numbers to the next one's, the basis alerts of list items whose citations a
 * change touches, and citations whose resolution (derived data) may be recomputed after a
 * catalogue change — the raw text and parsed form of a published citation stay as they are.
 */
export class LawChanges1796310000000 implements MigrationInterface {
  name = 'LawChanges1796310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE legal_instrument ADD COLUMN repealed_on date`);
    await q.query(`ALTER TABLE legal_instrument ADD COLUMN successor_id uuid`);
    await q.query(`ALTER TABLE legal_instrument ADD CONSTRAINT legal_instrument_successor_fk FOREIGN KEY (successor_id) REFERENCES legal_instrument(id) ON DELETE SET NULL`);

    await q.query(`
      CREATE TABLE provision_crosswalk (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        from_version_id uuid NOT NULL,
        to_version_id uuid NOT NULL,
        from_article int NOT NULL,
        from_paragraph int,
        to_article int,
        to_paragraph int,
        change varchar(16) NOT NULL,
        source text,
        verified boolean NOT NULL DEFAULT true,
        CONSTRAINT "PK_provision_crosswalk" PRIMARY KEY (id),
        CONSTRAINT provision_crosswalk_from_fk FOREIGN KEY (from_version_id) REFERENCES instrument_version(id) ON DELETE CASCADE,
        CONSTRAINT provision_crosswalk_to_fk FOREIGN KEY (to_version_id) REFERENCES instrument_version(id) ON DELETE CASCADE,
        CONSTRAINT provision_crosswalk_change_ck CHECK (change IN ('MOVED','MERGED','SPLIT','DELETED')),
        CONSTRAINT provision_crosswalk_target_ck CHECK ((change = 'DELETED') = (to_article IS NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX provision_crosswalk_path_uq ON provision_crosswalk (from_version_id, to_version_id, from_article, from_paragraph, to_article, to_paragraph) NULLS NOT DISTINCT`,
    );

    await q.query(`
      CREATE TABLE basis_alert (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        list_id uuid NOT NULL,
        region_code char(12) NOT NULL,
        list_version_id uuid NOT NULL,
        item_id uuid NOT NULL,
        item_code text NOT NULL,
        item_name text NOT NULL,
        citation_ordinal int NOT NULL,
        citation_raw text NOT NULL,
        citation_label text NOT NULL,
        kind varchar(16) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'OPEN',
        instrument_id uuid,
        from_instrument_version_id uuid,
        to_instrument_version_id uuid,
        old_text text,
        new_text text,
        proposed_citation text,
        successor_instrument_id uuid,
        draft_version_id uuid,
        closed_by_version_id uuid,
        dismiss_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by text,
        CONSTRAINT "PK_basis_alert" PRIMARY KEY (id),
        CONSTRAINT basis_alert_list_fk FOREIGN KEY (list_id) REFERENCES duty_list(id) ON DELETE CASCADE,
        CONSTRAINT basis_alert_version_fk FOREIGN KEY (list_version_id) REFERENCES list_version(id) ON DELETE CASCADE,
        CONSTRAINT basis_alert_item_fk FOREIGN KEY (item_id) REFERENCES list_item(id) ON DELETE CASCADE,
        CONSTRAINT basis_alert_draft_fk FOREIGN KEY (draft_version_id) REFERENCES list_version(id) ON DELETE SET NULL,
        CONSTRAINT basis_alert_kind_ck CHECK (kind IN ('RENUMBERED','AMENDED','DELETED','REPEALED','UNRESOLVED')),
        CONSTRAINT basis_alert_status_ck CHECK (status IN ('OPEN','CLOSED','DISMISSED')),
        CONSTRAINT basis_alert_dismiss_ck CHECK (status <> 'DISMISSED' OR dismiss_reason IS NOT NULL)
      )`);
    // One alert per item row, citation, kind and newer law version: detection runs again and again.
    await q.query(
      `CREATE UNIQUE INDEX basis_alert_key_uq ON basis_alert (item_id, citation_ordinal, kind, to_instrument_version_id) NULLS NOT DISTINCT`,
    );
    await q.query(`CREATE INDEX basis_alert_region_status_idx ON basis_alert (region_code, status)`);
    await q.query(`CREATE INDEX basis_alert_list_idx ON basis_alert (list_id, status)`);

    // Citations: still never deleted or inserted outside a draft; an UPDATE may now change exactly
    // the resolution (derived from the catalogue), nothing the list wrote.
    await q.query(`
      CREATE OR REPLACE FUNCTION quanze_guard_item_citation() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_pending boolean;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF (to_jsonb(NEW) - 'resolved' - 'instrument_id' - 'instrument_version_id' - 'provision_id')
             = (to_jsonb(OLD) - 'resolved' - 'instrument_id' - 'instrument_version_id' - 'provision_id') THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'citations are replaced, never updated (only their resolution is recomputed)' USING ERRCODE = 'P0001';
        END IF;
        SELECT pending INTO v_pending FROM list_item WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.item_id ELSE OLD.item_id END;
        IF v_pending IS FALSE THEN
          RAISE EXCEPTION 'citations of a published item are immutable' USING ERRCODE = 'P0001';
        END IF;
        IF TG_OP = 'INSERT' THEN RETURN NEW; END IF;
        RETURN OLD;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION quanze_guard_item_citation() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(`DROP TABLE basis_alert`);
    await q.query(`DROP TABLE provision_crosswalk`);
    await q.query(`ALTER TABLE legal_instrument DROP CONSTRAINT legal_instrument_successor_fk`);
    await q.query(`ALTER TABLE legal_instrument DROP COLUMN successor_id`);
    await q.query(`ALTER TABLE legal_instrument DROP COLUMN repealed_on`);
  }
}
