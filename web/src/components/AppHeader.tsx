import { Collapse, Header, HeaderContent, HeaderRightZone, Headers, Nav } from 'design-react-kit';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useMatch } from 'react-router';
import { t } from '../i18n';
import { SvgIcon } from './SvgIcon';

const NAV_ITEMS = [
  { to: '/ambiti', label: t.nav.ambiti },
  { to: '/comuni', label: t.nav.comuni },
] as const;

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
                    {NAV_ITEMS.map((item) => (
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
