import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ok } from '../api/client';
import type { ActionRunDetail } from '../api/types';
import { useWhoami } from '../auth/auth-context';
import { canRetrigger } from '../auth/scopes';
import { useApi } from '../common/api-context';
import { CorrelationLinks } from '../common/correlation-links';
import { ErrorAlert, Loading } from '../common/feedback';
import { formatDuration } from '../common/format';
import { usePageTitle } from '../common/page-title';
import { EmptyRow, ScrollTable, StatusBadge } from '../common/table';
import { UtcTime } from '../common/time';
import { useRequest } from '../common/use-request';
import { Retrigger, type LiveCommand } from './retrigger';
import { Schedules } from './schedules';

/**
 * `/runs/:id`: one run with every field, where it came from, what it started, Re-trigger and
 * its schedules. Its own chunk (app.tsx): the cron libraries are only loaded here.
 */
export default function RunPage() {
  const { id = '' } = useParams();
  // A new run id is a new page: nothing of the previous run's re-trigger stays.
  return <RunView key={id} id={id} />;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </>
  );
}

function RunView({ id }: { id: string }) {
  const api = useApi();
  const whoami = useWhoami();
  const load = useMemo(
    () => (signal: AbortSignal) => ok(api.GET('/v1/action-runs/{id}', { params: { path: { id } }, signal })).then((r) => r.data),
    [api, id],
  );
  const { data: run, error, loading, reload } = useRequest(load);
  const title = run ? `Run ${run.block.name} ${run.action}` : 'Run';
  usePageTitle(title);
  const [live, setLive] = useState<LiveCommand | null>(null);

  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      <p className="breadcrumb">
        <Link to="/runs">All runs</Link>
      </p>
      <Loading busy={loading} />
      <ErrorAlert error={error} onRetry={reload} />
      {run ? <RunDetail run={run} live={live} /> : null}
      {run && canRetrigger(whoami) ? <Retrigger runId={run.id} onChanged={reload} onCommand={setLive} /> : null}
      {run ? <Schedules runId={run.id} canManage={canRetrigger(whoami)} /> : null}
    </>
  );
}

/**
 * The run's re-triggers as the projection has them, with the command started from this page
 * in its latest state (GET /v1/action-runs/{id} shows a new command only once the projector
 * has recorded it).
 */
export function withLiveCommand(retriggers: ActionRunDetail['retriggers'], live: LiveCommand | null): ActionRunDetail['retriggers'] {
  if (!live) return retriggers;
  const row = { commandId: live.id, status: live.status, newRunId: live.newRunId };
  return retriggers.some((r) => r.commandId === live.id) ? retriggers.map((r) => (r.commandId === live.id ? row : r)) : [...retriggers, row];
}

function RunDetail({ run, live }: { run: ActionRunDetail; live: LiveCommand | null }) {
  const retriggers = withLiveCommand(run.retriggers, live);
  return (
    <>
      {run.retriggeredFrom ? (
        <p className="lineage">
          <Link to={`/runs/${run.retriggeredFrom}`}>Re-triggered from</Link> run <code>{run.retriggeredFrom}</code>
          {run.commandId ? (
            <>
              {' '}
              by command <code>{run.commandId}</code>
            </>
          ) : null}
        </p>
      ) : null}
      <dl className="fields run-fields">
        <Field label="Status">
          <StatusBadge status={run.status} />
        </Field>
        <Field label="Started">
          <UtcTime iso={run.startedAt} /> UTC
        </Field>
        <Field label="Finished">{run.finishedAt ? <><UtcTime iso={run.finishedAt} /> UTC</> : null}</Field>
        <Field label="Duration">{formatDuration(run.durationMs)}</Field>
        <Field label="Host">{run.hostname}</Field>
        <Field label="OS user">{run.osUser}</Field>
        <Field label="CLI version">{run.cliVersion}</Field>
        <Field label="Block reference">{run.block.from}</Field>
        <Field label="Version">{run.block.version}</Field>
        <Field label="Workspace">{run.workspace.name}</Field>
        <Field label="Organization">{run.workspace.organization}</Field>
        <Field label="Exit code">{run.exitCode === null ? null : String(run.exitCode)}</Field>
        <Field label="Submitted by">
          {run.sourceName} <span className="muted">{run.sourceType}</span>
        </Field>
        <Field label="Correlation id">{run.correlationId ? <CorrelationLinks id={run.correlationId} /> : null}</Field>
        <Field label="Run id">
          <code>{run.id}</code>
        </Field>
        <Field label="Tenant">{run.tenantId}</Field>
        <Field label="Received">
          <UtcTime iso={run.receivedAt} /> UTC
        </Field>
        <Field label="Updated">
          <UtcTime iso={run.updatedAt} /> UTC
        </Field>
      </dl>
      <ScrollTable caption="Re-triggers">
        <thead>
          <tr>
            <th scope="col">Command</th>
            <th scope="col">Status</th>
            <th scope="col">New run</th>
          </tr>
        </thead>
        <tbody>
          {retriggers.length === 0 ? (
            <EmptyRow columns={3}>This run has not been re-triggered.</EmptyRow>
          ) : (
            retriggers.map((r) => (
              <tr key={r.commandId}>
                <td>
                  <code>{r.commandId}</code>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td>{r.newRunId ? <Link to={`/runs/${r.newRunId}`}>{r.newRunId}</Link> : <span className="muted">—</span>}</td>
              </tr>
            ))
          )}
        </tbody>
      </ScrollTable>
    </>
  );
}
