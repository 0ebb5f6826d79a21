import crypto from 'node:crypto';

/** The header carrying the signature: `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret>`. */
export const SIGNATURE_HEADER = 'X-Quanze-Signature';
export const TIMESTAMP_HEADER = 'X-Quanze-Timestamp';
export const DELIVERY_HEADER = 'X-Quanze-Delivery';
export const EVENT_HEADER = 'X-Quanze-Event';

/**
 * Signs a delivery: the timestamp (seconds since the epoch, also sent in X-Quanze-Timestamp) and
 * the exact body bytes, so a receiver can refuse replays of old deliveries as well as forgeries.
 */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifyDelivery(secret: string, timestamp: string | number, body: string, signature: string): boolean {
  const expected = Buffer.from(signDelivery(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

/** The wait before attempt n+1 after n failed attempts: base × 2^(n−1), at most six hours. */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, failedAttempts - 1), 6 * 3600_000);
}

export const newWebhookSecret = () => crypto.randomBytes(32).toString('base64url');
