import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import type { Role } from '../api/types.ts';
import { Link } from '../router/link.tsx';
import { useLocation } from '../router/router.ts';
import { useSession } from '../session/session.tsx';
import { UpdatePrompt } from '../sw/update-prompt.tsx';
import { ErrorText } from './error-text.tsx';

const NAV: Record<Role, { href: string; label: string }[]> = {
  employee: [
    { href: '/', label: 'My status' },
    { href: '/apps', label: 'Apps' },
    { href: '/transparency', label: 'What is recorded' },
    { href: '/passkeys', label: 'Passkeys' },
  ],
  admin: [
    { href: '/admin/policies', label: 'Policies' },
    { href: '/admin/groups', label: 'Groups & codes' },
    { href: '/admin/devices', label: 'Devices' },
    { href: '/admin/users', label: 'Users' },
    { href: '/admin/integrations', label: 'Integrations' },
    { href: '/audit', label: 'Audit' },
    { href: '/passkeys', label: 'Passkeys' },
  ],
  auditor: [
    { href: '/audit', label: 'Audit' },
    { href: '/passkeys', label: 'Passkeys' },
  ],
};

/**
 * The frame of every screen: skip link, header with the role's navigation, the update
 * prompt, and `<main>`. After an in-app navigation, focus moves to the new page's heading
 * so screen-reader and keyboard users land where the content starts.
 */
export function Layout({ children }: { children: ComponentChildren }) {
  const { state, signOut } = useSession();
  const { path } = useLocation();
  const first = useRef(true);
  const [signOutError, setSignOutError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [path]);

  const user = state.status === 'signed-in' ? state.user : null;
  const onSignOut = async () => {
    setSignOutError(null);
    try {
      await signOut();
    } catch (err) {
      setSignOutError(toApiError(err));
    }
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <div class="brand">
          <img src="/icons/favicon-32.png" alt="" width={28} height={28} />
          <span>Palisade</span>
        </div>
        {user && (
          <nav aria-label="Main">
            <ul>
              {NAV[user.role].map((item) => (
                <li key={item.href}>
                  <Link href={item.href} section={item.href !== '/'}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {user && (
          <div class="account">
            <span class="who" title={user.email}>
              {user.name} <span class="role-tag">{user.role}</span>{' '}
              {user.emailVerified === false && (
                <span class="role-tag" title="An admin has yet to confirm your email address.">
                  awaiting approval
                </span>
              )}
            </span>
            <button type="button" class="link-button" onClick={onSignOut}>
              Sign out
            </button>
            <ErrorText error={signOutError} />
          </div>
        )}
      </header>
      <UpdatePrompt />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
