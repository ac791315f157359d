import type { ActionRunReport, AuditEvent, FieldChanges } from '@runtrail/contracts';
import { ERASED, PERSONAL_EVENT_FIELDS, PERSONAL_REPORT_FIELDS, type ErasedDigests } from './canonical-entry';
import type { PersonalDigests } from './personal-digests';

/**
 * Personal values never travel in the stream (docs/integrity.md#personal-data): before an
 * audit event or a run report is stored, each personal value is replaced by its keyed
 * digest, and the values go to the tenant's vault keyed by digest. `open` puts them back;
 * a value the vault no longer holds (erased) reads as `[erased]`, and the digest stays
 * with the entry, so its canonical bytes do not change.
 */

/** A vault entry: personal values by their digest (`changes` values may be any JSON). */
export type VaultValues = Record<string, unknown>;

export interface Sealed<T> {
  items: T[];
  values: VaultValues;
}

export interface Opened<T> {
  item: T;
  /** The fields read as `[erased]`, with the digest each keeps. */
  erased: ErasedDigests;
}

export class VaultMismatchError extends Error {}

export function sealAuditEvents(events: AuditEvent[], digests: PersonalDigests): Sealed<AuditEvent> {
  const values: VaultValues = {};
  const seal = (value: string): string => {
    const d = digests.of(value);
    values[d] = value;
    return d;
  };
  const items = events.map((e) => {
    const out: AuditEvent = { ...e, context: Object.fromEntries(Object.entries(e.context ?? {}).map(([k, v]) => [k, seal(v)])) };
    for (const f of PERSONAL_EVENT_FIELDS) if (typeof e[f] === 'string') out[f] = seal(e[f]);
    if (e.changes) {
      const changes: FieldChanges = {};
      for (const [field, change] of Object.entries(e.changes)) {
        const sides: Record<string, unknown> = {};
        for (const side of ['before', 'after'] as const) {
          if (!(side in change)) continue;
          const d = digests.ofJson(change[side]);
          values[d] = change[side];
          sides[side] = d;
        }
        changes[field] = sides;
      }
      out.changes = changes;
    }
    return out;
  });
  return { items, values };
}

export function sealRunReports(reports: ActionRunReport[], digests: PersonalDigests): Sealed<ActionRunReport> {
  const values: VaultValues = {};
  const items = reports.map((r) => {
    const out = { ...r } as unknown as Record<string, unknown>;
    for (const f of PERSONAL_REPORT_FIELDS) {
      const v = out[f];
      if (typeof v !== 'string') continue;
      const d = digests.of(v);
      values[d] = v;
      out[f] = d;
    }
    return out as unknown as ActionRunReport;
  });
  return { items, values };
}

/** Reads one sealed field back: its value when the vault has it (and it matches), else `[erased]` with the digest kept. */
function opener(values: VaultValues, digests: PersonalDigests, erased: ErasedDigests) {
  return (path: string, digest: unknown, json: boolean): unknown => {
    if (typeof digest !== 'string') return digest;
    if (!Object.hasOwn(values, digest)) {
      erased[path] = digest;
      return ERASED;
    }
    const value = values[digest];
    const check = json ? digests.ofJson(value) : typeof value === 'string' ? digests.of(value) : undefined;
    if (check !== digest) throw new VaultMismatchError(`the vault's value for ${path} does not match its digest`);
    return value;
  };
}

export function openAuditEvent(event: AuditEvent, values: VaultValues, digests: PersonalDigests): Opened<AuditEvent> {
  const erased: ErasedDigests = {};
  const open = opener(values, digests, erased);
  const item: AuditEvent = {
    ...event,
    context: Object.fromEntries(Object.entries(event.context ?? {}).map(([k, v]) => [k, open(`context.${k}`, v, false) as string])),
  };
  for (const f of PERSONAL_EVENT_FIELDS) item[f] = open(f, event[f], false) as string;
  if (event.changes) {
    const changes: FieldChanges = {};
    for (const [field, change] of Object.entries(event.changes)) {
      const sides: Record<string, unknown> = {};
      for (const side of ['before', 'after'] as const) if (side in change) sides[side] = open(`changes.${field}.${side}`, change[side], true);
      changes[field] = sides;
    }
    item.changes = changes;
  }
  return { item, erased };
}

export function openRunReport(report: ActionRunReport, values: VaultValues, digests: PersonalDigests): Opened<ActionRunReport> {
  const erased: ErasedDigests = {};
  const open = opener(values, digests, erased);
  const item = { ...report } as unknown as Record<string, unknown>;
  for (const f of PERSONAL_REPORT_FIELDS) if (item[f] !== undefined && item[f] !== null) item[f] = open(f, item[f], false);
  return { item: item as unknown as ActionRunReport, erased };
}
