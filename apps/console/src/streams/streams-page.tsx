import { useMemo, useRef, useState } from 'react';
import { ok } from '../api/client';
import type { Stream } from '../api/types';
import { useWhoami } from '../auth/auth-context';
import { useApi } from '../common/api-context';
import { ConfirmStep, refocusAction } from '../common/confirm';
import { ErrorAlert, Loading, Notice } from '../common/feedback';
import { usePageTitle } from '../common/page-title';
import { EmptyRow, ScrollTable, StatusBadge } from '../common/table';
import { TimeCell } from '../common/time';
import { useAction } from '../common/use-action';
import { useRequest } from '../common/use-request';
import { formatStreamFilter } from './stream-filter';
import { StreamForm } from './stream-form';
import { shownTarget } from './stream-kinds';

/**
 * The streams as this page's acts answered them, over the list they were answered on: a
 * pause or resume shows at once (and its button turns into the other, which takes the focus)
 * instead of after the list is read again. A list read afterwards replaces them.
 */
interface Acts {
  list: readonly Stream[] | undefined;
  answered: Readonly<Record<string, Stream>>;
  deleted: readonly string[];
}

const NO_ACTS: Acts = { list: undefined, answered: {}, deleted: [] };

/** `/streams` (scope admin): the tenant's streams out (every tenant's for the root key), their state and lag; create, pause, resume, test, delete. */
export function StreamsPage() {
  usePageTitle('Streams');
  const api = useApi();
  const whoami = useWhoami();
  const root = whoami.kind === 'root';

  const load = useMemo(() => (signal: AbortSignal) => ok(api.GET('/v1/streams', { signal })).then((r) => r.data), [api]);
  const { data, error, loading, reload } = useRequest(load);

  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [acts, setActs] = useState<Acts>(NO_ACTS);
  const { busy, error: actionError, run } = useAction();
  const newRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const current = acts.list === data ? acts : { ...NO_ACTS, list: data };
  const rows = data?.filter((s) => !current.deleted.includes(s.id)).map((s) => current.answered[s.id] ?? s);

  const pauseOrResume = (s: Stream) => {
    const path = { params: { path: { id: s.id } } };
    setNotice(null);
    run(ok(s.state === 'paused' ? api.POST('/v1/streams/{id}/resume', path) : api.POST('/v1/streams/{id}/pause', path)), ({ data: stream }) => {
      setActs({ ...current, answered: { ...current.answered, [stream.id]: stream } });
      setNotice(`${stream.state === 'paused' ? 'Paused' : 'Resumed'} ${stream.name}.`);
      refocusAction(`${stream.state === 'paused' ? 'resume' : 'pause'}-${stream.id}`);
      reload();
    });
  };

  const test = (s: Stream) => {
    setNotice(null);
    run(ok(api.POST('/v1/streams/{id}/test', { params: { path: { id: s.id } } })), () =>
      setNotice(`Test record sent to ${s.name}. If the receiver does not take it, Last error says why within a few seconds (Refresh).`),
    );
  };

  const remove = (s: Stream) => {
    setNotice(null);
    run(ok(api.DELETE('/v1/streams/{id}', { params: { path: { id: s.id } } })), () => {
      setDeleting(null);
      setActs({ ...current, deleted: [...current.deleted, s.id] });
      setNotice(`Deleted ${s.name}.`);
      headingRef.current?.focus();
      reload();
    });
  };

  const columns = root ? 10 : 9;
  return (
    <>
      <h1 tabIndex={-1} ref={headingRef}>
        Streams
      </h1>
      <p className="hint">
        A stream delivers the timeline’s entries, as they are stored, to a SIEM, a log platform or a chat channel. Its lag counts the entries that match its filter
        and are not delivered yet.
      </p>
      {creating ? (
        <StreamForm
          onCreated={(stream) => {
            setCreating(false);
            setNotice(`Created ${stream.name}.`);
            reload();
            requestAnimationFrame(() => newRef.current?.focus());
          }}
          onCancel={() => {
            setCreating(false);
            requestAnimationFrame(() => newRef.current?.focus());
          }}
        />
      ) : (
        <button
          ref={newRef}
          type="button"
          onClick={() => {
            setNotice(null);
            setCreating(true);
          }}
        >
          New stream
        </button>
      )}
      <Notice text={notice} />
      <Loading busy={loading || busy} />
      <ErrorAlert error={error} onRetry={reload} />
      <ErrorAlert error={actionError} />
      <ScrollTable caption="Streams">
        <thead>
          <tr>
            <th scope="col">Name</th>
            {root ? <th scope="col">Tenant</th> : null}
            <th scope="col">Kind</th>
            <th scope="col">Target</th>
            <th scope="col">Filter</th>
            <th scope="col">State</th>
            <th scope="col">Lag</th>
            <th scope="col">Last delivery (UTC)</th>
            <th scope="col">Last error</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {!rows ? null : rows.length === 0 ? (
            <EmptyRow columns={columns}>No streams.</EmptyRow>
          ) : (
            rows.map((s) => {
              const filter = formatStreamFilter(s.filter);
              return (
                <tr key={s.id}>
                  <td>
                    {s.name}
                    {s.from === 'beginning' ? <div className="muted">from the beginning</div> : null}
                  </td>
                  {root ? <td>{s.tenantId}</td> : null}
                  <td className="nowrap">{s.kind}</td>
                  <td className="stream-target">
                    <code>{shownTarget(s)}</code>
                  </td>
                  <td className="stream-filter-cell">{filter ? <code>{filter}</code> : <span className="muted">every entry</span>}</td>
                  <td>
                    <StatusBadge status={s.state} />
                  </td>
                  <td className="number">{s.lagEntries.toLocaleString('en-GB')}</td>
                  <TimeCell iso={s.lastDeliveredAt} />
                  <td className="stream-error">{s.lastError ?? <span className="muted">—</span>}</td>
                  <td className="actions">
                    {deleting === s.id ? (
                      <ConfirmStep
                        question={`Delete the stream ${s.name}? It stops delivering, and its secret is removed.`}
                        confirmLabel="Confirm delete"
                        busy={busy}
                        onConfirm={() => remove(s)}
                        onCancel={() => {
                          setDeleting(null);
                          refocusAction(`delete-${s.id}`);
                        }}
                      />
                    ) : (
                      <div className="stream-actions">
                        <button
                          type="button"
                          data-action={`${s.state === 'paused' ? 'resume' : 'pause'}-${s.id}`}
                          aria-label={`${s.state === 'paused' ? 'Resume' : 'Pause'} ${s.name}`}
                          aria-disabled={busy}
                          onClick={() => !busy && pauseOrResume(s)}
                        >
                          {s.state === 'paused' ? 'Resume' : 'Pause'}
                        </button>
                        <button type="button" data-action={`test-${s.id}`} aria-label={`Test ${s.name}`} aria-disabled={busy} onClick={() => !busy && test(s)}>
                          Test
                        </button>
                        <button type="button" className="danger" data-action={`delete-${s.id}`} aria-label={`Delete ${s.name}`} onClick={() => setDeleting(s.id)}>
                          Delete
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </ScrollTable>
      <button type="button" onClick={reload} className="secondary">
        Refresh
      </button>
    </>
  );
}
