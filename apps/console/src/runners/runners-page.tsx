import { useCallback, useId, useMemo, useState, type FormEvent } from 'react';
import { ok } from '../api/client';
import { listPage } from '../api/link-header';
import { useWhoami } from '../auth/auth-context';
import { useApi } from '../common/api-context';
import { ConfirmStep, refocusAction } from '../common/confirm';
import { ErrorAlert, Loading } from '../common/feedback';
import { usePageTitle } from '../common/page-title';
import { Pager } from '../common/pager';
import { SecretOnce } from '../common/secret-once';
import { EmptyRow, ScrollTable, StatusBadge } from '../common/table';
import { TimeCell } from '../common/time';
import { pagingQuery, readPaging, writePagingState } from '../common/url-state';
import { useAction } from '../common/use-action';
import { useRequest } from '../common/use-request';
import { useUrlState } from '../common/use-url-state';

/** `/runners` (scope runners:manage): the registered runner agents, registering and removing them. */
export function RunnersPage() {
  usePageTitle('Runners');
  const api = useApi();
  const whoami = useWhoami();
  const [paging, setPaging] = useUrlState(readPaging, writePagingState);

  const load = useMemo(
    () => (signal: AbortSignal) =>
      ok(api.GET('/v1/runners', { params: { query: pagingQuery(paging) }, signal })).then(listPage),
    [api, paging],
  );
  const { data, error, loading, reload } = useRequest(load);

  const [registering, setRegistering] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const { busy, error: actionError, run } = useAction();

  const remove = (id: string) =>
    run(ok(api.DELETE('/v1/runners/{id}', { params: { path: { id } } })), () => {
      setRemoving(null);
      reload();
    });
  const registered = useCallback(
    (runner: { name: string; token: string }) => {
      setRegistering(false);
      setCreated(runner);
      reload();
    },
    [reload],
  );

  return (
    <>
      <h1 tabIndex={-1}>Runners</h1>
      <p className="hint">
        A runner is a <code>runtrail runner</code> agent that runs re-triggered block actions for some workspaces.
      </p>
      {whoami.kind === 'root' ? (
        <p className="note">The root key sees every tenant's runners but registers none: register runners with a tenant key that has runners:manage.</p>
      ) : registering ? (
        <RegisterForm onRegistered={registered} onCancel={() => setRegistering(false)} />
      ) : (
        <button type="button" onClick={() => setRegistering(true)}>
          Register runner
        </button>
      )}
      {created ? (
        <SecretOnce
          label="Runner token"
          value={created.token}
          note={`The token of runner ${created.name}. Copy it now: it will not be shown again. Start the agent with runtrail runner --token <token>.`}
          onDone={() => setCreated(null)}
        />
      ) : null}
      <Loading busy={loading || busy} />
      <ErrorAlert error={error} onRetry={reload} />
      <ErrorAlert error={actionError} />
      <ScrollTable caption="Runners">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col">Last seen (UTC)</th>
            <th scope="col">Workspaces</th>
            <th scope="col">Host</th>
            <th scope="col">Version</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {!data ? null : data.rows.length === 0 ? (
            <EmptyRow columns={7}>No runners are registered.</EmptyRow>
          ) : (
            data.rows.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>
                  <StatusBadge status={r.online ? 'online' : 'offline'} />
                </td>
                <TimeCell iso={r.lastSeenAt} />
                <td>{r.workspaces.join(', ')}</td>
                <td>{r.hostname ?? <span className="muted">—</span>}</td>
                <td>{r.version ?? <span className="muted">—</span>}</td>
                <td className="actions">
                  {removing === r.id ? (
                    <ConfirmStep
                      question={`Remove ${r.name}? Its token stops working at once.`}
                      confirmLabel="Confirm remove"
                      busy={busy}
                      onConfirm={() => remove(r.id)}
                      onCancel={() => {
                        setRemoving(null);
                        refocusAction(`remove-${r.id}`);
                      }}
                    />
                  ) : (
                    <button type="button" data-action={`remove-${r.id}`} onClick={() => setRemoving(r.id)}>
                      Remove {r.name}
                    </button>
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </ScrollTable>
      <button type="button" onClick={reload} className="secondary">
        Refresh
      </button>
      <Pager next={data?.next ?? null} paging={paging} onPaging={setPaging} />
    </>
  );
}

function RegisterForm({ onRegistered, onCancel }: { onRegistered: (runner: { name: string; token: string }) => void; onCancel: () => void }) {
  const api = useApi();
  const id = useId();
  const [name, setName] = useState('');
  const [workspaces, setWorkspaces] = useState('*');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const list = workspaces
      .split(/[\s,]+/)
      .map((w) => w.trim())
      .filter(Boolean);
    run(ok(api.POST('/v1/runners', { body: { name: name.trim(), workspaces: list } })), ({ data }) => onRegistered({ name: data.name, token: data.token }));
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Register a runner</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-workspaces`}>Workspaces</label>
        <input
          id={`${id}-workspaces`}
          type="text"
          value={workspaces}
          onChange={(e) => setWorkspaces(e.target.value)}
          required
          aria-describedby={`${id}-workspaces-hint`}
          autoComplete="off"
          spellCheck={false}
        />
        <p id={`${id}-workspaces-hint`} className="hint">
          Workspace names separated by commas, or * for every workspace of the tenant.
        </p>
      </div>
      <button type="submit" aria-disabled={busy}>
        Register
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <Loading busy={busy} />
      <ErrorAlert error={error} />
    </form>
  );
}
