import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useAuth, useWhoami } from '../auth/auth-context';
import { visibleNav } from '../auth/scopes';

/** Every signed-in page: the Main navigation (by scope), who is signed in, Sign out. */
export function Shell() {
  const whoami = useWhoami();
  const { signOut } = useAuth();
  const { pathname } = useLocation();

  // After moving to another view, focus its heading, so a screen reader starts there.
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Runtrail</span>
        <nav aria-label="Main">
          <ul>
            {visibleNav(whoami).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to}>{item.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="identity">
          <span>
            Tenant <strong>{whoami.tenantId ?? 'all tenants (root key)'}</strong>
          </span>
          <span>
            Key <strong>{whoami.name}</strong>
          </span>
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
