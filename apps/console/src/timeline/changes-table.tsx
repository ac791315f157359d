import type { AuditChanges } from '../api/types';
import { ScrollTable, StatusBadge } from '../common/table';
import { changeRows } from './changes';

function Value({ value, side }: { value: string | null; side: 'before' | 'after' }) {
  if (value === null) return <span className="muted">({side === 'before' ? 'none before' : 'none after'})</span>;
  if (value === '') return <span className="muted">(empty text)</span>;
  return <code>{value}</code>;
}

/**
 * A record's `changes` as a table, one row per field: the field, what kind of change it is
 * (in words, the colour only repeats it), the value before and after. Nothing when the
 * record names no changes.
 */
export function ChangesTable({ changes }: { changes: AuditChanges | null | undefined }) {
  const rows = changeRows(changes);
  if (rows.length === 0) return null;
  return (
    <ScrollTable caption="Changes" className="changes">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Change</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field} className={`change-${row.kind.replace(/[^a-z]/g, '')}`}>
            <th scope="row">
              <code>{row.field}</code>
            </th>
            <td>
              <StatusBadge status={row.kind} />
            </td>
            <td className="change-value">
              <Value value={row.before} side="before" />
            </td>
            <td className="change-value">
              <Value value={row.after} side="after" />
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
