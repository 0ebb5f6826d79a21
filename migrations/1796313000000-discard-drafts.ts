import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Discarding an unpublished version (`discardDraft`, and an import with `replaceOpenDraft`) deletes
 * it with its pending rows. A task target that had opened that draft (职责准入) keeps its verdict and
 * loses the link, so a new draft can be opened for it: the foreign key sets null instead of refusing.
 * Published versions stay undeletable (trigger list_version_immutable).
 */
export class DiscardDrafts1796313000000 implements MigrationInterface {
  name = 'DiscardDrafts1796313000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_target DROP CONSTRAINT task_target_draft_fk`);
    await q.query(`ALTER TABLE task_target ADD CONSTRAINT task_target_draft_fk FOREIGN KEY (draft_version_id) REFERENCES list_version(id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task_target DROP CONSTRAINT task_target_draft_fk`);
    await q.query(`ALTER TABLE task_target ADD CONSTRAINT task_target_draft_fk FOREIGN KEY (draft_version_id) REFERENCES list_version(id) ON DELETE RESTRICT`);
  }
}
