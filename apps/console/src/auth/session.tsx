import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { api, data, setSessionExpiredHandler, tokenStore } from '../api/client';
import type { LoginAnswer, Me } from '../api/views';

interface Session {
  user: Me | null;
  loading: boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The signed-in user (from `GET /api/v1/auth/me`), login and logout; an expired token leads back to login. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useQuery({
    queryKey: ['me'],
    enabled: tokenStore.get() !== null,
    retry: false,
    queryFn: async () => data<Me>(await api.GET('/api/v1/auth/me')),
  });

  useEffect(() => {
    setSessionExpiredHandler(() => {
      tokenStore.clear();
      queryClient.clear();
      if (location.pathname === '/login') return;
      const next = encodeURIComponent(location.pathname + location.search);
      void navigate(`/login?expired=1&next=${next}`, { replace: true });
    });
  }, [queryClient, navigate, location]);

  const login = useCallback(
    async (username: string, password: string) => {
      const answer = data<LoginAnswer>(
        (await api.POST('/api/v1/auth/login', { body: { username, password } })) as { data?: unknown },
      );
      tokenStore.set(answer.accessToken);
      queryClient.setQueryData(['me'], answer.user);
      return answer.user;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    tokenStore.clear();
    queryClient.clear();
    void navigate('/login', { replace: true });
  }, [queryClient, navigate]);

  const value = useMemo<Session>(
    () => ({
      user: tokenStore.get() ? (me.data ?? null) : null,
      loading: tokenStore.get() !== null && me.isPending,
      login,
      logout,
    }),
    [me.data, me.isPending, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Staff pages: without a session, to login and back here afterwards. */
export function RequireUser({ children }: { children: (user: Me) => ReactNode }) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return null;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return <>{children(user)}</>;
}
