import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { can, coversRegion, type Actor } from '../../auth/actor.js';
import { Permission } from '../../auth/permissions.js';
import { badInput, forbidden, notFound } from '../../common/domain-error.js';
import { isUuid } from '../../common/ids.js';
import { checkText } from '../../common/text-input.js';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';
import { AuditService } from '../audit/audit.service.js';
import { countyOf } from '../regions/region-code.js';
import { RegionsService } from '../regions/regions.service.js';
import { WebhookEntity } from './webhook.entity.js';
import type { WebhookDeliveryModel, WebhookModel, WebhookRegistrationModel } from './webhook.model.js';
import { DELIVERY_HEADER, EVENT_HEADER, newWebhookSecret, retryDelayMs, SIGNATURE_HEADER, signDelivery, TIMESTAMP_HEADER } from './webhook-signature.js';

/** The event a publication sends. */
export const PUBLISHED_EVENT = 'list.published';

/** What a publication tells the receivers (the JSON body, apart from `deliveryId`-free envelope fields). */
export interface PublicationEvent {
  versionId: string;
  basedOnId: string | null;
  regionCode: string;
  kind: string;
  number: number;
  effectiveFrom: string;
  approvalDocNumber: string;
  changeReason: string | null;
  counts: { added: number; changed: number; removed: number };
}

const toModel = (w: WebhookEntity): WebhookModel => ({
  id: w.id, countyCode: w.countyCode, url: w.url, description: w.description, active: w.active, createdBy: w.createdBy, createdAt: w.createdAt,
});

/** Receivers must be reached over HTTP(S) at a plain URL (no credentials in it). */
function checkUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw badInput('url', '推送地址不是有效的网址（应以 http:// 或 https:// 开头）');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput('url', '推送地址只能使用 http 或 https');
  if (url.username || url.password) throw badInput('url', '推送地址中不能包含用户名或密码');
  if (url.toString().length > 2000) throw badInput('url', '推送地址不能超过2000个字符');
  return url.toString();
}

