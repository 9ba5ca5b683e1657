import { Link } from 'react-router';
import { t } from '../../i18n';
import { useSession } from '../identity/api';
import { canManageCalls, isCitizen } from './access';

/**
 * The way into the Ambito's calls from its page, for everybody (published calls are public).
 * Kept free of the calls pages' own imports (the form's codice fiscale tables): the Ambito page
 * is loaded by every visitor.
 */
export function CallLinks({ ambitoId }: { ambitoId: string }) {
  const session = useSession();
  const links = [
    { to: `/ambiti/${ambitoId}/bandi`, label: t.calls.nav.list, text: t.calls.nav.listText },
    ...(isCitizen(session.data)
      ? [{ to: '/le-mie-domande', label: t.calls.nav.mine, text: t.calls.nav.mineText }]
      : []),
    ...(canManageCalls(session.data, ambitoId)
      ? [{ to: `/ambiti/${ambitoId}/bandi/nuovo`, label: t.calls.nav.create, text: t.calls.nav.createText }]
      : []),
  ];
  return (
    <section className="my-5 ambito-calls" aria-labelledby="calls-links-title">
      <h2 id="calls-links-title" className="h3">
        {t.calls.nav.title}
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
