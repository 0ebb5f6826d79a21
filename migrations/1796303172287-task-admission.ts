import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Task admission (职责准入): the requests county departments send to townships, the automatic
 * check per target township with its evidence, the county's decision; and the body a DEPARTMENT
 * user works for.
 */
export class TaskAdmission1796303172287 implements MigrationInterface {
  name = 'TaskAdmission1796303172287';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE task_request (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        county_code char(12) NOT NULL,
        issuing_body_id uuid NOT NULL,
        title text NOT NULL,
        content text NOT NULL,
        requested_start date NOT NULL,
        deadline date,
        reporting_frequency varchar(16) NOT NULL,
        same_day_reporting boolean NOT NULL DEFAULT false,
        forms text array NOT NULL DEFAULT '{}',
        photo_evidence boolean NOT NULL DEFAULT false,
        meetings boolean NOT NULL DEFAULT false,
        responsibility_letter boolean NOT NULL DEFAULT false,
        assessment_weight double precision,
        claimed_basis text,
        attachment_names text array NOT NULL DEFAULT '{}',
        flags jsonb NOT NULL DEFAULT '[]',
        status varchar(24) NOT NULL,
        submitted_by text NOT NULL,
        submitted_by_user_id uuid,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        decision varchar(16),
        decision_reason text,
        conditions jsonb,
        decided_by text,
        decided_at timestamptz,
        CONSTRAINT "PK_58195ea28129bb0ed5e91760c5c" PRIMARY KEY (id),
        CONSTRAINT task_request_county_fk FOREIGN KEY (county_code) REFERENCES region(code) ON DELETE RESTRICT,
        CONSTRAINT task_request_body_fk FOREIGN KEY (issuing_body_id) REFERENCES body(id) ON DELETE RESTRICT,
        CONSTRAINT task_request_frequency_ck CHECK (reporting_frequency IN ('ONCE','MONTHLY','WEEKLY','DAILY')),
        CONSTRAINT task_request_status_ck CHECK (status IN ('AWAITING_DECISION','SETTLED','ADMITTED','DECLINED')),
        CONSTRAINT task_request_decision_ck CHECK ((decision IS NULL AND decided_by IS NULL) = (status IN ('AWAITING_DECISION','SETTLED')) AND (decision IS NULL OR decision = status)),
        CONSTRAINT task_request_deadline_ck CHECK (deadline IS NULL OR deadline >= requested_start)
      )`);
    await q.query(`CREATE INDEX task_request_body_idx ON task_request (issuing_body_id)`);
    await q.query(`CREATE INDEX task_request_county_submitted_idx ON task_request (county_code, submitted_at)`);
    await q.query(`
      CREATE TABLE task_target (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        request_id uuid NOT NULL,
        township_code char(12) NOT NULL,
        verdict varchar(24) NOT NULL,
        confidence varchar(8) NOT NULL,
        needs_decision boolean NOT NULL,
        requester_is_lead boolean,
        evidence jsonb NOT NULL,
        draft_version_id uuid,
        CONSTRAINT "PK_3ff851dca148346cd32ad93797f" PRIMARY KEY (id),
        CONSTRAINT task_target_request_township_uq UNIQUE (request_id, township_code),
        CONSTRAINT task_target_request_fk FOREIGN KEY (request_id) REFERENCES task_request(id) ON DELETE RESTRICT,
        CONSTRAINT task_target_township_fk FOREIGN KEY (township_code) REFERENCES region(code) ON DELETE RESTRICT,
        CONSTRAINT task_target_draft_fk FOREIGN KEY (draft_version_id) REFERENCES list_version(id) ON DELETE RESTRICT,
        CONSTRAINT task_target_verdict_ck CHECK (verdict IN ('IN_LIST_LEAD','IN_LIST_COOPERATE','RECLAIMED','NOT_IN_LIST')),
        CONSTRAINT task_target_confidence_ck CHECK (confidence IN ('HIGH','LOW'))
      )`);
    await q.query(`CREATE INDEX task_target_township_idx ON task_target (township_code)`);
    await q.query(`ALTER TABLE app_user ADD body_id uuid`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_body_fk FOREIGN KEY (body_id) REFERENCES body(id) ON DELETE RESTRICT`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_body_ck CHECK (body_id IS NULL OR role = 'DEPARTMENT')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_body_ck`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_body_fk`);
    await q.query(`ALTER TABLE app_user DROP COLUMN body_id`);
    await q.query(`DROP TABLE task_target`);
    await q.query(`DROP TABLE task_request`);
  }
}
