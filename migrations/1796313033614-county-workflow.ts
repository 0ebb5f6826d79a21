import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The county office's workflow (issue 13):
 * - `body_alias`: other names of a body (old names, short forms) that lists may write; one name per
 *   county in its NFKC form, like body names.
 * - `body.merged_into_id`: a body merged into another stays as a record (published items keep
 *   referring to it) and redirects its name to the body it was merged into.
 * - `list_version.change_note`: free text beside the change reason (which is one of a closed set).
 * - `list_version.gate_exceptions`: per item code of a draft, the editor's reason for passing a gate
 *   finding (no legal basis, a duplicate name, an unresolved citation) on to the reviewer.
 * - `list_version.gate_findings`: the findings as they stood when the draft was submitted (what the
 *   reviewer reviewed), kept with the version.
 */
export class CountyWorkflow1796313033614 implements MigrationInterface {
  name = 'CountyWorkflow1796313033614';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE body ADD COLUMN merged_into_id uuid`);
    await q.query(`ALTER TABLE body ADD CONSTRAINT body_merged_into_fk FOREIGN KEY (merged_into_id) REFERENCES body(id) ON DELETE RESTRICT`);
    await q.query(`ALTER TABLE body ADD CONSTRAINT body_not_merged_into_itself_ck CHECK (merged_into_id IS NULL OR merged_into_id <> id)`);
    await q.query(`
      CREATE TABLE body_alias (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        body_id uuid NOT NULL,
        county_code char(12) NOT NULL,
        alias text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT body_alias_body_fk FOREIGN KEY (body_id) REFERENCES body(id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX body_alias_county_key_uq ON body_alias (county_code, normalize(alias, NFKC))`);
    await q.query(`CREATE INDEX body_alias_body_idx ON body_alias (body_id)`);
    await q.query(`ALTER TABLE list_version ADD COLUMN change_note text`);
    await q.query(`ALTER TABLE list_version ADD COLUMN gate_exceptions jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`ALTER TABLE list_version ADD COLUMN gate_findings jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_version DROP COLUMN gate_findings`);
    await q.query(`ALTER TABLE list_version DROP COLUMN gate_exceptions`);
    await q.query(`ALTER TABLE list_version DROP COLUMN change_note`);
    await q.query(`DROP TABLE body_alias`);
    await q.query(`ALTER TABLE body DROP CONSTRAINT body_not_merged_into_itself_ck`);
    await q.query(`ALTER TABLE body DROP CONSTRAINT body_merged_into_fk`);
    await q.query(`ALTER TABLE body DROP COLUMN merged_into_id`);
  }
}
