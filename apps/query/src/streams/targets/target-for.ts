import type { StreamKind } from '@runtrail/contracts';
import type { DeliveryTarget } from './delivery-target';
import { SlackTarget } from './slack-target';
import { SplunkHecTarget } from './splunk-hec-target';
import { parseStreamUrl } from './stream-url';
import { SyslogTarget } from './syslog-target';
import { WebhookTarget } from './webhook-target';

/** The receiver of a stream, from its kind, URL and secret (checked when the stream was created). */
export function targetFor(kind: StreamKind, url: string, secret: string | undefined, timeoutMs: number): DeliveryTarget {
  const target = parseStreamUrl(kind, url);
  if (typeof target === 'string') throw new Error(target);
  switch (kind) {
    case 'webhook':
      return new WebhookTarget(target.url, secret ?? '', timeoutMs);
    case 'splunk-hec':
      return new SplunkHecTarget(target.url, secret ?? '', timeoutMs);
    case 'slack':
      return new SlackTarget(target.url, timeoutMs);
    case 'syslog':
      return new SyslogTarget(target.host.replace(/^\[(.*)\]$/, '$1'), Number(target.url.port), target.tls, timeoutMs);
  }
}
