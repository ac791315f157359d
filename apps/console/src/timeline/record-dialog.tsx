import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { AuditRecord } from '../api/types';
import { CorrelationLinks } from '../common/correlation-links';
import { UtcTime } from '../common/time';
import { ChangesTable } from './changes-table';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const orDash = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v);

/**
 * The detail of one timeline record: a modal `dialog` named `Record <id>`, its fields, what
 * it changed (a before/after table), its correlation id as links, and the raw JSON. `Close` and Escape close it (the URL's `record` goes).
 */
export function RecordDialog({ recordId, record, onClose }: { recordId: string; record: AuditRecord | undefined; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const rawId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);

  const contextEntries = record ? Object.entries(record.context) : [];
  return (
    <dialog
      ref={ref}
      className="record-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        // Escape: the URL decides whether the dialog is open.
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>Record {recordId}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {record ? (
        <>
          <dl className="fields">
            <Field label="Happened (UTC)">
              <UtcTime iso={record.happenedAt} />
            </Field>
            <Field label="Action">{record.action}</Field>
            <Field label="Outcome">{record.success ? 'success' : 'failure'}</Field>
            <Field label="Entity type">{record.entityType}</Field>
            <Field label="Entity id">{orDash(record.entityId)}</Field>
            <Field label="Entity name">{orDash(record.entityName)}</Field>
            <Field label="Source type">{record.sourceType}</Field>
            <Field label="Source id">{orDash(record.sourceId)}</Field>
            <Field label="Source name">{record.sourceName}</Field>
            <Field label="Tenant">{record.tenantId}</Field>
            <Field label="Version">{record.version}</Field>
            <Field label="Event id">{record.eventId}</Field>
            <Field label="Correlation id">{record.correlationId ? <CorrelationLinks id={record.correlationId} /> : '—'}</Field>
            <Field label="Received (UTC)">
              <UtcTime iso={record.receivedAt} />
            </Field>
            <Field label="Context">
              {contextEntries.length === 0 ? (
                '—'
              ) : (
                <ul className="context">
                  {contextEntries.map(([k, v]) => (
                    <li key={k}>
                      <span className="context-key">{k}</span>: {v}
                    </li>
                  ))}
                </ul>
              )}
            </Field>
          </dl>
          <ChangesTable changes={record.changes} />
          <h3 id={rawId}>Raw JSON</h3>
          <div className="raw-json" role="region" aria-labelledby={rawId} tabIndex={0}>
            <pre>{JSON.stringify(record, null, 2)}</pre>
          </div>
        </>
      ) : (
        <p>Record {recordId} is not on this page of the timeline. Go back to the page it was on to see it.</p>
      )}
    </dialog>
  );
}
