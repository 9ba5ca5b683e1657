import { useEffect } from 'react';
import { t } from '../i18n';

/** Each view gets its own document title: it is the first thing screen readers announce. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} — ${t.app.titleSuffix}` : t.app.titleSuffix;
  }, [title]);
}
