import { Collapse, Header, HeaderContent, HeaderRightZone, Headers, Nav } from 'design-react-kit';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useMatch, useNavigate } from 'react-router';
import { isCitizen } from '../features/calls/access';
import { useLogout, useSession } from '../features/identity/api';
import { hasRole, isStaff } from '../features/identity/roles';
import type { SessionView } from '../features/identity/types';
import { t } from '../i18n';
import { SvgIcon } from './SvgIcon';

const NAV_ITEMS: Array<{ to: string; label: string; show?: (s: SessionView | null | undefined) => boolean }> =
  [
    { to: '/ambiti', label: t.nav.ambiti },
    { to: '/comuni', label: t.nav.comuni },
    { to: '/le-mie-domande', label: t.calls.nav.mine, show: isCitizen },
    { to: '/amministrazione/utenti', label: t.nav.users, show: (s) => hasRole(s, 'admin') },
    { to: '/registro-accessi', label: t.nav.audit, show: (s) => hasRole(s, 'revisore') },
    { to: '/account/sicurezza', label: t.nav.security, show: isStaff },
  ];

/** "Accedi" for visitors; the user's name and "Esci" once logged in. Nothing while still unknown. */
function SessionZone() {
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  if (session.isPending) return null;
  if (!session.data) {
    if (pathname === '/accesso') return null;
    const from = `${pathname}${search}`;
    return (
      <div className="it-access-top-wrapper">
        <Link className="btn btn-primary btn-sm session-login" to={`/accesso?da=${encodeURIComponent(from)}`}>
          {t.session.login}
        </Link>
      </div>
    );
  }
  const name = session.data.user.displayName;
  return (
    <div className="it-access-top-wrapper d-flex align-items-center gap-3">
      <span className="session-user text-white">
        <span className="visually-hidden">{t.session.loggedInAs} </span>
        {name}
      </span>
      <button
        type="button"
        className="btn btn-primary btn-sm session-logout"
        disabled={logout.isPending}
        onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/ambiti') })}
      >
        {t.session.logout}
      </button>
    </div>
  );
}

function NavItem({ to, label, onSamePage }: { to: string; label: string; onSamePage: () => void }) {
  // A section stays highlighted on its sub-pages, but only the exact page is "current".
  const section = useMatch({ path: to, end: false });
  const exact = useMatch({ path: to, end: true });
  return (
    <li className="nav-item">
      <Link
        to={to}
        className={`nav-link${section ? ' active' : ''}`}
        aria-current={exact ? 'page' : undefined}
        // No navigation happens for the current page, so the mobile menu must be closed here.
        onClick={exact ? onSamePage : undefined}
      >
        <span>{label}</span>
      </Link>
    </li>
  );
}

/** Bootstrap Italia three-band header: slim (owner), center (brand), navbar (sections). */
export function AppHeader() {
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const close = () => setMenuOpen(false);
  const session = useSession();
  const items = NAV_ITEMS.filter((item) => !item.show || item.show(session.data));

  const menuOpenRef = useRef(menuOpen);
  menuOpenRef.current = menuOpen;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reacting to navigation is the point
  useEffect(() => {
    if (!menuOpenRef.current) return;
    setMenuOpen(false);
    // The kit's panel hands focus back to the toggler once its close transition (350 ms) ends;
    // after a navigation the new page's content is where focus belongs instead.
    const timer = setTimeout(() => document.getElementById('main-content')?.focus(), 400);
    return () => clearTimeout(timer);
  }, [location.pathname]);

  return (
    <header>
      <Headers>
        <Header type="slim">
          <HeaderContent>
            <span className="navbar-brand d-lg-block">{t.app.owner}</span>
            <HeaderRightZone>
              <a className="it-header-slim-link d-none d-lg-block" href="/api/docs">
                {t.footer.apiDocs}
              </a>
              <SessionZone />
            </HeaderRightZone>
          </HeaderContent>
        </Header>
        <div className="it-nav-wrapper">
          <Header type="center">
            <HeaderContent>
              <div className="it-brand-wrapper">
                <Link to="/ambiti">
                  <SvgIcon name="it-pa" />
                  <div className="it-brand-text">
                    <div className="it-brand-title">{t.app.name}</div>
                    <div className="it-brand-tagline d-none d-md-block">{t.app.tagline}</div>
                  </div>
                </Link>
              </div>
            </HeaderContent>
          </Header>
          <Header type="navbar">
            <HeaderContent expand="lg" megamenu aria-label={t.header.navLabel} id="main-nav">
              <button
                type="button"
                className="custom-navbar-toggler"
                aria-controls="main-nav-menu"
                aria-expanded={menuOpen}
                aria-label={t.header.openMenu}
                onClick={() => setMenuOpen(true)}
              >
                <SvgIcon name="it-burger" />
              </button>
              <Collapse
                navbar
                header
                isOpen={menuOpen}
                onOverlayClick={close}
                closeSrText={t.header.closeMenu}
                id="main-nav-menu"
              >
                <div className="menu-wrapper">
                  <Nav navbar>
                    {items.map((item) => (
                      <NavItem key={item.to} to={item.to} label={item.label} onSamePage={close} />
                    ))}
                  </Nav>
                </div>
              </Collapse>
            </HeaderContent>
          </Header>
        </div>
      </Headers>
    </header>
  );
}
