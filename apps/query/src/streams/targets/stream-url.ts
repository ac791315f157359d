import type { StreamKind } from '@runtrail/contracts';

/** Where a stream delivers, taken apart. */
export interface StreamTarget {
  kind: StreamKind;
  url: URL;
  host: string;
  /** Syslog only: TCP with TLS (`syslog+tls://`). */
  tls: boolean;
}

export const MAX_STREAM_URL_LENGTH = 2048;

/**
 * Checks a stream's URL against its kind: `http(s)://` for the HTTP kinds, `syslog://host:port`
 * or `syslog+tls://host:port` for syslog. A user or password in the URL is refused: a
 * credential belongs in `secret`, which is never shown again, while the URL is.
 * Answers the problem in words, or the target.
 */
export function parseStreamUrl(kind: StreamKind, raw: string): StreamTarget | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute URL';
  }
  if (url.username || url.password) return 'url must not carry a user or password; give a credential as secret';
  if (kind === 'syslog') {
    if (url.protocol !== 'syslog:' && url.protocol !== 'syslog+tls:') return 'url of a syslog stream must be syslog://host:port or syslog+tls://host:port';
    if (!url.hostname || !url.port) return 'url of a syslog stream must name a host and a port';
    if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) return 'url of a syslog stream must be syslog://host:port or syslog+tls://host:port, without a path';
    return { kind, url, host: url.hostname, tls: url.protocol === 'syslog+tls:' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `url of a ${kind} stream must be http:// or https://`;
  if (url.hash) return 'url must not carry a #fragment';
  return { kind, url, host: url.hostname, tls: false };
}
