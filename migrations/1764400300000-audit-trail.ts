import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tamper-evident audit trail: append-only events, each carrying the hash of the previous one.
 * The database refuses UPDATE, DELETE and TRUNCATE on it for every role of the application.
 */
export class AuditTrail1764400300000 implements MigrationInterface {
  name = 'AuditTrail1764400300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        seq bigint NOT NULL,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        actor_role varchar(16),
        actor_region char(12),
        action varchar(64) NOT NULL,
        entity_type varchar(32) NOT NULL,
        entity_id text NOT NULL,
        region_code char(12),
        before jsonb,
        after jsonb,
        prev_hash char(64),
        hash char(64) NOT NULL,
        CONSTRAINT "PK_audit_event" PRIMARY KEY (seq)
      )`);
    await q.query(`CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id, seq)`);
    await q.query(`
      CREATE FUNCTION quanze_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP USING ERRCODE = 'P0001';
      END $$`);
    await q.query(`CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION quanze_audit_append_only()`);
    await q.query(`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION quanze_audit_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION quanze_audit_append_only()`);
  }
}
