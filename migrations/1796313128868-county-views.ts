import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * County-wide views (issue 19): editors' matter links between items of a county's townships; webhooks
 * per county with their outbox (written in the publishing transaction) and delivery log; the day a
 * body ceased to exist (机构改革), so the findings can name cooperating duties given to it.
 */
export class CountyViews1796313128868 implements MigrationInterface {
  name = 'CountyViews1796313128868';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "matter_link" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_code" character(12) NOT NULL, "kind" character varying(16) NOT NULL, "region_a" character(12) NOT NULL, "item_code_a" character varying(64) NOT NULL, "region_b" character(12) NOT NULL, "item_code_b" character varying(64) NOT NULL, "linked" boolean NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "matter_link_pair_uq" UNIQUE ("county_code", "kind", "region_a", "item_code_a", "region_b", "item_code_b"), CONSTRAINT "matter_link_order_ck" CHECK ((region_a, item_code_a) < (region_b, item_code_b)), CONSTRAINT "matter_link_kind_ck" CHECK (kind IN ('POWER','RESPONSIBILITY')), CONSTRAINT "PK_30f48e72366923b85b36b0aff5e" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "webhook" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "county_code" character(12) NOT NULL, "url" text NOT NULL, "secret" text NOT NULL, "description" text, "active" boolean NOT NULL DEFAULT true, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e6765510c2d078db49632b59020" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "webhook_county_idx" ON "webhook"  ("county_code") `);
    await q.query(`CREATE TABLE "webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "webhook_id" uuid NOT NULL, "event" character varying(32) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lease_until" TIMESTAMP WITH TIME ZONE, "last_status" integer, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "webhook_delivery_status_ck" CHECK (status IN ('PENDING','DELIVERED','FAILED')), CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "webhook_delivery_webhook_idx" ON "webhook_delivery"  ("webhook_id", "created_at") `);
    await q.query(`CREATE INDEX "webhook_delivery_due_idx" ON "webhook_delivery"  ("status", "next_attempt_at") `);
    await q.query(`CREATE TABLE "webhook_attempt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "attempt" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "http_status" integer, "error" text, "duration_ms" integer NOT NULL, CONSTRAINT "PK_e4ff77b66cdd20591ba6189a1f9" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "webhook_attempt_delivery_idx" ON "webhook_attempt"  ("delivery_id", "attempt") `);
    await q.query(`ALTER TABLE "body" ADD "dissolved_on" date`);
    await q.query(`ALTER TABLE "matter_link" ADD CONSTRAINT "matter_link_county_fk" FOREIGN KEY ("county_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "webhook" ADD CONSTRAINT "webhook_county_fk" FOREIGN KEY ("county_code") REFERENCES "region"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_webhook_fk" FOREIGN KEY ("webhook_id") REFERENCES "webhook"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "webhook_attempt" ADD CONSTRAINT "webhook_attempt_delivery_fk" FOREIGN KEY ("delivery_id") REFERENCES "webhook_delivery"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "webhook_attempt" DROP CONSTRAINT "webhook_attempt_delivery_fk"`);
    await q.query(`ALTER TABLE "webhook_delivery" DROP CONSTRAINT "webhook_delivery_webhook_fk"`);
    await q.query(`ALTER TABLE "webhook" DROP CONSTRAINT "webhook_county_fk"`);
    await q.query(`ALTER TABLE "matter_link" DROP CONSTRAINT "matter_link_county_fk"`);
    await q.query(`ALTER TABLE "body" DROP COLUMN "dissolved_on"`);
    await q.query(`DROP INDEX "public"."webhook_attempt_delivery_idx"`);
    await q.query(`DROP TABLE "webhook_attempt"`);
    await q.query(`DROP INDEX "public"."webhook_delivery_due_idx"`);
    await q.query(`DROP INDEX "public"."webhook_delivery_webhook_idx"`);
    await q.query(`DROP TABLE "webhook_delivery"`);
    await q.query(`DROP INDEX "public"."webhook_county_idx"`);
    await q.query(`DROP TABLE "webhook"`);
    await q.query(`DROP TABLE "matter_link"`);
  }
}
