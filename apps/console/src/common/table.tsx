import { useId, type ReactNode } from 'react';

/**
 * A table with a caption, in a container that scrolls sideways on a narrow screen; the
 * container is a named, focusable region so a keyboard can scroll it too.
 */
export function ScrollTable({ caption, children, className }: { caption: ReactNode; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
      <table className={className}>
        <caption id={id}>{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.replace(/[^a-z]/g, '')}`}>{status}</span>;
}

export function OutcomeBadge({ success }: { success: boolean }) {
  return <span className={`badge ${success ? 'badge-successful' : 'badge-failed'}`}>{success ? 'success' : 'failure'}</span>;
}

/** The one row of an empty table body, across its `columns`. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {children}
      </td>
    </tr>
  );
}
