/**
 * Naming of everything Runtrail creates on the NATS server. Every name starts with
 * the namespace so two installations (or two test runs) can share one server.
 *
 * Subjects are `<ns>.evt.<tenant>.<kind>`: the stream captures `<ns>.evt.>`, so new
 * kinds of fact (action runs, commands, runner events, schedules) and per-tenant consumers
 * (`<ns>.evt.<tenant>.>`) need no change to the stream.
 */
export const EVENT_KINDS = ['audit', 'run', 'runner', 'command', 'schedule', 'erasure'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const NAMESPACE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function eventStreamName(namespace: string): string {
  return `${namespace}-events`;
}

export function eventSubjectFilter(namespace: string): string {
  return `${namespace}.evt.>`;
}

export function eventSubject(namespace: string, tenantId: string, kind: EventKind): string {
  return `${namespace}.evt.${tenantId}.${kind}`;
}

/**
 * Parses `<ns>.evt.<tenant>.<kind>`, and a command delivery `<ns>.evt.<tenant>.cmd.<runner>`
 * (kind `cmd`); returns undefined for anything else.
 */
export function parseEventSubject(
  namespace: string,
  subject: string,
): { tenantId: string; kind: string } | undefined {
  const parts = subject.split('.');
  if (parts[0] !== namespace || parts[1] !== 'evt') return undefined;
  if (parts.length === 4) return { tenantId: parts[2], kind: parts[3] };
  if (parts.length === 5 && parts[3] === 'cmd') return { tenantId: parts[2], kind: 'cmd' };
  return undefined;
}

export function projectorConsumerName(namespace: string): string {
  return `${namespace}-projector`;
}

export function authBucketName(namespace: string): string {
  return `${namespace}-auth`;
}

/** The personal-data vault (ADR 0015): every service opens it at start, right after the stream. */
export function personalDataBucketName(namespace: string): string {
  return `${namespace}-personal`;
}

export function runnersBucketName(namespace: string): string {
  return `${namespace}-runners`;
}

/** Where a runner's commands are delivered: a subject only its own consumer reads. */
export function commandSubject(namespace: string, tenantId: string, runnerId: string): string {
  return `${namespace}.evt.${tenantId}.cmd.${runnerId}`;
}

export function runnerConsumerName(namespace: string, runnerId: string): string {
  return `${namespace}-runner-${runnerId}`;
}
