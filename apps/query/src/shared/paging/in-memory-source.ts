import type { CursorPosition } from './cursor-codec';
import type { KeysetSource } from './keyset-pages';

/**
 * A keyset list over records loaded whole (API keys, runners: a tenant has few), so
 * they page exactly like the SQL lists: newest first by (t, i), then offset and limit.
 */
export function inMemorySource<R>(
  name: string,
  load: (tenantId: string | null) => Promise<R[]>,
  positionOf: (record: R) => CursorPosition,
): KeysetSource<object, R> {
  const newerFirst = (a: CursorPosition, b: CursorPosition) => b.t.localeCompare(a.t) || b.i.localeCompare(a.i);
  return {
    name,
    positionOf,
    async fetch(tenantId, _filter, limit, offset, after) {
      const records = (await load(tenantId))
        .sort((a, b) => newerFirst(positionOf(a), positionOf(b)))
        // Strictly after the cursor's position in that order: older, as `(t, i) < after` in SQL.
        .filter((r) => !after || newerFirst(after, positionOf(r)) < 0);
      return records.slice(offset, offset + limit);
    },
  };
}
