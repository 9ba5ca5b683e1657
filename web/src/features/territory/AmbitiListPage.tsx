import { Card } from 'design-react-kit';
import { Link } from 'react-router';
import type { AmbitoSummary } from '../../api/types';
import { DemoBadge } from '../../components/DemoBadge';
import { ErrorState, Loading } from '../../components/QueryState';
import { SvgIcon } from '../../components/SvgIcon';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { useAmbiti } from './api';
import { ReferenceList } from './ReferenceList';

function AmbitoCard({ ambito }: { ambito: AmbitoSummary }) {
  return (
    <Card rounded shadow="sm" className="ambito-card">
      <h2 className="it-card-title h4">
        <Link to={`/ambiti/${ambito.id}`} className="stretched-link">
          {ambito.name}
        </Link>
      </h2>
      <div className="it-card-body">
        <p className="d-flex flex-wrap align-items-center gap-2 card-meta">
          <span className="visually-hidden">{t.ambito.code}</span>
          <span className="ambito-code">{ambito.code}</span>
          {ambito.demo ? <DemoBadge /> : null}
        </p>
        <ReferenceList ambito={ambito} className="it-card-description-list" />
      </div>
      <footer className="it-card-footer" aria-hidden="true">
        <span className="text-primary fw-semibold">
          {t.ambiti.openShort}
          <SvgIcon name="it-arrow-right" className="icon-primary icon-sm ms-1" />
        </span>
      </footer>
    </Card>
  );
}

const sortByName = (items: AmbitoSummary[]) => [...items].sort((a, b) => a.name.localeCompare(b.name, 'it'));

export function AmbitiListPage() {
  usePageTitle(t.ambiti.title);
  const ambiti = useAmbiti();

  return (
    <>
      <h1>{t.ambiti.title}</h1>
      <p className="lead mb-4">{t.ambiti.lead}</p>
      {ambiti.isPending ? <Loading /> : null}
      {ambiti.isError ? <ErrorState error={ambiti.error} onRetry={() => ambiti.refetch()} /> : null}
      {ambiti.data ? (
        ambiti.data.length === 0 ? (
          <p>{t.ambiti.empty}</p>
        ) : (
          <>
            <p className="visually-hidden" role="status">
              {t.ambiti.count(ambiti.data.length)}
            </p>
            <ul className="row g-4 list-unstyled" aria-label={t.ambiti.title}>
              {sortByName(ambiti.data).map((a) => (
                <li key={a.id} className="col-12 col-md-6 col-xl-4">
                  <AmbitoCard ambito={a} />
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </>
  );
}
