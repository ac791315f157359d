import { useId, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, describeError } from '../api/errors';
import { useAuth } from '../auth/auth-context';
import { homePath } from '../auth/scopes';
import { Loading } from '../common/feedback';
import { usePageTitle } from '../common/page-title';

export const KEY_NOT_ACCEPTED = 'The key was not accepted. Check it and sign in again.';

/** Where sign-in was asked from (a link into a view), to go back there afterwards. */
function returnTo(state: unknown): string | null {
  const from = (state as { from?: { pathname?: string; search?: string } } | null)?.from;
  return from?.pathname && from.pathname !== '/' ? `${from.pathname}${from.search ?? ''}` : null;
}

/** `/`: sign in with an API key, or go to the first view the signed-in key may see. */
export function SignInPage() {
  usePageTitle('Sign in');
  const { state, signIn } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const id = useId();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (state.status === 'checking') return <Loading />;
  if (state.status === 'signed-in') {
    const home = homePath(state.whoami);
    if (home) return <Navigate to={returnTo(location.state) ?? home} replace />;
    return <NoViews />;
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const trimmed = key.trim();
    if (!trimmed) return setError('Enter an API key.');
    setBusy(true);
    setError(null);
    signIn(trimmed).then(
      (whoami) => {
        const home = homePath(whoami);
        if (home) void navigate(returnTo(location.state) ?? home, { replace: true });
      },
      (err: unknown) => {
        setBusy(false);
        setError(err instanceof ApiError && err.status === 401 ? KEY_NOT_ACCEPTED : describeError(err));
      },
    );
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Runtrail</h1>
      {state.notice ? (
        <div role="alert" className="alert alert-error">
          <p>{state.notice}</p>
        </div>
      ) : null}
      <form onSubmit={submit} className="sign-in-form" noValidate>
        <label htmlFor={`${id}-key`}>API key</label>
        <input
          id={`${id}-key`}
          type="password"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          required
          aria-describedby={`${id}-note`}
        />
        <button type="submit" aria-disabled={busy}>
          Sign in
        </button>
      </form>
      <Loading busy={busy} />
      {error ? (
        <div role="alert" className="alert alert-error">
          <p>{error}</p>
        </div>
      ) : null}
      <p id={`${id}-note`} className="hint">
        The key is kept in this tab only (session storage) until you sign out or close the tab.
      </p>
    </main>
  );
}

function NoViews() {
  const { signOut } = useAuth();
  return (
    <main id="main" className="sign-in">
      <h1>Nothing to show for this key</h1>
      <p>The console needs a key with the scope audit:read, runners:manage or admin.</p>
      <button type="button" onClick={() => signOut()}>
        Sign out
      </button>
    </main>
  );
}
