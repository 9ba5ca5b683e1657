import { Link } from 'react-router';
import { t } from '../i18n';
import { SvgIcon } from './SvgIcon';

export function AppFooter() {
  return (
    <footer className="it-footer" id="footer">
      <div className="it-footer-main">
        <div className="container-xxl">
          <section>
            <div className="row clearfix">
              <div className="col-sm-12">
                <div className="it-brand-wrapper">
                  <Link to="/ambiti">
                    <SvgIcon name="it-pa" />
                    <div className="it-brand-text">
                      <div className="it-brand-title">{t.app.name}</div>
                      <div className="it-brand-tagline">{t.app.tagline}</div>
                    </div>
                  </Link>
                </div>
              </div>
            </div>
          </section>
          <section className="py-4 border-white border-top">
            <div className="row">
              <div className="col-lg-4 col-md-4 pb-2">
                <h2 className="h4 text-white footer-heading">{t.footer.about}</h2>
                <p>{t.footer.aboutText}</p>
                <p className="mb-0">{t.footer.license}</p>
              </div>
              <div className="col-lg-4 col-md-4 pb-2">
                <h2 className="h4 text-white footer-heading">{t.footer.sources}</h2>
                <p>{t.footer.sourcesText}</p>
              </div>
              <div className="col-lg-4 col-md-4 pb-2">
                <h2 className="h4 text-white footer-heading">{t.footer.links}</h2>
                <ul className="footer-list list-unstyled">
                  <li>
                    <Link to="/ambiti">{t.nav.ambiti}</Link>
                  </li>
                  <li>
                    <Link to="/comuni">{t.nav.comuni}</Link>
                  </li>
                  <li>
                    <a href="/api/docs">{t.footer.apiDocs}</a>
                  </li>
                </ul>
              </div>
            </div>
          </section>
        </div>
      </div>
    </footer>
  );
}
