import type { AuditRecord } from '@runtrail/contracts';
import type { DeliveryTarget } from './delivery-target';
import { postDelivery } from './http-delivery';

/** Slack's message text needs `&`, `<` and `>` escaped (Slack's "Formatting text for app surfaces"). */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** One readable line per record: outcome, action, what, who, when. */
export function slackLine(r: AuditRecord): string {
  const what = r.entityName ? `${r.entityType} "${r.entityName}"` : r.entityId ? `${r.entityType} ${r.entityId}` : r.entityType;
  const outcome = r.success ? ':white_check_mark:' : ':x:';
  return escapeSlack(`${outcome} ${r.action} ${what} by ${r.sourceName} (${r.sourceType}) at ${r.happenedAt} [${r.tenantId} #${r.id}]`);
}

/** `slack`: a Slack-compatible incoming webhook, one message of a few lines per request. */
export class SlackTarget implements DeliveryTarget {
  /** Short messages read better in a channel than one wall of lines. */
  readonly maxRecords = 20;

  constructor(
    private readonly url: URL,
    private readonly timeoutMs: number,
  ) {}

  async send(records: AuditRecord[]): Promise<void> {
    await postDelivery({
      url: this.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: records.map(slackLine).join('\n') }),
      timeoutMs: this.timeoutMs,
    });
  }

}
