import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { NotFoundPage } from '../../components/NotFoundPage';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate, formatNumber } from '../../format';
import { t } from '../../i18n';
import { useOverview } from './api';
import { Bar, formatPercentValue, formatQuantity, StateBadge, StatusBadge } from './parts';
import type { PlanOverview } from './types';

function Totals({ totals }: { totals: PlanOverview['totals'] }) {
  const keys = ['objectives', 'actions', 'indicators', 'onTrack', 'late'] as const;
  return (
    <ul className="key-figures list-unstyled d-flex flex-wrap gap-4 mb-4">
      {keys.map((k) => (
        <li key={k}>
          <span className="key-figure-value">{formatNumber(totals[k])}</span>
          <span className="key-figure-label">{t.plan.totals[k]}</span>
        </li>
      ))}
    </ul>
  );
}

function AreasTable({ areas }: { areas: PlanOverview['macroAreas'] }) {
  const max = Math.max(1, ...areas.map((a) => a.objectives));
  return (
    <section className="mb-5" aria-labelledby="areas-title">
      <h2 id="areas-title" className="h3">
        {t.plan.areasTitle}
      </h2>
      {areas.length === 0 ? (
        <p>{t.plan.noObjectives}</p>
      ) : (
        <ResponsiveTable captionId="areas-caption">
          <table className="table table-sm align-middle overview-areas">
            <caption id="areas-caption">{t.plan.areasCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.plan.macroArea}</th>
                <th scope="col" className="text-end">
                  {t.plan.totals.objectives}
                </th>
                <th scope="col" className="text-end">
                  {t.plan.totals.actions}
                </th>
              </tr>
            </thead>
            <tbody>
              {areas.map((a) => (
                <tr key={a.code}>
                  <th scope="row" className="fw-normal">
                    {a.code === '-' ? a.name : `${a.code} — ${a.name}`}
                    <Bar percent={(a.objectives / max) * 100} />
                  </th>
                  <td className="text-end num">{formatNumber(a.objectives)}</td>
                  <td className="text-end num">{formatNumber(a.actions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
    </section>
  );
}

function IndicatorsTable({ indicators }: { indicators: PlanOverview['indicators'] }) {
  return (
    <section className="mb-5" aria-labelledby="ind-title">
      <h2 id="ind-title" className="h3">
        {t.plan.indicatorsTitle}
      </h2>
      {indicators.length === 0 ? (
        <p>{t.plan.indicatorsEmpty}</p>
      ) : (
        <ResponsiveTable captionId="ind-caption">
          <table className="table table-sm align-middle overview-indicators">
            <caption id="ind-caption">{t.plan.indicatorsOverviewCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.plan.code}</th>
                <th scope="col">{t.plan.indicator}</th>
                <th scope="col" className="text-end">
                  {t.plan.latest}
                </th>
                <th scope="col" className="text-end">
                  {t.plan.target}
                </th>
                <th scope="col">{t.plan.progress}</th>
                <th scope="col">{t.plan.state}</th>
              </tr>
            </thead>
            <tbody>
              {indicators.map((i, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: codes may repeat across objectives
                <tr key={`${i.code}-${n}`}>
                  <th scope="row" className="font-monospace fw-semibold">
                    {i.code}
                  </th>
                  <td>
                    {i.name}
                    <div className="small text-secondary">{t.plan.units[i.unit] ?? i.unit}</div>
                  </td>
                  <td className="text-end num">{formatQuantity(i.latest)}</td>
                  <td className="text-end num">
                    {formatQuantity(i.target)}
                    {i.targetYear !== null ? (
                      <div className="small text-secondary">{t.plan.targetYear(i.targetYear)}</div>
                    ) : null}
                  </td>
                  <td className="plan-progress-cell">
                    {i.percent === null ? (
                      t.state.notAvailable
                    ) : (
                      <>
                        <span className="num">{formatPercentValue(i.percent)}</span>
                        <Bar
                          percent={i.percent}
                          className={i.state === 'late' ? 'bg-danger' : 'bg-success'}
                        />
                      </>
                    )}
                  </td>
                  <td>
                    <StateBadge state={i.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
    </section>
  );
}

function LateActions({ actions }: { actions: PlanOverview['lateActions'] }) {
  return (
    <section className="mb-5" aria-labelledby="late-title">
      <h2 id="late-title" className="h3">
        {t.plan.lateTitle}
      </h2>
      {actions.length === 0 ? (
        <p>{t.plan.lateEmpty}</p>
      ) : (
        <ResponsiveTable captionId="late-caption">
          <table className="table table-sm align-middle overview-late">
            <caption id="late-caption">{t.plan.lateCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.plan.code}</th>
                <th scope="col">{t.plan.action}</th>
                <th scope="col">{t.plan.endDate}</th>
                <th scope="col">{t.plan.status}</th>
              </tr>
            </thead>
            <tbody>
              {actions.map((a) => (
                <tr key={a.code}>
                  <th scope="row" className="font-monospace fw-semibold">
                    {a.code}
                  </th>
                  <td>{a.title}</td>
                  <td className="text-nowrap">{formatDate(a.endDate)}</td>
                  <td>{t.plan.actionStatuses[a.status] ?? a.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      )}
    </section>
  );
}

export function PlanOverviewPage() {
  const { id = '' } = useParams();
  const overview = useOverview(id);
  usePageTitle(
    overview.data ? `${t.plan.overviewTitle} — ${overview.data.plan.title}` : t.plan.overviewTitle,
  );

  if (overview.isPending) return <Loading />;
  if (overview.isError) {
    const error = overview.error;
    if (error instanceof ApiError && (error.isNotFound || error.status === 400))
      return <NotFoundPage title={t.plan.notFoundTitle} text={t.plan.notFoundText} />;
    return <ErrorState error={error} heading="h1" onRetry={() => overview.refetch()} />;
  }
  const data = overview.data;
  return (
    <>
      <PageBreadcrumb
        items={[
          { label: t.nav.ambiti, to: '/ambiti' },
          { label: data.plan.title, to: `/piani/${data.plan.id}` },
          { label: t.plan.overviewTitle },
        ]}
      />
      <p className="card-meta d-flex flex-wrap align-items-center gap-2 mb-1">
        <StatusBadge status={data.plan.status} />
        <span>
          {t.plan.period} {data.plan.period}
        </span>
      </p>
      <h1 className="mb-2">{t.plan.overviewTitle}</h1>
      <p className="lead">{t.plan.overviewLead(data.plan.title, formatDate(data.asOf))}</p>
      <p>
        <Link to={`/piani/${data.plan.id}`}>{t.plan.backToPlan}</Link>
      </p>
      <Totals totals={data.totals} />
      <AreasTable areas={data.macroAreas} />
      <IndicatorsTable indicators={data.indicators} />
      <LateActions actions={data.lateActions} />
    </>
  );
}
