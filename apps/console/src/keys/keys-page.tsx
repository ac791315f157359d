import { useId, useMemo, useState, type FormEvent } from 'react';
import { ok } from '../api/client';
import { listPage } from '../api/link-header';
import type { ApiKey, PrincipalType, Scope, Whoami } from '../api/types';
import { useWhoami } from '../auth/auth-context';
import { useApi } from '../common/api-context';
import { ConfirmStep, refocusAction } from '../common/confirm';
import { ErrorAlert, Loading } from '../common/feedback';
import { usePageTitle } from '../common/page-title';
import { Pager } from '../common/pager';
import { SecretOnce } from '../common/secret-once';
import { EmptyRow, ScrollTable } from '../common/table';
import { TenantField } from '../common/tenant-field';
import { TimeCell } from '../common/time';
import { pagingQuery, readPaging, writePagingState } from '../common/url-state';
import { useAction } from '../common/use-action';
import { useRequest } from '../common/use-request';
import { useUrlState } from '../common/use-url-state';
import { canRevoke, canRotate, keyState } from './key-state';
import { EmbedLinks } from './embed-links';

export const ALL_SCOPES: readonly Scope[] = ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'];

/** The scopes a key may grant: its own (a tenant admin), or all of them (the root key). */
export const grantableScopes = (who: Pick<Whoami, 'kind' | 'scopes'>) => (who.kind === 'root' ? ALL_SCOPES : ALL_SCOPES.filter((s) => who.scopes.includes(s)));

/** The old secret's overlap after a rotation: one day, the API's default, as the note says. */
const ROTATION_OVERLAP_SECONDS = 86_400;

type Pending = { id: string; act: 'rotate' | 'revoke' } | null;

/** `/keys` (scope admin): API keys of the tenant (every tenant for the root key): create, rotate, revoke. */
export function KeysPage() {
  usePageTitle('Keys');
  const api = useApi();
  const whoami = useWhoami();
  const [paging, setPaging] = useUrlState(readPaging, writePagingState);

  const load = useMemo(
    () => (signal: AbortSignal) =>
      ok(api.GET('/v1/api-keys', { params: { query: pagingQuery(paging) }, signal })).then(listPage),
    [api, paging],
  );
  const { data, error, loading, reload } = useRequest(load);

  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ key: string; note: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const { busy, error: actionError, run } = useAction();

  const act = (key: ApiKey, what: 'rotate' | 'revoke') =>
    run<unknown>(
      what === 'rotate'
        ? ok(api.POST('/v1/api-keys/{id}/rotate', { params: { path: { id: key.id } }, body: { overlapSeconds: ROTATION_OVERLAP_SECONDS } })).then(({ data: created }) =>
            setSecret({
              key: created.key,
              note: `The new secret of ${created.name}. Copy it now: it will not be shown again. The old secret keeps working for one day.`,
            }),
          )
        : ok(api.DELETE('/v1/api-keys/{id}', { params: { path: { id: key.id } } })),
      () => {
        setPending(null);
        reload();
      },
    );

  const root = whoami.kind === 'root';
  return (
    <>
      <h1 tabIndex={-1}>Keys</h1>
      {creating ? (
        <CreateKeyForm
          onCreated={(created) => {
            setCreating(false);
            setSecret({ key: created.key, note: `The secret of ${created.name}. Copy it now: it will not be shown again.` });
            reload();
          }}
          onCancel={() => setCreating(false)}
        />
      ) : (
        <button type="button" onClick={() => setCreating(true)}>
          Create key
        </button>
      )}
      {secret ? <SecretOnce label="New key" value={secret.key} note={secret.note} onDone={() => setSecret(null)} /> : null}
      <Loading busy={loading || busy} />
      <ErrorAlert error={error} onRetry={reload} />
      <ErrorAlert error={actionError} />
      <ScrollTable caption="API keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            {root ? <th scope="col">Tenant</th> : null}
            <th scope="col">Principal</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {!data ? null : data.rows.length === 0 ? (
            <EmptyRow columns={root ? 8 : 7}>No keys.</EmptyRow>
          ) : (
            data.rows.map((k) => (
              <tr key={k.id}>
                <td>
                  {k.name}
                  {k.id === whoami.keyId ? <span className="muted"> (this key)</span> : null}
                </td>
                {root ? <td>{k.tenantId}</td> : null}
                <td>{k.principalType}</td>
                <td>{k.scopes.join(', ')}</td>
                <TimeCell iso={k.createdAt} />
                <TimeCell iso={k.lastUsedAt} />
                <td>{keyState(k)}</td>
                <td className="actions">
                  {pending?.id === k.id ? (
                    <ConfirmStep
                      question={
                        pending.act === 'rotate'
                          ? `Rotate ${k.name}? A new secret replaces it; the old one works for one more day.`
                          : `Revoke ${k.name}? It stops working within seconds.`
                      }
                      confirmLabel={pending.act === 'rotate' ? 'Confirm rotate' : 'Confirm revoke'}
                      busy={busy}
                      onConfirm={() => act(k, pending.act)}
                      onCancel={() => {
                        setPending(null);
                        refocusAction(`${pending.act}-${k.id}`);
                      }}
                    />
                  ) : (
                    <>
                      {canRotate(k) ? (
                        <button type="button" data-action={`rotate-${k.id}`} onClick={() => setPending({ id: k.id, act: 'rotate' })}>
                          Rotate {k.name}
                        </button>
                      ) : null}
                      {canRevoke(k) ? (
                        <button type="button" className="danger" data-action={`revoke-${k.id}`} onClick={() => setPending({ id: k.id, act: 'revoke' })}>
                          Revoke {k.name}
                        </button>
                      ) : null}
                    </>
                  )}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </ScrollTable>
      <Pager next={data?.next ?? null} paging={paging} onPaging={setPaging} />
      <EmbedLinks />
    </>
  );
}

function CreateKeyForm({ onCreated, onCancel }: { onCreated: (created: { key: string; name: string }) => void; onCancel: () => void }) {
  const api = useApi();
  const whoami = useWhoami();
  const id = useId();
  const root = whoami.kind === 'root';
  const [name, setName] = useState('');
  const [principalType, setPrincipalType] = useState<PrincipalType>('Application');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [tenant, setTenant] = useState('');
  const { busy, error, setError, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (scopes.length === 0) return setError(new Error('Choose at least one scope.'));
    const tenantId = root ? tenant.trim() : whoami.tenantId;
    if (!tenantId) return setError(new Error('Give the tenant of the key.'));
    run(ok(api.POST('/v1/api-keys', { body: { tenantId, name: name.trim(), principalType, scopes } })), ({ data }) => onCreated({ key: data.key, name: data.name }));
  };
  const toggle = (scope: Scope, on: boolean) => setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));

  return (
    <form className="panel" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a key</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-principal`}>Principal type</label>
        <select id={`${id}-principal`} value={principalType} onChange={(e) => setPrincipalType(e.target.value as PrincipalType)}>
          <option value="Application">Application</option>
          <option value="User">User</option>
        </select>
      </div>
      {root ? <TenantField id={`${id}-tenant`} value={tenant} onChange={setTenant} /> : null}
      <fieldset>
        <legend>Scopes</legend>
        {grantableScopes(whoami).map((scope) => (
          <div key={scope} className="checkbox">
            <input id={`${id}-${scope}`} type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
            <label htmlFor={`${id}-${scope}`}>{scope}</label>
          </div>
        ))}
      </fieldset>
      <button type="submit" aria-disabled={busy}>
        Create
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <Loading busy={busy} />
      <ErrorAlert error={error} />
    </form>
  );
}
