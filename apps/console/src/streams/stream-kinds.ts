import type { Stream, StreamKind } from '../api/types';

/** What the form asks and says for each kind of stream (docs/streams.md, "What each kind sends"). */
export interface StreamKindInfo {
  kind: StreamKind;
  label: string;
  /** The secret's field, for the kinds that take one (the API refuses a secret from the others). */
  secret: { label: string; hint: string } | null;
  urlPlaceholder: string;
  urlHint: string;
}

export const STREAM_KINDS: readonly StreamKindInfo[] = [
  {
    kind: 'webhook',
    label: 'Webhook (signed JSON)',
    secret: { label: 'Signing secret', hint: 'The HMAC key the receiver checks Runtrail-Signature with: 16 characters or more. It is never shown again.' },
    urlPlaceholder: 'https://siem.example.com/runtrail',
    urlHint: 'http:// or https://. Each request is a JSON array of records.',
  },
  {
    kind: 'splunk-hec',
    label: 'Splunk HTTP Event Collector',
    secret: { label: 'HEC token', hint: 'The HTTP Event Collector token. It is never shown again.' },
    urlPlaceholder: 'https://splunk.example.com:8088',
    urlHint: 'http:// or https://; a URL without a path gets /services/collector/event.',
  },
  {
    kind: 'syslog',
    label: 'Syslog (RFC 5424 over TCP or TLS)',
    secret: null,
    urlPlaceholder: 'syslog+tls://logs.example.com:6514',
    urlHint: 'syslog://host:port, or syslog+tls://host:port for TLS.',
  },
  {
    kind: 'slack',
    label: 'Slack incoming webhook',
    secret: null,
    urlPlaceholder: 'https://hooks.slack.com/services/…',
    urlHint: 'The incoming webhook’s URL; one line per record. The URL is itself a credential: the list shows only its host.',
  },
];

export function kindInfo(kind: StreamKind): StreamKindInfo {
  return STREAM_KINDS.find((k) => k.kind === kind) ?? (STREAM_KINDS[0] as StreamKindInfo);
}

/**
 * Where the stream delivers, as the list shows it. A Slack incoming webhook's URL is its
 * credential (whoever has it posts to the channel), so only its origin shows, as the timeline
 * entries of a stream name only the host.
 */
export function shownTarget(stream: Pick<Stream, 'kind' | 'url'>): string {
  if (stream.kind !== 'slack') return stream.url;
  try {
    return `${new URL(stream.url).origin}/…`;
  } catch {
    return '…';
  }
}
