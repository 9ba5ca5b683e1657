import { Breadcrumb, BreadcrumbItem } from 'design-react-kit';
import { Link } from 'react-router';
import { t } from '../i18n';

export interface Crumb {
  label: string;
  /** Omitted for the current page. */
  to?: string;
}

export function PageBreadcrumb({ items }: { items: Crumb[] }) {
  return (
    <Breadcrumb aria-label={t.breadcrumb.label} className="mb-3">
      {items.map((item, i) =>
        item.to ? (
          <BreadcrumbItem key={item.label}>
            <Link to={item.to}>{item.label}</Link>
            {i < items.length - 1 ? <span className="separator">/</span> : null}
          </BreadcrumbItem>
        ) : (
          <BreadcrumbItem key={item.label} active>
            {item.label}
          </BreadcrumbItem>
        ),
      )}
    </Breadcrumb>
  );
}
