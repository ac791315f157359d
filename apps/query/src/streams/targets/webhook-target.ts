import { randomUUID } from 'node:crypto';
import { webhookSignature, type AuditRecord } from '@runtrail/contracts';
import type { DeliveryTarget } from './delivery-target';
import { postDelivery } from './http-delivery';

/** `webhook`: a JSON array of timeline records per request, signed with the stream's secret (CONTRACT §8). */
export class WebhookTarget implements DeliveryTarget {
  readonly maxRecords = 500;

  constructor(
    private readonly url: URL,
    private readonly secret: string,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async send(records: AuditRecord[]): Promise<void> {
    const body = JSON.stringify(records);
    const signature = webhookSignature(this.secret, Math.floor(this.now() / 1000), body);
    await postDelivery({
      url: this.url,
      headers: { 'content-type': 'application/json', 'runtrail-delivery': randomUUID(), 'runtrail-signature': signature },
      body,
      timeoutMs: this.timeoutMs,
    });
  }

}
