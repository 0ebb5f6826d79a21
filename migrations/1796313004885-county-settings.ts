import type { MigrationInterface, QueryRunner } from 'typeorm';

/** county_setting: one small row of rules per county (review period, backdating bound, three-party publication). */
export class CountySettings1796313004885 implements MigrationInterface {
  name = 'CountySettings1796313004885';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE county_setting (
      county_code char(12) PRIMARY KEY CONSTRAINT county_setting_region_fk REFERENCES region(code) ON DELETE RESTRICT,
      list_review_months int,
      backdate_limit_days int,
      three_party_publication boolean NOT NULL DEFAULT false,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL,
      CONSTRAINT county_setting_review_ck CHECK (list_review_months BETWEEN 1 AND 120),
      CONSTRAINT county_setting_backdate_ck CHECK (backdate_limit_days BETWEEN 0 AND 3650)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE county_setting`);
  }
}
