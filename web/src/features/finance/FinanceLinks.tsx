import { Link } from 'react-router';
import { t } from '../../i18n';
import { useSession } from '../identity/api';
import { canReadFinance } from './access';

/**
 * The way into the Ambito's money from its page, for those who may read it. Kept free of the
 * finance pages' own imports (charts, forms): the Ambito page is loaded by every visitor.
 */
export function FinanceLinks({ ambitoId }: { ambitoId: string }) {
  const session = useSession();
  if (!canReadFinance(session.data, ambitoId)) return null;
  const links = [
    { to: `/ambiti/${ambitoId}/bilancio`, label: t.finance.nav.budget, text: t.finance.nav.budgetText },
    { to: `/ambiti/${ambitoId}/riparti`, label: t.finance.nav.splits, text: t.finance.nav.splitsText },
    {
      to: `/ambiti/${ambitoId}/assistenti-sociali`,
      label: t.finance.nav.workers,
      text: t.finance.nav.workersText,
    },
  ];
  return (
    <section className="my-5 ambito-finance" aria-labelledby="finance-links-title">
      <h2 id="finance-links-title" className="h3">
        {t.finance.nav.title}
      </h2>
      <ul className="list-unstyled row g-3">
        {links.map((l) => (
          <li key={l.to} className="col-md-4">
            <div className="border rounded p-3 h-100">
              <Link to={l.to} className="fw-semibold">
                {l.label}
              </Link>
              <p className="small text-secondary mb-0 mt-1">{l.text}</p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
