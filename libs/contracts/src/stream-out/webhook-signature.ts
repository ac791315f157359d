import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Runtrail-Signature` of a webhook delivery (CONTRACT §8): `t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<body>")>`, the scheme Stripe's webhooks made familiar.
 */
export function webhookSignature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** How far a signature's time may be from the receiver's clock: every attempt is signed anew, so only a replay is older. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * A receiver's check of a signature, in constant time, refusing one whose time is more than
 * `toleranceSeconds` from `now` (a replayed request); also what the tests' receiver runs.
 */
export function verifyWebhookSignature(secret: string, header: string, body: string, { now = Date.now(), toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS } = {}): boolean {
  const t = /(?:^|,)t=(\d{1,12})(?:,|$)/.exec(header)?.[1];
  const v1 = /(?:^|,)v1=([0-9a-f]{64})(?:,|$)/.exec(header)?.[1];
  if (!t || !v1 || Math.abs(now / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, Number(t), body).split('v1=')[1], 'hex');
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
