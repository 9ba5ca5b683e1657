import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import type { AmbitoDetail } from '../../api/types';
import { DemoBadge } from '../../components/DemoBadge';
import { NotFoundPage } from '../../components/NotFoundPage';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ErrorState, Loading } from '../../components/QueryState';
import { usePageTitle } from '../../components/usePageTitle';
import { formatNumber } from '../../format';
import { t } from '../../i18n';
import { AgeBandsCard } from './AgeBandsCard';
import { useAmbito } from './api';
import { ComuniTable } from './ComuniTable';
import { MembershipHistory } from './MembershipHistory';
import { ReferenceList } from './ReferenceList';

function KeyFigures({ ambito }: { ambito: AmbitoDetail }) {
  const { totals } = ambito;
  return (
    <ul className="key-figures list-unstyled d-flex flex-wrap gap-4 mb-0">
      <li>
        <span className="key-figure-value">{formatNumber(totals.comuni)}</span>
        <span className="key-figure-label">{t.nav.comuni}</span>
      </li>
      <li>
        <span className="key-figure-value">{formatNumber(totals.population)}</span>
        <span className="key-figure-label">
          {totals.populationYear !== null ? t.ambito.populationYear(totals.populationYear) : t.ambito.population}
        </span>
      </li>
    </ul>
  );
}

function AmbitoView({ ambito }: { ambito: AmbitoDetail }) {
  return (
    <>
      <PageBreadcrumb items={[{ label: t.nav.ambiti, to: '/ambiti' }, { label: ambito.name }]} />
      <div className="row g-4 align-items-end mb-4">
        <div className="col-lg-8">
          <p className="text-secondary text-uppercase fw-semibold small mb-1">
            <span className="visually-hidden">{t.ambito.code}: </span>
            {ambito.code}
          </p>
          <h1 className="mb-2">{ambito.name}</h1>
          {ambito.demo ? <DemoBadge /> : null}
        </div>
        <div className="col-lg-4">
          <KeyFigures ambito={ambito} />
        </div>
      </div>

      <div className="row g-4 mb-5">
        <div className="col-lg-5">
          <section className="it-card rounded shadow-sm border h-100" aria-labelledby="refs-title">
            <h2 id="refs-title" className="it-card-title h4">
              {t.ambito.detailsTitle}
            </h2>
            <div className="it-card-body">
              <ReferenceList ambito={ambito} className="it-card-description-list" />
            </div>
          </section>
        </div>
        <div className="col-lg-7">
          <AgeBandsCard totals={ambito.totals} />
        </div>
      </div>

      <section aria-labelledby="comuni-title">
        <h2 id="comuni-title" className="h3">
          {t.ambito.comuniTitle}
        </h2>
        <ComuniTable ambitoName={ambito.name} comuni={ambito.comuni} totals={ambito.totals} />
      </section>

      <MembershipHistory memberships={[...ambito.comuni, ...ambito.history]} />
    </>
  );
}

export function AmbitoPage() {
  const { id = '' } = useParams();
  const ambito = useAmbito(id);
  usePageTitle(ambito.data?.name);

  if (ambito.isPending) return <Loading />;
  if (ambito.isError) {
    if (ambito.error instanceof ApiError && ambito.error.isNotFound) {
      return <NotFoundPage title={t.ambito.notFoundTitle} text={ambito.error.message} />;
    }
    return (
      <>
        <PageBreadcrumb items={[{ label: t.nav.ambiti, to: '/ambiti' }]} />
        <ErrorState error={ambito.error} heading="h1" onRetry={() => ambito.refetch()} />
      </>
    );
  }
  return <AmbitoView ambito={ambito.data} />;
}
