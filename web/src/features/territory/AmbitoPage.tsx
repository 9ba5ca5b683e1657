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
import { CallLinks } from '../calls/CallLinks';
import { FinanceLinks } from '../finance/FinanceLinks';
import { AmbitoPlans } from '../plan/AmbitoPlans';
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
          {totals.populationYear !== null
            ? t.ambito.populationYear(totals.populationYear)
            : t.ambito.population}
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
          <p className="card-meta d-flex flex-wrap align-items-center gap-2 mb-1">
            <span>
              {t.ambito.code} <span className="ambito-code">{ambito.code}</span>
            </span>
            {ambito.demo ? <DemoBadge /> : null}
          </p>
          <h1 className="mb-0">{ambito.name}</h1>
        </div>
        <div className="col-lg-4">
          <KeyFigures ambito={ambito} />
        </div>
      </div>

      <section className="reference-strip mb-4" aria-labelledby="refs-title">
        <h2 id="refs-title" className="visually-hidden">
          {t.ambito.detailsTitle}
        </h2>
        <ReferenceList ambito={ambito} className="reference-list-inline" />
      </section>

      <div className="row g-4">
        <section className="col-lg-8" aria-labelledby="comuni-title">
          <h2 id="comuni-title" className="h3">
            {t.ambito.comuniTitle}
          </h2>
          <ComuniTable
            ambitoName={ambito.name}
            date={ambito.date}
            comuni={ambito.comuni}
            totals={ambito.totals}
          />
        </section>
        <div className="col-lg-4">
          <AgeBandsCard totals={ambito.totals} />
        </div>
      </div>

      <AmbitoPlans ambitoId={ambito.id} ambitoName={ambito.name} />

      <CallLinks ambitoId={ambito.id} />

      <FinanceLinks ambitoId={ambito.id} />

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
    const error = ambito.error;
    // A malformed id (400) is, for the reader, just another address that leads nowhere.
    if (error instanceof ApiError && (error.isNotFound || error.status === 400)) {
      const text =
        error.isNotFound && error.message !== t.ambito.notFoundTitle ? error.message : t.ambito.notFoundText;
      return <NotFoundPage title={t.ambito.notFoundTitle} text={text} />;
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
