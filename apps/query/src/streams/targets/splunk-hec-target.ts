import type { AuditRecord } from '@runtrail/contracts';
import type { DeliveryTarget } from './delivery-target';
import { postDelivery } from './http-delivery';

/** The HEC endpoint for JSON events, taken when the stream's URL names only the server. */
const EVENT_ENDPOINT = '/services/collector/event';

/**
 * One record as a Splunk HEC event: `time` in epoch seconds (when it happened), the record
 * as `event`. Splunk's "Format events for HTTP Event Collector" describes the fields.
 */
export function hecEvent(r: AuditRecord): string {
  return JSON.stringify({ time: Date.parse(r.happenedAt) / 1000, source: 'runtrail', sourcetype: 'runtrail:audit', event: r });
}

/**
 * `splunk-hec`: events batched as HEC takes them, one JSON object after another in one
 * request, with `Authorization: Splunk <token>` (the stream's secret).
 */
export class SplunkHecTarget implements DeliveryTarget {
  readonly maxRecords = 500;
  private readonly url: URL;

  constructor(
    url: URL,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {
    this.url = new URL(url);
    if (this.url.pathname === '/' || this.url.pathname === '') this.url.pathname = EVENT_ENDPOINT;
  }

  async send(records: AuditRecord[]): Promise<void> {
    await postDelivery({
      url: this.url,
      headers: { 'content-type': 'application/json', authorization: `Splunk ${this.token}` },
      body: records.map(hecEvent).join('\n'),
      timeoutMs: this.timeoutMs,
    });
  }

}