/**
 * Webhooks per county (registered by ADMIN), the outbox written in the publishing transaction, and
 * the dispatcher that delivers it: signed (HMAC-SHA256), retried with exponential backoff, every
 * attempt logged. A publication that rolls back leaves no outbox row, so nothing is ever sent for
 * it; one that commits leaves one per active webhook, delivered however long the receiver is down
 * (up to WEBHOOK_MAX_ATTEMPTS attempts).
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  // ---------------------------------------------------------------- administration

  private async requireCounty(actor: Actor, input: string, em?: EntityManager): Promise<string> {
    if (!can(actor, Permission.MANAGE_WEBHOOKS)) throw forbidden();
    const region = await this.regions.requireRegion(input, 'countyCode', em);
    if (region.level !== 'COUNTY') throw badInput('countyCode', `“${region.name}”不是县级区划：请填写县（市、区）的代码`);
    if (!coversRegion(actor, region.code)) throw forbidden('不在您的管辖区划内');
    return region.code;
  }

  async register(actor: Actor, countyInput: string, urlInput: string, descriptionInput: string | null): Promise<WebhookRegistrationModel> {
    const url = checkUrl(urlInput);
    const description = checkText(descriptionInput, { max: 200, kind: 'line' });
    if (!description.ok) throw badInput('description', `说明${description.problem}（不超过200个字符）`);
    return this.dataSource.transaction(async (em) => {
      const countyCode = await this.requireCounty(actor, countyInput, em);
      const secret = newWebhookSecret();
      const saved = await em.save(em.create(WebhookEntity, { countyCode, url, secret, description: description.value, active: true, createdBy: actor.username ?? 'system' }));
      await this.audit.record(em, actor, {
        action: 'registerWebhook', entityType: 'Webhook', entityId: saved.id, regionCode: countyCode,
        after: { url, description: description.value }, // never the secret
      });
      return { webhook: toModel(saved), secret };
    });
  }

  async setActive(actor: Actor, id: string, active: boolean): Promise<WebhookModel> {
    return this.dataSource.transaction(async (em) => {
      const w = isUuid(id) ? await em.findOne(WebhookEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!w) throw notFound('未找到该推送订阅');
      await this.requireCounty(actor, w.countyCode, em);
      if (w.active === active) return toModel(w);
      await em.update(WebhookEntity, { id }, { active });
      await this.audit.record(em, actor, { action: 'setWebhookActive', entityType: 'Webhook', entityId: id, regionCode: w.countyCode, before: { active: w.active }, after: { active } });
      return toModel({ ...w, active });
    });
  }

  async webhooks(actor: Actor, countyInput: string): Promise<WebhookModel[]> {
    const countyCode = await this.requireCounty(actor, countyInput);
    return (await this.dataSource.getRepository(WebhookEntity).find({ where: { countyCode }, order: { createdAt: 'ASC' } })).map(toModel);
  }

  /** The delivery log of a webhook, newest first, with every attempt. */
  async deliveries(actor: Actor, webhookId: string, limit = 50): Promise<WebhookDeliveryModel[]> {
    const w = isUuid(webhookId) ? await this.dataSource.getRepository(WebhookEntity).findOneBy({ id: webhookId }) : null;
    if (!w) throw notFound('未找到该推送订阅');
    await this.requireCounty(actor, w.countyCode);
    const rows: Record<string, any>[] = await this.dataSource.query(
      `SELECT d.id, d.event, d.status, d.attempts, d.next_attempt_at, d.created_at, d.delivered_at, d.payload,
         coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'httpStatus', a.http_status, 'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.attempt)
                   FROM webhook_attempt a WHERE a.delivery_id = d.id), '[]'::json) AS log
       FROM webhook_delivery d WHERE d.webhook_id = $1 ORDER BY d.created_at DESC LIMIT $2`,
      [webhookId, Math.min(Math.max(1, limit), 200)],
    );
    return rows.map((r) => ({
      id: r.id, event: r.event, status: r.status, attempts: r.attempts,
      nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at : null,
      createdAt: r.created_at, deliveredAt: r.delivered_at, payload: JSON.stringify(r.payload),
      log: (r.log as any[]).map((a) => ({ ...a, at: new Date(a.at) })),
    }));
  }

  // ---------------------------------------------------------------- the outbox

  /**
   * One delivery per active webhook of the township's county, written with the caller's
   * transaction (the publication's): it commits or rolls back with it. One statement.
   */
  async enqueuePublication(em: EntityManager, event: PublicationEvent): Promise<void> {
    const payload = { event: PUBLISHED_EVENT, countyCode: countyOf(event.regionCode), ...event };
    await em.query(
      `INSERT INTO webhook_delivery (webhook_id, event, payload) SELECT id, $2, $3::jsonb FROM webhook WHERE county_code = $1 AND active`,
      [countyOf(event.regionCode), PUBLISHED_EVENT, JSON.stringify(payload)],
    );
  }

  // ---------------------------------------------------------------- the dispatcher

  onApplicationBootstrap(): void {
    if (this.config.webhooks.pollMs > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.deliverDue()
        .catch((e) => this.logger.warn(`delivery round failed: ${(e as Error).message}`))
        .finally(() => this.schedule());
    }, this.config.webhooks.pollMs);
    this.timer.unref();
  }

  /**
   * Delivers what is due now: leases up to `batch` deliveries (so that another dispatcher, or this
   * one's next round, leaves them alone while they are sent), sends each, and records the attempt;
   * answers how many were attempted. One round at a time per process.
   */
  deliverDue(batch = 20): Promise<number> {
    if (this.running) return this.running;
    this.running = this.round(batch).finally(() => (this.running = null));
    return this.running;
  }

  private async round(batch: number): Promise<number> {
    const { timeoutMs } = this.config.webhooks;
    const leaseMs = timeoutMs * 2 + 5000;
    const due: Record<string, any>[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE webhook_delivery d SET lease_until = now() + make_interval(secs => $2::double precision / 1000)
         FROM webhook w
         WHERE d.id IN (SELECT id FROM webhook_delivery WHERE status = 'PENDING' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
                        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           AND w.id = d.webhook_id
         RETURNING d.id, d.event, d.payload, d.attempts, d.next_attempt_at, w.url, w.secret, w.active)
       SELECT * FROM claimed ORDER BY next_attempt_at`,
      [batch, leaseMs],
    );
    for (const d of due) await this.attempt(d);
    return due.length;
  }

  private async attempt(d: Record<string, any>): Promise<void> {
    const { retryBaseMs, maxAttempts, timeoutMs } = this.config.webhooks;
    const attempt = d.attempts + 1;
    const body = JSON.stringify({ ...d.payload, deliveryId: d.id });
    const timestamp = Math.floor(Date.now() / 1000);
    const started = Date.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    if (!d.active) error = '订阅已停用';
    else {
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Quanze-Webhook/1',
            [SIGNATURE_HEADER]: signDelivery(d.secret, timestamp, body),
            [TIMESTAMP_HEADER]: String(timestamp),
            [DELIVERY_HEADER]: d.id,
            [EVENT_HEADER]: d.event,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        httpStatus = res.status;
        await res.body?.cancel().catch(() => undefined);
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause?.code;
        error = (e as Error).name === 'TimeoutError' ? `超时（${timeoutMs} ms）` : `无法连接${cause ? `（${cause}）` : ''}`;
      }
    }
    const durationMs = Date.now() - started;
    const delivered = error === null;
    const failed = !delivered && (attempt >= maxAttempts || !d.active);
    const delay = retryDelayMs(attempt, retryBaseMs);
    await this.dataSource.query(
      `WITH log AS (INSERT INTO webhook_attempt (delivery_id, attempt, at, http_status, error, duration_ms) VALUES ($1, $2, now(), $3, $4, $5))
       UPDATE webhook_delivery SET attempts = $2, lease_until = NULL, last_status = $3, last_error = $4,
         status = $6::varchar, delivered_at = CASE WHEN $6::varchar = 'DELIVERED' THEN now() END,
         next_attempt_at = CASE WHEN $6::varchar = 'PENDING' THEN now() + make_interval(secs => $7::double precision / 1000) ELSE next_attempt_at END
       WHERE id = $1`,
      [d.id, attempt, httpStatus, error, durationMs, delivered ? 'DELIVERED' : failed ? 'FAILED' : 'PENDING', delay],
    );
    if (!delivered) this.logger.warn(`webhook delivery ${d.id} attempt ${attempt} failed: ${error}${failed ? ' (given up)' : ''}`);
  }
}
