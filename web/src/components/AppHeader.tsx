import { Collapse, Header, HeaderContent, HeaderRightZone, Headers, Nav } from 'design-react-kit';
import { useEffect, useState } from 'react';
import { Link, useLocation, useMatch } from 'react-router';
import { t } from '../i18n';
import { SvgIcon } from './SvgIcon';

const NAV_ITEMS = [
  { to: '/ambiti', label: t.nav.ambiti },
  { to: '/comuni', label: t.nav.comuni },
] as const;

function NavItem({ to, label, onNavigate }: { to: string; label: string; onNavigate: () => void }) {
  // A section stays highlighted on its sub-pages, but only the exact page is "current".
  const section = useMatch({ path: to, end: false });
  const exact = useMatch({ path: to, end: true });
  return (
    <li className="nav-item">
      <Link
        to={to}
        className={`nav-link${section ? ' active' : ''}`}
        aria-current={exact ? 'page' : undefined}
        onClick={onNavigate}
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

  // biome-ignore lint/correctness/useExhaustiveDependencies: closing the mobile menu is the point of reacting to navigation
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <header>
      <Headers>
        <Header type="slim">
          <HeaderContent>
            <span className="navbar-brand d-lg-block">{t.app.owner}</span>
            <HeaderRightZone />
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
                      <NavItem key={item.to} to={item.to} label={item.label} onNavigate={close} />
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
