import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Regions, bodies, the legal catalogue and users; the extensions later migrations rely on. */
export class Foundation1764400000000 implements MigrationInterface {
  name = 'Foundation1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE region (
        code char(12) NOT NULL,
        name text NOT NULL,
        level varchar(16) NOT NULL,
        parent_code char(12),
        CONSTRAINT "PK_region" PRIMARY KEY (code),
        CONSTRAINT region_parent_fk FOREIGN KEY (parent_code) REFERENCES region(code) ON DELETE RESTRICT,
        CONSTRAINT region_code_ck CHECK (code ~ '^[0-9]{12}$'),
        CONSTRAINT region_level_ck CHECK (level IN ('PROVINCE','CITY','COUNTY','TOWNSHIP','VILLAGE'))
      )`);
    await q.query(`CREATE INDEX region_parent_code_idx ON region (parent_code)`);

    await q.query(`
      CREATE TABLE body (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind varchar(32) NOT NULL,
        region_code char(12) NOT NULL,
        county_code char(12) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_body" PRIMARY KEY (id),
        CONSTRAINT body_region_fk FOREIGN KEY (region_code) REFERENCES region(code) ON DELETE RESTRICT,
        CONSTRAINT body_county_name_uq UNIQUE (county_code, name)
      )`);
    await q.query(`CREATE INDEX body_region_code_idx ON body (region_code)`);

    await q.query(`
      CREATE TABLE legal_instrument (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        title text NOT NULL,
        short_title text,
        rank varchar(16) NOT NULL,
        CONSTRAINT "PK_legal_instrument" PRIMARY KEY (id)
      )`);
    await q.query(`CREATE UNIQUE INDEX legal_instrument_title_uq ON legal_instrument (title)`);
    await q.query(`CREATE INDEX legal_instrument_short_title_idx ON legal_instrument (short_title)`);

    await q.query(`
      CREATE TABLE instrument_version (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        instrument_id uuid NOT NULL,
        enacting_organ text,
        doc_number text,
        promulgated_on date,
        effective_from date,
        amended_on date,
        repealed_on date,
        CONSTRAINT "PK_instrument_version" PRIMARY KEY (id),
        CONSTRAINT instrument_version_instrument_fk FOREIGN KEY (instrument_id) REFERENCES legal_instrument(id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX instrument_version_instrument_idx ON instrument_version (instrument_id, effective_from)`);

    await q.query(`
      CREATE TABLE provision (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        instrument_version_id uuid NOT NULL,
        article int NOT NULL,
        paragraph int,
        item int,
        text text NOT NULL,
        CONSTRAINT "PK_provision" PRIMARY KEY (id),
        CONSTRAINT provision_instrument_version_fk FOREIGN KEY (instrument_version_id) REFERENCES instrument_version(id) ON DELETE CASCADE
      )`);
    // One provision per path in a version; a missing paragraph/item is a value of its own.
    await q.query(`CREATE UNIQUE INDEX provision_version_path_uq ON provision (instrument_version_id, article, paragraph, item) NULLS NOT DISTINCT`);

    await q.query(`
      CREATE TABLE app_user (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        password_hash text NOT NULL,
        role varchar(16) NOT NULL,
        region_code char(12),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_app_user" PRIMARY KEY (id),
        CONSTRAINT app_user_region_fk FOREIGN KEY (region_code) REFERENCES region(code) ON DELETE RESTRICT,
        CONSTRAINT app_user_role_ck CHECK (role IN ('ADMIN','EDITOR','REVIEWER','TOWNSHIP','DEPARTMENT')),
        CONSTRAINT app_user_scope_ck CHECK (role = 'ADMIN' OR region_code IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_username_uq ON app_user (username)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP TABLE provision`);
    await q.query(`DROP TABLE instrument_version`);
    await q.query(`DROP TABLE legal_instrument`);
    await q.query(`DROP TABLE body`);
    await q.query(`DROP TABLE region`);
  }
}
