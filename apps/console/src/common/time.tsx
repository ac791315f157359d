import { formatLocal, formatUtc } from './format';

/** An instant shown in UTC, with the local time in its title. */
export function UtcTime({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatLocal(iso)}>
      {formatUtc(iso)}
    </time>
  );
}

/** A table cell holding an instant: UTC as text, local time in the cell's title. */
export function TimeCell({ iso }: { iso: string | null | undefined }) {
  if (!iso) {
    return (
      <td>
        <span className="muted">—</span>
      </td>
    );
  }
  return (
    <td title={formatLocal(iso)} className="nowrap">
      <time dateTime={iso}>{formatUtc(iso)}</time>
    </td>
  );
}
