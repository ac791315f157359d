import type { AuditChanges } from '../api/types';

/**
 * How one field of a record's `changes` reads: `added` (only an after), `removed` (only a
 * before), `changed`, `unchanged` (before and after are the same JSON: the event said it
 * changed, the values say otherwise), or `no values` (the field is named with neither side,
 * which the API accepts).
 */
export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged' | 'no values';

export interface ChangeRow {
  field: string;
  kind: ChangeKind;
  /** The value as shown; null when that side is absent (not the JSON null, which reads `null`). */
  before: string | null;
  after: string | null;
}

/** A value as shown in the diff: a string as it is, anything else as compact JSON. */
export function formatChangeValue(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function kindOf(hasBefore: boolean, hasAfter: boolean, before: unknown, after: unknown): ChangeKind {
  if (hasBefore && hasAfter) return canonical(before) === canonical(after) ? 'unchanged' : 'changed';
  if (hasAfter) return 'added';
  if (hasBefore) return 'removed';
  return 'no values';
}

const byName = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The rows of the diff, by field name: the store (jsonb) keeps no order of its own, so the
 * same record always reads the same way.
 */
export function changeRows(changes: AuditChanges | null | undefined): ChangeRow[] {
  if (!changes) return [];
  return Object.entries(changes)
    .sort(byName)
    .map(([field, change]) => {
      const hasBefore = Object.hasOwn(change, 'before');
      const hasAfter = Object.hasOwn(change, 'after');
      return {
        field,
        kind: kindOf(hasBefore, hasAfter, change.before, change.after),
        before: hasBefore ? formatChangeValue(change.before) : null,
        after: hasAfter ? formatChangeValue(change.after) : null,
      };
    });
}
