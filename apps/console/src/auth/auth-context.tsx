import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApi, ok, type Api } from '../api/client';
import { describeError } from '../api/errors';
import type { Whoami } from '../api/types';
import { ApiContext } from '../common/api-context';
import { forgetKey, storeKey, storedKey } from './session';

export const EXPIRED_NOTICE = 'Your key was not accepted or has expired. Sign in again.';

export type AuthState =
  | { status: 'signed-out'; notice: string | null }
  | { status: 'checking' }
  | { status: 'signed-in'; whoami: Whoami };

export interface Auth {
  state: AuthState;
  /** Asks GET /v1/whoami with the key and keeps the key only when it is accepted. */
  signIn(key: string): Promise<Whoami>;
  signOut(notice?: string | null): void;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** The signed-in key's identity; only under a route that requires sign-in. */
export function useWhoami(): Whoami {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useWhoami without a signed-in key');
  return state.whoami;
}

export function whoamiOf(api: Api, signal?: AbortSignal, key?: string): Promise<Whoami> {
  return ok(
    api.GET('/v1/whoami', {
      ...(signal ? { signal } : {}),
      ...(key ? { headers: { Authorization: `Bearer ${key}` } } : {}),
    }),
  ).then((r) => r.data);
}

export function AuthProvider({ children, fetch }: { children: ReactNode; fetch?: (request: Request) => Promise<Response> }) {
  const [state, setState] = useState<AuthState>(() => (storedKey() ? { status: 'checking' } : { status: 'signed-out', notice: null }));

  const signOut = useCallback((notice: string | null = null) => {
    forgetKey();
    setState({ status: 'signed-out', notice });
  }, []);

  const api = useMemo(
    () =>
      createApi({
        bearer: storedKey,
        // A 401 anywhere: the key was revoked or expired meanwhile. Forget it and go back to
        // sign-in with a notice (a 401 while signing in is the sign-in form's to report).
        onUnauthorized: () => {
          if (storedKey() !== null) signOut(EXPIRED_NOTICE);
        },
        ...(fetch ? { fetch } : {}),
      }),
    [fetch, signOut],
  );

  const checking = state.status === 'checking';
  useEffect(() => {
    if (!checking) return;
    const controller = new AbortController();
    whoamiOf(api, controller.signal).then(
      (whoami) => setState({ status: 'signed-in', whoami }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        // 401 has signed out already; anything else leaves the key for another try.
        if (storedKey() !== null) setState({ status: 'signed-out', notice: describeError(err) });
      },
    );
    return () => controller.abort();
  }, [api, checking]);

  const signIn = useCallback(
    async (key: string) => {
      const whoami = await whoamiOf(api, undefined, key);
      storeKey(key);
      setState({ status: 'signed-in', whoami });
      return whoami;
    },
    [api],
  );

  const auth = useMemo<Auth>(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return (
    <AuthContext.Provider value={auth}>
      <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
    </AuthContext.Provider>
  );
}
