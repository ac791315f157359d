import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { createApi } from '../api/client';
import { ApiError } from '../api/errors';
import { whoamiOf } from '../auth/auth-context';
import { ApiContext } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { formatUtc } from '../common/format';
import { usePageTitle } from '../common/page-title';
import { useRequest } from '../common/use-request';
import { TimelineView } from '../timeline/timeline-view';

export const LINK_NOT_VALID = 'This link has expired or is not valid.';

/**
 * `/embed?token=rtv_…`: the timeline alone, for an iframe, read with the link's viewer
 * token as the bearer. The token stays in the URL it came in; it is never stored.
 */
export function EmbedPage({ fetch }: { fetch?: (request: Request) => Promise<Response> }) {
  usePageTitle('Audit log');
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [refused, setRefused] = useState(false);
  const api = useMemo(
    () => createApi({ bearer: () => token, onUnauthorized: () => setRefused(true), ...(fetch ? { fetch } : {}) }),
    [token, fetch],
  );
  const load = useMemo(() => (token ? (signal: AbortSignal) => whoamiOf(api, signal) : null), [api, token]);
  const { data: viewer, error, loading, reload } = useRequest(load);

  const invalid = !token || refused || (error instanceof ApiError && (error.status === 401 || error.status === 403));
  return (
    <main id="main" className="embed">
      {invalid ? (
        <>
          <h1>Audit log</h1>
          <div role="alert" className="alert alert-error">
            <p>{LINK_NOT_VALID}</p>
          </div>
        </>
      ) : viewer ? (
        <ApiContext.Provider value={api}>
          <TimelineView title="Audit log">
            <p className="hint">
              Read-only view of tenant {viewer.tenantId}
              {viewer.sourceId ? `, entries of source ${viewer.sourceId} only` : ''}
              {viewer.expiresAt ? `, until ${formatUtc(viewer.expiresAt)} UTC` : ''}.
            </p>
          </TimelineView>
        </ApiContext.Provider>
      ) : (
        <>
          <h1>Audit log</h1>
          <Loading busy={loading} />
          <ErrorAlert error={error} onRetry={reload} />
        </>
      )}
    </main>
  );
}
