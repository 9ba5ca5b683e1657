import { useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';
import { t } from '../i18n';
import { AppFooter } from './AppFooter';
import { AppHeader } from './AppHeader';

/**
 * Page frame. After client-side navigation focus moves to <main>, so keyboard and screen
 * reader users start from the new content instead of the link they just activated.
 */
export function Layout() {
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const previousPath = useRef(pathname);

  // Compared with the previous path rather than skipping the first run, so StrictMode's double
  // effect in development does not steal focus on the initial load.
  useEffect(() => {
    if (previousPath.current === pathname) return;
    previousPath.current = pathname;
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pathname]);

  return (
    <>
      <nav className="skiplinks" aria-label={t.skipLinks.label}>
        <a className="visually-hidden-focusable" href="#main-content">
          {t.skipLinks.main}
        </a>
        <a className="visually-hidden-focusable" href="#main-nav">
          {t.skipLinks.nav}
        </a>
        <a className="visually-hidden-focusable" href="#footer">
          {t.skipLinks.footer}
        </a>
      </nav>
      <AppHeader />
      <main id="main-content" ref={mainRef} tabIndex={-1} className="app-main">
        <div className="container-xxl app-container py-4">
          <Outlet />
        </div>
      </main>
      <AppFooter />
    </>
  );
}
