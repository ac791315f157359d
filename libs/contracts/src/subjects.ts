/**
 * Naming of everything Runtrail creates on the NATS server. Every name starts with
 * the namespace so two installations (or two test runs) can share one server.
 *
 * Facts go to `<ns>.part.<partition>.<tenant>.<kind>` (ADR 0019): a tenant's facts all in
 * one of `EVENT_PARTITIONS` partitions, so projector instances can share the stream by
 * partition (a consumer filters one subject) while each tenant's facts keep their order.
 * Versions before partitions wrote `<ns>.evt.<tenant>.<kind>` (the legacy layout, still
 * read); a runner's command deliveries are `<ns>.evt.<tenant>.cmd.<runner>`. The stream
 * captures `<ns>.evt.>` and `<ns>.part.>`, so new kinds of fact need no change to it.
 */
export const EVENT_KINDS = ['audit', 'run', 'runner', 'command', 'schedule', 'erasure'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const NAMESPACE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function eventStreamName(namespace: string): string {
  return `${namespace}-events`;
}

/**
 * How many partitions the facts are spread over: the most projector instances that can share
 * the work. Part of the subject layout: changing it would move tenants between partitions
 * with their earlier facts left behind, so it is fixed.
 */
export const EVENT_PARTITIONS = 16;

/** Every subject the event stream captures. */
export function eventStreamSubjects(namespace: string): string[] {
  return [`${namespace}.evt.>`, `${namespace}.part.>`];
}

/** FNV-1a, 32 bits, of a text's UTF-8 bytes: a small, stable hash (the same in every version and language). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** The partition a tenant's facts go to. */
export function partitionOf(tenantId: string): number {
  return fnv1a32(tenantId) % EVENT_PARTITIONS;
}

export function eventSubject(namespace: string, tenantId: string, kind: EventKind): string {
  return `${namespace}.part.${partitionOf(tenantId)}.${tenantId}.${kind}`;
}

/** Where versions before partitions put a tenant's facts of one kind (read still, never written). */
export function legacyEventSubject(namespace: string, tenantId: string, kind: EventKind): string {
  return `${namespace}.evt.${tenantId}.${kind}`;
}

/** Every fact of one tenant, in the partitioned layout. */
export function tenantSubjectFilter(namespace: string, tenantId: string): string {
  return `${namespace}.part.${partitionOf(tenantId)}.${tenantId}.>`;
}

/** A partition of the stream as projector instances share it: one of the partitions, or the legacy layout's facts. */
export type StreamPartition = number | 'legacy';

/** The facts of one partition (legacy: every fact of the layout before partitions, and no command delivery). */
export function partitionSubjectFilter(namespace: string, partition: StreamPartition): string {
  return partition === 'legacy' ? `${namespace}.evt.*.*` : `${namespace}.part.${partition}.>`;
}

/** Every partition, the legacy one last. */
export const STREAM_PARTITIONS: readonly StreamPartition[] = [...Array.from({ length: EVENT_PARTITIONS }, (_, i) => i), 'legacy'];

/**
 * Parses a fact's subject in either layout, and a command delivery
 * `<ns>.evt.<tenant>.cmd.<runner>` (kind `cmd`); returns undefined for anything else.
 */
export function parseEventSubject(
  namespace: string,
  subject: string,
): { tenantId: string; kind: string } | undefined {
  const parts = subject.split('.');
  if (parts[0] !== namespace) return undefined;
  if (parts[1] === 'part' && parts.length === 5 && parts[2] === String(partitionOf(parts[3]))) return { tenantId: parts[3], kind: parts[4] };
  if (parts[1] !== 'evt') return undefined;
  if (parts.length === 4) return { tenantId: parts[2], kind: parts[3] };
  if (parts.length === 5 && parts[3] === 'cmd') return { tenantId: parts[2], kind: 'cmd' };
  return undefined;
}

export function projectorConsumerName(namespace: string): string {
  return `${namespace}-projector`;
}

/** The durable consumer of one partition, and the key of its checkpoint row: `<consumer>-p<n>` or `<consumer>-legacy`. */
export function partitionConsumerName(consumer: string, partition: StreamPartition): string {
  return partition === 'legacy' ? `${consumer}-legacy` : `${consumer}-p${partition}`;
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
