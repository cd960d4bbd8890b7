// Who is signed in: the bearer token (kept in localStorage, so a reload stays signed in) and the principal
// the API says it belongs to (GET /api/me).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onUnauthorized, unwrap, setToken, type Me } from './api/client';

const STORAGE_KEY = 'one-window.token';

interface Session {
  me: Me | null;
  /** True until a stored token has been checked. */
  checking: boolean;
  signIn(token: string): Promise<Me>;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => localStorage.getItem(STORAGE_KEY) !== null);

  const signIn = useCallback(async (token: string) => {
    setToken(token);
    try {
      const who = await unwrap(api.GET('/api/me'));
      localStorage.setItem(STORAGE_KEY, token);
      setMe(who);
      return who;
    } catch (err) {
      setToken(null);
      throw err;
    }
  }, []);

  const signOut = useCallback(() => {
    localStorage.removeItem(STORAGE_KEY);
    setToken(null);
    setMe(null);
  }, []);

  useEffect(() => onUnauthorized(signOut), [signOut]);

  useEffect(() => {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === null) return;
    signIn(stored)
      .catch(() => localStorage.removeItem(STORAGE_KEY))
      .finally(() => setChecking(false));
  }, [signIn]);

  const value = useMemo(() => ({ me, checking, signIn, signOut }), [me, checking, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
