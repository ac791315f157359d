import { useId, useMemo, useRef, useState } from 'react';
import { ok } from '../api/client';
import { listPage } from '../api/link-header';
import type { Schedule } from '../api/types';
import { useApi } from '../common/api-context';
import { ConfirmStep, refocusAction } from '../common/confirm';
import { ErrorAlert, Loading, Notice } from '../common/feedback';
import { formatInZone } from '../common/format';
import { EmptyRow, ScrollTable, StatusBadge } from '../common/table';
import { UtcTime } from '../common/time';
import { useAction } from '../common/use-action';
import { useRequest } from '../common/use-request';
import { describeCron } from './cron';
import { ScheduleForm } from './schedule-form';
import { NO_ACTS, answered, deleted, scheduleState, withActs, type ScheduleActs } from './schedule-rows';

/** A run has a handful of schedules: one page of this many, and a note when there are more. */
const SCHEDULES_SHOWN = 100;

/** How a schedule is named in its row's buttons (`Pause 30 2 * * 0 (Europe/Berlin)`) and messages. */
const named = (s: Schedule) => `${s.cron} (${s.timezone})`;

/**
 * The run's schedules (GET /v1/schedules?run_id=): each cron expression with its reading, its
 * zone, its next fire time, its state, reason and last firing. A key with runs:retrigger also
 * creates, pauses, resumes and deletes them.
 */
export function Schedules({ runId, canManage }: { runId: string; canManage: boolean }) {
  const api = useApi();
  const id = useId();
  const load = useMemo(
    () => (signal: AbortSignal) => ok(api.GET('/v1/schedules', { params: { query: { run_id: runId, limit: String(SCHEDULES_SHOWN) } }, signal })).then(listPage),
    [api, runId],
  );
  const { data, error, loading, reload } = useRequest(load);
  const [acts, setActs] = useState<ScheduleActs>(NO_ACTS);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Schedule | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const { busy, error: actionError, run } = useAction();
  const newRef = useRef<HTMLButtonElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const rows = data ? withActs(data.rows, acts) : undefined;

  const pauseOrResume = (s: Schedule) => {
    const path = { params: { path: { id: s.id } } };
    run(ok(s.paused ? api.POST('/v1/schedules/{id}/resume', path) : api.POST('/v1/schedules/{id}/pause', path)), ({ data: schedule }) => {
      setActs((a) => answered(a, schedule));
      // The button turned into the other one: the focus goes to it.
      refocusAction(`${schedule.paused ? 'resume' : 'pause'}-${schedule.id}`);
    });
  };

  const remove = (s: Schedule) =>
    run(ok(api.DELETE('/v1/schedules/{id}', { params: { path: { id: s.id } } })), () => {
      setDeleting(null);
      setActs((a) => deleted(a, s.id));
      if (created?.id === s.id) setCreated(null);
      headingRef.current?.focus();
    });

  const onCreated = (schedule: Schedule) => {
    setCreating(false);
    setCreated(schedule);
    setActs((a) => answered(a, schedule));
    requestAnimationFrame(() => newRef.current?.focus());
  };

  return (
    <section className="schedules" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        Schedules
      </h2>
      <p className="hint">A schedule runs this block action again at the times its cron expression names, as a re-trigger does.</p>
      <Loading busy={loading || busy} />
      <ErrorAlert error={error} onRetry={reload} />
      <ErrorAlert error={actionError} />
      <Notice text={created ? `Created the schedule ${named(created)}.` : null} />
      <ScrollTable caption="Schedules of this run" className="schedules-table">
        <thead>
          <tr>
            <th scope="col">Schedule</th>
            <th scope="col">Time zone</th>
            <th scope="col">Next fire</th>
            <th scope="col">State</th>
            <th scope="col">Reason</th>
            <th scope="col">Last firing</th>
            {canManage ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {!rows ? null : rows.length === 0 ? (
            <EmptyRow columns={canManage ? 7 : 6}>This run has no schedules.</EmptyRow>
          ) : (
            rows.map((s) => (
              <tr key={s.id}>
                <td>
                  <code className="nowrap">{s.cron}</code>
                  <div>{describeCron(s.cron) ?? <span className="muted">no reading in words</span>}</div>
                </td>
                <td>{s.timezone}</td>
                <td>
                  {s.nextFireAt ? (
                    <>
                      <span className="nowrap">{formatInZone(s.nextFireAt, s.timezone)}</span>
                      <div className="muted nowrap">
                        <UtcTime iso={s.nextFireAt} /> UTC
                      </div>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <StatusBadge status={scheduleState(s)} />
                </td>
                <td>
                  {s.reason}
                  {s.until ? (
                    <div className="muted">
                      until <UtcTime iso={s.until} /> UTC
                    </div>
                  ) : null}
                  {s.runnerId ? (
                    <div className="muted">
                      on runner <code>{s.runnerId}</code>
                    </div>
                  ) : null}
                </td>
                <td>
                  {s.lastFiredAt ? (
                    <span className="nowrap">
                      <UtcTime iso={s.lastFiredAt} /> UTC
                    </span>
                  ) : (
                    <span className="muted">Not fired yet</span>
                  )}
                  {s.lastError ? <p className="field-error">Failed: {s.lastError}</p> : null}
                </td>
                {canManage ? (
                  <td className="actions">
                    {deleting === s.id ? (
                      <ConfirmStep
                        question={`Delete the schedule ${named(s)}? It will not fire again.`}
                        confirmLabel="Confirm delete"
                        busy={busy}
                        onConfirm={() => remove(s)}
                        onCancel={() => {
                          setDeleting(null);
                          refocusAction(`delete-${s.id}`);
                        }}
                      />
                    ) : (
                      <>
                        <button
                          type="button"
                          data-action={`${s.paused ? 'resume' : 'pause'}-${s.id}`}
                          aria-label={`${s.paused ? 'Resume' : 'Pause'} ${named(s)}`}
                          aria-disabled={busy}
                          onClick={() => !busy && pauseOrResume(s)}
                        >
                          {s.paused ? 'Resume' : 'Pause'}
                        </button>
                        <button type="button" className="danger" data-action={`delete-${s.id}`} aria-label={`Delete ${named(s)}`} onClick={() => setDeleting(s.id)}>
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                ) : null}
              </tr>
            ))
          )}
        </tbody>
      </ScrollTable>
      {data?.next ? <p className="hint">Showing the first {SCHEDULES_SHOWN} schedules of this run.</p> : null}
      {canManage ? (
        creating ? (
          <ScheduleForm
            runId={runId}
            onCreated={onCreated}
            onCancel={() => {
              setCreating(false);
              requestAnimationFrame(() => newRef.current?.focus());
            }}
          />
        ) : (
          <button
            ref={newRef}
            type="button"
            aria-expanded={false}
            onClick={() => {
              setCreated(null);
              setCreating(true);
            }}
          >
            New schedule
          </button>
        )
      ) : null}
    </section>
  );
}
