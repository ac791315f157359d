import type { ActionRunReport, AuditEvent, Principal } from '@runtrail/contracts';
import canonicalize from 'canonicalize';
import { v5 as uuidV5 } from 'uuid';
import type { PersonalDigests } from './personal-digests';

/**
 * The canonical bytes of a log entry (docs/integrity.md#the-canonical-entry): a JSON
 * object in RFC 8785 canonical form, UTF-8. Every personal value enters only as its keyed
 * digest, so erasing the value later changes no entry and breaks no proof. The same
 * function runs where an entry is appended (the projector, from the stream message) and
 * where it is checked (the query service, from the rows readers see), so the two agree
 * by construction and any difference is a change to the rows.
 */

/** What an erased personal value reads as, everywhere. */
export const ERASED = '[erased]';

/** For each erased field (by path, e.g. `entityName`, `context.ip_address`), the digest the entry keeps. */
export type ErasedDigests = Record<string, string>;

export const ENTRY_FORMAT_VERSION = 1;

/** The personal fields of an audit event; every `context` value and every `changes` value is personal too. */
export const PERSONAL_EVENT_FIELDS = ['entityId', 'entityName', 'sourceId', 'sourceName'] as const;
/** The personal fields of an action-run report. */
export const PERSONAL_REPORT_FIELDS = ['hostname', 'osUser'] as const;

export interface EventEntry {
  kind: 'audit-event' | 'admin-act';
  tenantId: string;
  receivedAt: string;
  submittedBy: Principal;
  event: AuditEvent;
  erased?: ErasedDigests | null;
}

export interface ReportEntry {
  tenantId: string;
  entryId: string;
  receivedAt: string;
  submittedBy: Principal;
  report: ActionRunReport;
  erased?: ErasedDigests | null;
}

/** Digests a personal value at `path`, or gives back the digest kept when it was erased. */
function personal(digests: PersonalDigests, erased: ErasedDigests | null | undefined) {
  return (path: string, value: string | null | undefined): string | null => {
    if (value === null || value === undefined) return null;
    const kept = value === ERASED ? erased?.[path] : undefined;
    return kept ?? digests.of(value);
  };
}

export function eventEntryBytes(entry: EventEntry, digests: PersonalDigests): Buffer {
  const e = entry.event;
  const p = personal(digests, entry.erased);
  const context = Object.fromEntries(Object.entries(e.context ?? {}).map(([k, v]) => [k, p(`context.${k}`, v)]));
  let changes: Record<string, Record<string, string>> | null = null;
  if (e.changes) {
    changes = {};
    for (const [field, change] of Object.entries(e.changes)) {
      const sides: Record<string, string> = {};
      for (const side of ['before', 'after'] as const) {
        if (!(side in change)) continue;
        const path = `changes.${field}.${side}`;
        const value = change[side];
        sides[side] = (value === ERASED ? entry.erased?.[path] : undefined) ?? digests.ofJson(value);
      }
      changes[field] = sides;
    }
  }
  return toBytes({
    v: ENTRY_FORMAT_VERSION,
    kind: entry.kind,
    entryId: e.eventId.toLowerCase(),
    tenantId: entry.tenantId,
    receivedAt: entry.receivedAt,
    submittedBy: principal(entry.submittedBy),
    event: {
      eventId: e.eventId.toLowerCase(),
      happenedAt: e.happenedAt,
      action: e.action,
      version: e.version,
      entityType: e.entityType,
      entityId: p('entityId', e.entityId),
      entityName: p('entityName', e.entityName),
      sourceType: e.sourceType,
      sourceId: p('sourceId', e.sourceId),
      sourceName: p('sourceName', e.sourceName),
      success: e.success,
      context,
      changes,
      correlationId: e.correlationId ?? null,
    },
  });
}

export function reportEntryBytes(entry: ReportEntry, digests: PersonalDigests): Buffer {
  const p = personal(digests, entry.erased);
  // The report as it was submitted (absent fields stay absent), its personal fields digested.
  const report: Record<string, unknown> = { ...entry.report };
  for (const f of PERSONAL_REPORT_FIELDS) if (report[f] !== undefined && report[f] !== null) report[f] = p(f, report[f] as string);
  return toBytes({
    v: ENTRY_FORMAT_VERSION,
    kind: 'action-run-report',
    entryId: entry.entryId,
    tenantId: entry.tenantId,
    receivedAt: entry.receivedAt,
    submittedBy: principal(entry.submittedBy),
    report,
  });
}

/** A fixed namespace for the name-based (v5) ids the log gives action-run reports. */
const REPORT_ENTRY_NAMESPACE = 'b4d1c1e2-8f7a-4c3b-9e5d-2a6f0c8b7d91';

/**
 * A report's entry id: a UUID v5 of its tenant and stream position, so a log rebuilt from
 * the stream gives every report the same id.
 */
export function reportEntryId(tenantId: string, position: string): string {
  return uuidV5(`${tenantId}/${position}`, REPORT_ENTRY_NAMESPACE);
}

/** Only the three fields of a principal, whatever else an object carries. */
function principal(p: Principal): Principal {
  return { type: p.type, id: p.id, name: p.name };
}

function toBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('an entry must be a JSON object');
  return Buffer.from(text, 'utf8');
}
