import { useMemo, useState } from 'react';
import { ok } from '../api/client';
import { useWhoami } from '../auth/auth-context';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { usePageTitle } from '../common/page-title';
import { useRequest } from '../common/use-request';
import { useUrlState } from '../common/use-url-state';
import { ApplyRetention } from './apply-retention';
import { RetentionForm } from './retention-form';
import { RetentionSummary } from './retention-summary';
import type { Retention } from './retention-types';
import { readTenant, writeTenant } from './retention-url';
import { TenantChooser } from './tenant-chooser';

/** A policy as Save answered it, over the one read when it was saved; a read afterwards replaces it. */
interface Saved {
  on: Retention | undefined;
  view: Retention;
}

/**
 * `/retention` (scope admin): how long the tenant's entries are kept, its legal hold and the
 * last removal; change them, and apply retention now. The root key names the tenant first
 * (`?tenant=`).
 */
export function RetentionPage() {
  usePageTitle('Retention');
  const api = useApi();
  const whoami = useWhoami();
  const root = whoami.kind === 'root';
  const [chosen, choose] = useUrlState(readTenant, writeTenant);
  // A tenant key never names a tenant: the service knows its own.
  const tenant = root ? chosen : '';

  const load = useMemo(
    () =>
      root && !tenant
        ? null
        : (signal: AbortSignal) => ok(api.GET('/v1/retention', { params: { query: tenant ? { tenantId: tenant } : {} }, signal })).then((r) => r.data),
    [api, root, tenant],
  );
  const { data, error, loading, reload } = useRequest(load);
  const [saved, setSaved] = useState<Saved | null>(null);
  const view = saved && saved.on === data ? saved.view : data;

  return (
    <>
      <h1 tabIndex={-1}>Retention</h1>
      <p className="hint">
        Entries older than the days kept, counted from when Runtrail received them, leave the timeline, the runs and the streams. A legal hold stops that.
      </p>
      {root ? <TenantChooser key={`tenant:${tenant}`} tenant={tenant} onChoose={(next) => choose(next)} /> : null}
      <Loading busy={loading} />
      <ErrorAlert error={error} onRetry={reload} />
      {view ? (
        // Keyed by tenant: another tenant's policy starts a new form and a new Apply.
        <div key={`policy:${view.tenantId}`}>
          <RetentionSummary view={view} root={root} />
          <RetentionForm view={view} tenant={tenant} onSaved={(next) => setSaved({ on: data, view: next })} />
          <ApplyRetention policy={view} tenant={tenant} onApplied={reload} />
        </div>
      ) : null}
    </>
  );
}
