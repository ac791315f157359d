import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import type { Scope } from './api/types';
import { AuthProvider, useAuth } from './auth/auth-context';
import { hasScope } from './auth/scopes';
import { DeploymentsPage } from './deployments/deployments-page';
import { EmbedPage } from './embed/embed-page';
import { Loading } from './common/feedback';
import { KeysPage } from './keys/keys-page';
import { Shell } from './layout/shell';
import { RetentionPage } from './retention/retention-page';
import { RunnersPage } from './runners/runners-page';
import { RunsPage } from './runs/runs-page';
import { SignInPage } from './sign-in/sign-in-page';
import { StreamsPage } from './streams/streams-page';
import { TimelineView } from './timeline/timeline-view';

// Chart.js is only needed on Insights, croner and cronstrue only on a run (its schedules):
// each its own chunk, loaded when the view opens.
const InsightsPage = lazy(() => import('./insights/insights-page'));
const RunPage = lazy(() => import('./runs/run-page'));

/** Signed-in views: without a key, sign in first (and come back here afterwards). */
function RequireSignIn({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'checking') return <Loading />;
  if (state.status === 'signed-out') return <Navigate to="/" replace state={{ from: location }} />;
  return children;
}

/** A view the key's scopes do not allow says so instead of failing request by request. */
function RequireScope({ scope, title, children }: { scope: Scope; title: string; children: ReactNode }) {
  const { state } = useAuth();
  if (state.status !== 'signed-in' || hasScope(state.whoami, scope)) return children;
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      <p>This key does not have the scope {scope}, which this view needs.</p>
    </>
  );
}

/** The views of a signed-in key (and sign-in itself), under the key's AuthProvider. */
function SessionRoutes() {
  return (
    <Routes>
      <Route path="/" element={<SignInPage />} />
      <Route
        element={
          <RequireSignIn>
            <Shell />
          </RequireSignIn>
        }
      >
        <Route path="/timeline" element={<RequireScope scope="audit:read" title="Timeline"><TimelineView title="Timeline" /></RequireScope>} />
        <Route path="/runs" element={<RequireScope scope="audit:read" title="Runs"><RunsPage /></RequireScope>} />
        <Route
          path="/runs/:id"
          element={
            <RequireScope scope="audit:read" title="Run">
              <Suspense fallback={<Loading />}>
                <RunPage />
              </Suspense>
            </RequireScope>
          }
        />
        <Route path="/deployments" element={<RequireScope scope="audit:read" title="Deployments"><DeploymentsPage /></RequireScope>} />
        <Route
          path="/insights"
          element={
            <RequireScope scope="audit:read" title="Insights">
              <Suspense fallback={<Loading />}>
                <InsightsPage />
              </Suspense>
            </RequireScope>
          }
        />
        <Route path="/runners" element={<RequireScope scope="runners:manage" title="Runners"><RunnersPage /></RequireScope>} />
        <Route path="/keys" element={<RequireScope scope="admin" title="Keys"><KeysPage /></RequireScope>} />
        <Route path="/streams" element={<RequireScope scope="admin" title="Streams"><StreamsPage /></RequireScope>} />
        <Route path="/retention" element={<RequireScope scope="admin" title="Retention"><RetentionPage /></RequireScope>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <>
      <h1 tabIndex={-1}>Not found</h1>
      <p>There is no such page in the console.</p>
    </>
  );
}

type Fetch = (request: Request) => Promise<Response>;

/**
 * The console inside a router (BrowserRouter in main.tsx, MemoryRouter in tests). An embed
 * link is outside the session: it neither reads nor writes the signed-in key.
 */
export function ConsoleApp({ fetch }: { fetch?: Fetch }) {
  const withFetch = fetch ? { fetch } : {};
  return (
    <Routes>
      <Route path="/embed" element={<EmbedPage {...withFetch} />} />
      <Route
        path="*"
        element={
          <AuthProvider {...withFetch}>
            <SessionRoutes />
          </AuthProvider>
        }
      />
    </Routes>
  );
}
