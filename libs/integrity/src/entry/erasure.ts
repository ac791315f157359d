import type { ActionRunReport, AuditEvent, FieldChanges } from '@runtrail/contracts';
import { ERASED, PERSONAL_EVENT_FIELDS, PERSONAL_REPORT_FIELDS, type ErasedDigests } from './canonical-entry';
import type { PersonalDigests } from './personal-digests';

/**
 * Which personal fields of an entry hold a value, and the same entry with them erased
 * (CONTRACT §6, `POST /v1/erasure`). A `changes` value is erased whole when it is the value
 * or holds it anywhere inside (an object with an e-mail address in it, say). The digests
 * are the ones the entry was made with, so its canonical bytes do not change.
 */

/** Does a JSON value hold the string anywhere (itself, an element, a key or a member)? */
function holds(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value === needle;
  if (Array.isArray(value)) return value.some((v) => holds(v, needle));
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => k === needle || holds(v, needle));
  return false;
}

/** The fields of an audit event that hold `value`, with their digests. */
export function eventFieldsHolding(event: AuditEvent, value: string, digests: PersonalDigests): ErasedDigests {
  const found: ErasedDigests = {};
  for (const f of PERSONAL_EVENT_FIELDS) if (event[f] === value) found[f] = digests.of(value);
  for (const [k, v] of Object.entries(event.context ?? {})) if (v === value) found[`context.${k}`] = digests.of(value);
  for (const [field, change] of Object.entries(event.changes ?? {})) {
    for (const side of ['before', 'after'] as const) {
      if (side in change && holds(change[side], value)) found[`changes.${field}.${side}`] = digests.ofJson(change[side]);
    }
  }
  return found;
}

/** The fields of a run report that hold `value`, with their digests. */
export function reportFieldsHolding(report: ActionRunReport, value: string, digests: PersonalDigests): ErasedDigests {
  const found: ErasedDigests = {};
  for (const f of PERSONAL_REPORT_FIELDS) if (report[f] === value) found[f] = digests.of(value);
  return found;
}

/** The event with the given fields read as `[erased]`. */
export function eraseEventFields(event: AuditEvent, paths: Iterable<string>): AuditEvent {
  const out: AuditEvent = { ...event, context: { ...event.context } };
  let changes: FieldChanges | null | undefined = event.changes;
  for (const path of paths) {
    const [head, key, side] = path.split('.');
    if (head === 'context' && key !== undefined) out.context[key] = ERASED;
    else if (head === 'changes' && key !== undefined && (side === 'before' || side === 'after') && changes?.[key]) {
      changes = { ...changes, [key]: { ...changes[key], [side]: ERASED } };
    } else if ((PERSONAL_EVENT_FIELDS as readonly string[]).includes(path)) (out as unknown as Record<string, unknown>)[path] = ERASED;
  }
  out.changes = changes;
  return out;
}

/** The report with the given fields read as `[erased]`. */
export function eraseReportFields(report: ActionRunReport, paths: Iterable<string>): ActionRunReport {
  const out = { ...report } as unknown as Record<string, unknown>;
  for (const path of paths) if ((PERSONAL_REPORT_FIELDS as readonly string[]).includes(path)) out[path] = ERASED;
  return out as unknown as ActionRunReport;
}
