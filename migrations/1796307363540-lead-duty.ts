import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 上级部门职责 of a cooperative item: what the lead county department itself does, beside the
 * township's cooperating duty. Searchable, so the search document changes: `migration:run` and
 * start-up recompute the search vectors after this migration (src/modules/accountability/search-index.service.ts).
 * LZ4, like the other long texts of list_item, where the server has it.
 */
export class LeadDuty1796307363540 implements MigrationInterface {
  name = 'LeadDuty1796307363540';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item ADD COLUMN lead_duty text`);
    const [row] = await q.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
    if (row?.lz4 === true) await q.query(`ALTER TABLE list_item ALTER COLUMN lead_duty SET COMPRESSION lz4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE list_item DROP COLUMN lead_duty`);
  }
}
