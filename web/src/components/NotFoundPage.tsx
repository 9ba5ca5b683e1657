import { Link } from 'react-router';
import { t } from '../i18n';
import { SvgIcon } from './SvgIcon';
import { usePageTitle } from './usePageTitle';

export function NotFoundPage({
  title = t.notFound.title,
  text = t.notFound.text,
}: {
  title?: string;
  text?: string;
}) {
  usePageTitle(title);
  return (
    <div className="row justify-content-center py-5">
      <div className="col-lg-8 text-center">
        <p className="display-1 fw-bold text-primary mb-2" aria-hidden="true">
          404
        </p>
        <h1>{title}</h1>
        <p className="lead">{text}</p>
        <Link to="/ambiti" className="btn btn-primary mt-3">
          <SvgIcon name="it-arrow-left" className="icon-white icon-sm me-2" />
          {t.notFound.back}
        </Link>
      </div>
    </div>
  );
}
