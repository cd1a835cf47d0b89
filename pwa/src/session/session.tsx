/**
 * Who is signed in. Asked of the server once at start; when the server cannot be reached
 * the last known user (from IndexedDB) is used so the employee views open offline.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { toApiError } from '../api/api-error.ts';
import { authApi } from '../api/auth-api.ts';
import type { User } from '../api/types.ts';
import { navigate } from '../router/router.ts';
import { cacheDb } from '../storage/db.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; offline: boolean }
  | { status: 'signed-in'; user: User; offline: boolean; updatedAt?: string };

export interface Session {
  state: SessionState;
  /** After a successful sign-in or sign-up. */
  signedIn(user: User): void;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({
  children,
  initial,
}: {
  children: ComponentChildren;
  initial?: SessionState;
}) {
  const [state, setState] = useState<SessionState>(initial ?? { status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const { user } = await authApi.me();
      await cacheDb.put('me', user);
      setState({ status: 'signed-in', user, offline: false });
    } catch (err) {
      const e = toApiError(err);
      if (e.offline) {
        const cached = await cacheDb.get('me');
        setState(
          cached
            ? {
                status: 'signed-in',
                user: cached.value,
                offline: true,
                updatedAt: cached.updatedAt,
              }
            : { status: 'anonymous', offline: true },
        );
        return;
      }
      // 401: no session (or it expired). Nothing personal stays cached.
      await cacheDb.clearPersonal();
      setState({ status: 'anonymous', offline: false });
    }
  }, []);

  useEffect(() => {
    if (!initial) void refresh();
  }, [refresh, initial]);

  // Back online after starting offline: confirm the session with the server.
  const offline = state.status !== 'loading' && state.offline;
  useEffect(() => {
    if (!offline) return;
    const again = () => void refresh();
    window.addEventListener('online', again);
    return () => window.removeEventListener('online', again);
  }, [offline, refresh]);

  const signedIn = useCallback((user: User) => {
    void cacheDb.put('me', user);
    setState({ status: 'signed-in', user, offline: false });
  }, []);

  // Offline, the server's session would outlive a local sign-out (the next visit would be
  // signed in again), so the error goes to the caller to say so instead.
  // The sign-in page is set in the same tick as the state, so the app never sees "anonymous
  // on a private page" and asks to come back to it after the next sign-in.
  const signOut = useCallback(async () => {
    await authApi.logout();
    await cacheDb.clearPersonal();
    navigate('/login', { replace: true });
    setState({ status: 'anonymous', offline: false });
  }, []);

  const value = useMemo(
    () => ({ state, signedIn, signOut, refresh }),
    [state, signedIn, signOut, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside <SessionProvider>');
  return s;
}
