import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListVersionsService } from '../../src/modules/lists/list-versions.service.js';
import { retryDelayMs, verifyDelivery } from '../../src/modules/webhooks/webhook-signature.js';
import { WebhooksService } from '../../src/modules/webhooks/webhooks.service.js';
import { systemActor } from '../../src/auth/actor.js';
import { addDays, listApi, ok, todayInChina, TOWN_A, TOWN_B } from '../setup/lists-api.js';
import { codeOf, startTestApp, type TestApp } from '../setup/test-app.js';

/**
 * Webhooks of a county: registered by an ADMIN, an outbox row per publication written in the
 * publishing transaction, delivered signed (HMAC-SHA256), retried with backoff, logged. The
 * dispatcher is driven by the test (WEBHOOK_POLL_MS=0 in tests): each round delivers what is due.
 */
const RETRY_BASE_MS = 40;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver that answers 503 to its first `downFor` requests, then 204. */
async function receiver(downFor: number) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const answered = received.length < downFor ? 503 : 204;
      received.push({ headers: req.headers, body, answered });
      res.statusCode = answered;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/quanze-hook`;
  return {
    url,
    received,
    close: () =>
      new Promise((r) => {
        server.close(r);
        server.closeAllConnections(); // the dispatcher's kept-alive connection too
      }),
  };
}

const REGISTER = 'mutation($c:String!,$u:String!,$d:String){ registerWebhook(countyCode:$c, url:$u, description:$d){ secret webhook { id countyCode url active createdBy } } }';
const DELIVERIES = 'query($w:ID!){ webhookDeliveries(webhookId:$w){ id event status attempts payload deliveredAt log { attempt httpStatus error } } }';

describe('webhooks', () => {
  let app: TestApp;
  let dispatcher: WebhooksService;
  let reviewer: string;
  const api = () => listApi(app);

  beforeAll(async () => {
    app = await startTestApp({ WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS), WEBHOOK_MAX_ATTEMPTS: '6' });
    dispatcher = app.registry.app.get(WebhooksService);
    reviewer = await app.createUser('wh-reviewer', 'REVIEWER', '320282');
  });
  afterAll(async () => {
    await app?.close();
  });

  /** An approved new version of a demo township's responsibility list (one item removed), ready to publish. */
  async function approvedVersion(region: string, itemCode: string): Promise<string> {
    const draft = ok(await api().createDraft(app.adminToken, region, 'RESPONSIBILITY', '其他'), 'createDraft');
    ok(await api().removeItem(app.adminToken, draft.id, itemCode), 'removeItem');
    ok(await api().submit(app.adminToken, draft.id), 'submitForReview');
    ok(await api().approve(reviewer, draft.id, '同意'), 'approveVersion');
    return draft.id;
  }

  /** Runs the dispatcher until nothing is pending (each round only takes what is due), within a generous deadline. */
  async function deliverAll(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await dispatcher.deliverDue();
      const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'PENDING'`);
      if (n === 0) return;
      if (Date.now() > deadline) throw new Error('deliveries still pending');
      await new Promise((r) => setTimeout(r, RETRY_BASE_MS / 2));
    }
  }

  it('only an ADMIN registers one, for a county, with an http(s) address; the secret is shown once and audited without it', async () => {
    const editor = await app.createUser('wh-editor', 'EDITOR', '320282');
    expect(codeOf(await app.adminGql(REGISTER, { c: '320282', u: 'https://example.org/h' }, editor))).toBe('FORBIDDEN');
    expect(codeOf(await app.publicGql(REGISTER, { c: '320282', u: 'https://example.org/h' }))).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const [c, u, field] of [['320282100', 'https://example.org/h', 'countyCode'], ['320282', 'ftp://example.org/h', 'url'], ['320282', 'https://u:p@example.org/h', 'url'], ['320282', 'not a url', 'url']]) {
      const r = await app.adminGql(REGISTER, { c, u });
      expect([codeOf(r), r.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    const r = ok(await app.adminGql(REGISTER, { c: '320281', u: 'https://example.org/jiangyin', d: '江阴市的订阅' }), 'registerWebhook');
    expect(r.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.webhook).toMatchObject({ countyCode: '320281000000', url: 'https://example.org/jiangyin', active: true, createdBy: 'test-admin' });
    const trail = ok(await app.adminGql('query($id:ID!){ auditTrail(entityType:"Webhook", entityId:$id){ action after } }', { id: r.webhook.id }), 'auditTrail');
    expect(trail.map((e: any) => e.action)).toEqual(['registerWebhook']);
    expect(trail[0].after).not.toContain(r.secret);
    expect(ok(await app.adminGql('query { webhooks(countyCode:"320281"){ id } }'), 'webhooks')).toEqual([{ id: r.webhook.id }]);
  });

  it('a receiver down for the first three attempts gets the publication on the fourth, signed, with the backoff doubling', async () => {
    const hook = await receiver(3);
    try {
      const { secret, webhook } = ok(await app.adminGql(REGISTER, { c: '320282', u: hook.url }), 'registerWebhook');
      const versionId = await approvedVersion(TOWN_A, '320282-100-JB-025');
      const published = ok(await api().publish(app.adminToken, versionId, todayInChina(), '宜政发〔2026〕70号'), 'publishVersion');

      // committed with the publication, pending until the dispatcher runs
      const [row] = await app.dataSource.query('SELECT status, attempts FROM webhook_delivery WHERE webhook_id = $1', [webhook.id]);
      expect(row).toEqual({ status: 'PENDING', attempts: 0 });
      await deliverAll();

      expect(hook.received.map((r) => r.answered)).toEqual([503, 503, 503, 204]);
      const deliveries = ok(await app.adminGql(DELIVERIES, { w: webhook.id }), 'webhookDeliveries');
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ event: 'list.published', status: 'DELIVERED', attempts: 4 });
      expect(deliveries[0].log).toEqual([
        { attempt: 1, httpStatus: 503, error: 'HTTP 503' },
        { attempt: 2, httpStatus: 503, error: 'HTTP 503' },
        { attempt: 3, httpStatus: 503, error: 'HTTP 503' },
        { attempt: 4, httpStatus: 204, error: null },
      ]);
      // each retry waited at least its backoff (base × 2^(n−1)) after the failure before it
      const attempts: { at: Date }[] = await app.dataSource.query(
        'SELECT a.at FROM webhook_attempt a JOIN webhook_delivery d ON d.id = a.delivery_id WHERE d.webhook_id = $1 ORDER BY a.attempt',
        [webhook.id],
      );
      for (let n = 1; n < attempts.length; n++)
        expect(attempts[n].at.getTime() - attempts[n - 1].at.getTime()).toBeGreaterThanOrEqual(retryDelayMs(n, RETRY_BASE_MS) - 5);

      // every attempt carried the same body and a signature that verifies with the secret, and only with it
      const last = hook.received[3];
      const body = JSON.parse(last.body);
      expect(body).toMatchObject({
        event: 'list.published', countyCode: '320282000000', regionCode: TOWN_A, kind: 'RESPONSIBILITY', versionId, number: published.number,
        approvalDocNumber: '宜政发〔2026〕70号', effectiveFrom: todayInChina(), counts: { added: 0, changed: 0, removed: 1 }, deliveryId: deliveries[0].id,
      });
      for (const r of hook.received) {
        expect(r.body).toBe(last.body);
        expect(verifyDelivery(secret, String(r.headers['x-quanze-timestamp']), r.body, String(r.headers['x-quanze-signature']))).toBe(true);
        expect(verifyDelivery(`${secret}x`, String(r.headers['x-quanze-timestamp']), r.body, String(r.headers['x-quanze-signature']))).toBe(false);
        expect(r.headers['x-quanze-delivery']).toBe(deliveries[0].id);
      }
      // a delivered publication is not sent again
      await dispatcher.deliverDue();
      expect(hook.received).toHaveLength(4);
      ok(await app.adminGql('mutation($id:ID!){ setWebhookActive(id:$id, active:false){ active } }', { id: webhook.id }), 'setWebhookActive');
    } finally {
      await hook.close();
    }
  });

  it('a publication that rolls back sends nothing; a receiver that never answers is given up after the last attempt', async () => {
    const hook = await receiver(1000);
    try {
      const { webhook } = ok(await app.adminGql(REGISTER, { c: '320282', u: hook.url }), 'registerWebhook');
      const versionId = await approvedVersion(TOWN_B, '320282-103-JB-013');
      const versions = app.registry.app.get(ListVersionsService);
      await expect(
        app.dataSource.transaction(async (em) => {
          await versions.publishVersion(systemActor('wh-test'), versionId, todayInChina(), '宜政发〔2026〕71号', em);
          const [{ n }] = await em.query('SELECT count(*)::int AS n FROM webhook_delivery WHERE webhook_id = $1', [webhook.id]);
          expect(n).toBe(1); // written in the transaction…
          throw new Error('something after the publication failed');
        }),
      ).rejects.toThrow('something after the publication failed');
      const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM webhook_delivery WHERE webhook_id = $1', [webhook.id]);
      expect(n).toBe(0); // …and gone with it
      await deliverAll();
      expect(hook.received).toEqual([]);
      expect(ok(await api().version(versionId, app.adminToken), 'listVersion').status).toBe('APPROVED');

      // published for real now: delivered, attempted WEBHOOK_MAX_ATTEMPTS (6) times against 503s, then FAILED
      ok(await api().publish(app.adminToken, versionId, todayInChina(), '宜政发〔2026〕71号'), 'publishVersion');
      await deliverAll();
      expect(hook.received).toHaveLength(6);
      const [delivery] = ok(await app.adminGql(DELIVERIES, { w: webhook.id }), 'webhookDeliveries');
      expect(delivery).toMatchObject({ status: 'FAILED', attempts: 6, deliveredAt: null });
    } finally {
      await hook.close();
    }
  });

  it('an unreachable receiver is logged as such, and the delivery log is for ADMINs only', async () => {
    const closed = await receiver(0);
    await closed.close(); // nothing listens there any more
    const { webhook } = ok(await app.adminGql(REGISTER, { c: '320282', u: closed.url }), 'registerWebhook');
    const versionId = await approvedVersion(TOWN_A, '320282-100-JB-024');
    ok(await api().publish(app.adminToken, versionId, addDays(todayInChina(), 1), '宜政发〔2026〕72号'), 'publishVersion');
    await dispatcher.deliverDue();
    const [delivery] = ok(await app.adminGql(DELIVERIES, { w: webhook.id }), 'webhookDeliveries');
    expect(delivery.status).toBe('PENDING');
    expect(delivery.log[0]).toMatchObject({ attempt: 1, httpStatus: null, error: expect.stringMatching(/^无法连接/) });
    const editor = await app.createUser('wh-editor-2', 'EDITOR', '320282');
    expect(codeOf(await app.adminGql(DELIVERIES, { w: webhook.id }, editor))).toBe('FORBIDDEN');
    ok(await app.adminGql('mutation($id:ID!){ setWebhookActive(id:$id, active:false){ active } }', { id: webhook.id }), 'setWebhookActive');
  });
});
