import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Learning from real questions (docs/accountability.md, "Learning from real questions"):
 * - `question_log`: each public question (text, region, date, result count, top item, intent) —
 *   no IP, no user; kept QUESTION_LOG_RETENTION_DAYS; `mapped_*` once an editor mapped it to an item;
 * - `answer_feedback`: the portal's "was this right?" (POST /feedback/answers), no IP, no user;
 * - `list_item.aliases` (常见问法): phrases people use for an item, per list and versioned with it,
 *   searched with weight A like the keywords (the search vectors are recomputed after this
 *   migration: the search document's fingerprint changes).
 */
export class QuestionLog1796313200000 implements MigrationInterface {
  name = 'QuestionLog1796313200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE question_log (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        asked_at timestamptz NOT NULL DEFAULT now(),
        asked_on date NOT NULL,
        region_code text NOT NULL,
        question text NOT NULL,
        intent text NOT NULL,
        result_count integer NOT NULL,
        top_item_code text,
        top_item_name text,
        top_score double precision,
        mapped_at timestamptz,
        mapped_by text,
        mapped_to jsonb,
        CONSTRAINT "PK_question_log" PRIMARY KEY (id)
      )`);
    await q.query(`CREATE INDEX question_log_region_asked ON question_log (region_code, asked_at)`);
    await q.query(`CREATE INDEX question_log_asked ON question_log (asked_at)`);
    await q.query(`
      CREATE TABLE answer_feedback (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        given_at timestamptz NOT NULL DEFAULT now(),
        region_code text NOT NULL,
        question text NOT NULL,
        item_code text,
        helpful boolean NOT NULL,
        CONSTRAINT "PK_answer_feedback" PRIMARY KEY (id)
      )`);
    await q.query(`CREATE INDEX answer_feedback_region_question ON answer_feedback (region_code, question)`);
    await q.query(`ALTER TABLE list_item ADD COLUMN aliases text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item DROP COLUMN aliases`);
    await q.query(`DROP TABLE answer_feedback`);
    await q.query(`DROP TABLE question_log`);
  }
}
