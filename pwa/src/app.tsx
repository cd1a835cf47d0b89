import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import type { Role, User } from './api/types.ts';
import { Layout } from './components/layout.tsx';
import { matchRoute } from './router/match-route.ts';
import { navigate, useLocation } from './router/router.ts';
import { safeNext } from './lib/safe-next.ts';
import { ROUTES } from './routes.tsx';
import { useSession } from './session/session.tsx';

const HOME: Record<Role, string> = { employee: '/', admin: '/admin/policies', auditor: '/audit' };

/** Picks the route, enforces who may see it, and sends people where they belong. */
export function App() {
  const { state } = useSession();
  const { path, query } = useLocation();

  let params: Record<string, string> | null = null;
  const route = ROUTES.find((r) => (params = matchRoute(r.path, path)) !== null);
  const user: User | null = state.status === 'signed-in' ? state.user : null;

  // Where to go instead of rendering this route, if anywhere.
  let redirect: string | null = null;
  if (state.status === 'anonymous' && route && route.access !== 'public' && !state.offline) {
    redirect = `/login?next=${encodeURIComponent(path + location.search)}`;
  } else if (user && path === '/login') {
    const next = safeNext(query.get('next'));
    redirect = next === '/' ? HOME[user.role] : next;
  } else if (user && path === '/' && user.role !== 'employee') {
    redirect = HOME[user.role];
  }
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  return <Layout>{render()}</Layout>;

  function render(): ComponentChildren {
    if (!route) return <Message title="Page not found" text="There is nothing at this address." />;
    if (route.access === 'public') return route.view(params ?? {});
    if (state.status === 'loading' || redirect)
      return (
        <p class="loading" aria-busy="true">
          Loading…
        </p>
      );
    if (!user) {
      return (
        <Message
          title="You are offline"
          text="You are not signed in on this browser and the server cannot be reached. Connect to the network to sign in."
        />
      );
    }
    if (!route.access.includes(user.role)) {
      return (
        <Message title="Not available" text={`This page is not part of the ${user.role} view.`} />
      );
    }
    return route.view(params ?? {});
  }
}

function Message({ title, text }: { title: string; text: string }) {
  return (
    <section class="narrow">
      <h1 tabIndex={-1}>{title}</h1>
      <p>{text}</p>
    </section>
  );
}
