import { randomUUID } from 'node:crypto';
import { auditEvent } from '@runtrail/testing';

/** The event size the reference figures were measured with. */
export const EVENT_BYTES = 430;

/** One generated event, kept both as an object (baseline) and as its JSON (request bodies). */
export interface BenchEvent {
  event: Record<string, unknown>;
  json: string;
}

export interface EventSizes {
  min: number;
  avg: number;
  max: number;
}

const ACTIONS = ['Create', 'Update', 'Delete', 'Login', 'Logout'];
const ENTITY_TYPES = ['Project', 'Department', 'User', 'Group', 'Settings', 'Applications'];
// Long enough to pad any event up to EVENT_BYTES; a realistic header, so the
// context column holds what a control plane would send.
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 ' +
  'runtrail-bench/1.0 (+https://example.com/runtrail/bench; build 0000000000000000000000000000000000000000)';

/** A small pool of submitting principals, so source columns repeat as they would in practice. */
const SOURCES = Array.from({ length: 50 }, (_, i) => ({
  id: randomUUID(),
  name: `user${i}@example.com`,
  type: i % 5 === 0 ? 'Application' : 'User',
}));

/** The varied fields of event `i`, with times over the day before `now`. */
function eventFields(i: number, now: number) {
  const source = SOURCES[i % SOURCES.length];
  return {
    happenedAt: new Date(now - 60_000 - ((i * 863) % 86_400_000)).toISOString(),
    action: ACTIONS[i % ACTIONS.length],
    entityType: ENTITY_TYPES[i % ENTITY_TYPES.length],
    entityId: String(100_000 + (i % 9973)),
    entityName: `team-${i % 997}`,
    sourceType: source.type,
    sourceId: source.id,
    sourceName: source.name,
    success: i % 20 !== 0,
  };
}

function ipAddress(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * `count` valid audit events of exactly EVENT_BYTES of JSON each (when the varied
 * fields leave room), with distinct event ids and times spread over the past day,
 * so the indexes see realistic, non-repeating keys.
 */
export function generateEvents(count: number): BenchEvent[] {
  const now = Date.now();
  const out: BenchEvent[] = [];
  for (let i = 0; i < count; i++) {
    const fields = eventFields(i, now);
    const ip = ipAddress(i);
    // Measure without a user agent first, then pad with as much of it as fits.
    const bare = JSON.stringify(auditEvent({ ...fields, context: { user_agent: '', ip_address: ip } })).length;
    const event = auditEvent({
      ...fields,
      context: { user_agent: USER_AGENT.slice(0, Math.max(1, EVENT_BYTES - bare)), ip_address: ip },
    });
    out.push({ event, json: JSON.stringify(event) });
  }
  return out;
}

/**
 * Event `i` of `generateEvents`' kind (the same fields, spread and size, a new event id)
 * as JSON, built from a template instead of an object: a few microseconds each, so a
 * client posting a million of them leaves the CPU to the services (the console bench).
 */
export function eventJson(i: number, now: number): string {
  const f = eventFields(i, now);
  const head =
    `{"eventId":"${randomUUID()}","happenedAt":"${f.happenedAt}","action":"${f.action}",` +
    `"entityType":"${f.entityType}","entityId":"${f.entityId}","entityName":"${f.entityName}",` +
    `"sourceType":"${f.sourceType}","sourceId":"${f.sourceId}","sourceName":"${f.sourceName}","success":${f.success},` +
    `"context":{"user_agent":"`;
  const tail = `","ip_address":"${ipAddress(i)}"}}`;
  return head + USER_AGENT.slice(0, Math.max(1, EVENT_BYTES - head.length - tail.length)) + tail;
}

export function measureSizes(events: BenchEvent[]): EventSizes {
  let min = Infinity;
  let max = 0;
  let total = 0;
  for (const { json } of events) {
    const bytes = Buffer.byteLength(json);
    min = Math.min(min, bytes);
    max = Math.max(max, bytes);
    total += bytes;
  }
  return { min, avg: events.length ? total / events.length : 0, max };
}

/** Splits into consecutive chunks of `size` (the last one may be shorter). */
export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
