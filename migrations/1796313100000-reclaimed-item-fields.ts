import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Columns real 上级部门收回事项 tables carry: 承接部门 (the unit that handles the matter now, a body
 * of the catalogue) and 工作方式 (派驻, 窗口受理, 线上办理…) of a reclaimed item.
 */
export class ReclaimedItemFields1796313100000 implements MigrationInterface {
  name = 'ReclaimedItemFields1796313100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item ADD COLUMN takeover_body_id uuid, ADD COLUMN work_mode varchar(16)`);
    await q.query(`ALTER TABLE list_item ADD CONSTRAINT list_item_takeover_body_fk FOREIGN KEY (takeover_body_id) REFERENCES body(id) ON DELETE RESTRICT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item DROP CONSTRAINT list_item_takeover_body_fk`);
    await q.query(`ALTER TABLE list_item DROP COLUMN takeover_body_id, DROP COLUMN work_mode`);
  }
}
