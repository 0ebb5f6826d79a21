import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Honest time and four eyes (issue 20, part B):
 * - `list_version.approved_effective_from`: the start date an approval covers (`approveVersion`'s
 *   optional `effectiveFrom`). A publication dated in the past needs an approval naming exactly
 *   that date; a publication on another date than the approved one needs a new approval.
 * - every published version records when it was published (`published_at`, always written by
 *   `publishVersion`): now a CHECK. NOT VALID, so rows of an older database without it are kept
 *   as they are (the reads treat an unknown publication time as known from the start).
 * - `list_item.written_by`: who wrote each pending row (a saved item or a removal marker); the
 *   approver must not be one of them. Rows written before this migration have none.
 */
export class HonestTime1796313072714 implements MigrationInterface {
  name = 'HonestTime1796313072714';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_version ADD COLUMN approved_effective_from date`);
    await q.query(`ALTER TABLE list_version ADD CONSTRAINT list_version_published_at_ck
      CHECK (status NOT IN ('PUBLISHED','SUPERSEDED') OR published_at IS NOT NULL) NOT VALID`);
    await q.query(`ALTER TABLE list_item ADD COLUMN written_by text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item DROP COLUMN written_by`);
    await q.query(`ALTER TABLE list_version DROP CONSTRAINT list_version_published_at_ck`);
    await q.query(`ALTER TABLE list_version DROP COLUMN approved_effective_from`);
  }
}
