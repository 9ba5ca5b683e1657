import { Link, useParams } from 'react-router';
import { ApiError, apiUrl } from '../../api/client';
import { NotFoundPage } from '../../components/NotFoundPage';
import { PageBreadcrumb } from '../../components/PageBreadcrumb';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate, formatMoney } from '../../format';
import { t } from '../../i18n';
import { useSession } from '../identity/api';
import type { SessionView } from '../identity/types';
import { usePlan } from './api';
import { PlanManagement } from './PlanManagement';
import { PlanVersions } from './PlanVersions';
import {
  actText,
  Bar,
  formatPercentValue,
  formatQuantity,
  indicatorSummary,
  StatusBadge,
  validityText,
} from './parts';
import type { ActionView, IndicatorView, ObjectiveView, PlanTree, RewardProjectView } from './types';

/** Whether this session belongs to the Ufficio di Piano of the plan's Ambito. */
export function canEditPlan(session: SessionView | null | undefined, plan: PlanTree): boolean {
  return !!session?.roles.some((r) => r.role === 'ufficio_di_piano' && r.ambitoId === plan.ambitoId);
}

function Paragraphs({ text }: { text: string }) {
  const parts = text.split(/\n{2,}/).filter((p) => p.trim());
  if (parts.length === 0) return <p className="text-secondary">{t.plan.empty}</p>;
  return (
    <>
      {parts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a static text
        <p key={i} className="plan-text">
          {p}
        </p>
      ))}
    </>
  );
}

function ActionsTable({ code, actions }: { code: string; actions: ActionView[] }) {
  if (actions.length === 0) return <p className="text-secondary">{t.plan.noActions}</p>;
  const captionId = `actions-${code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <ResponsiveTable captionId={captionId}>
      <table className="table table-sm align-middle plan-actions">
        <caption id={captionId}>{t.plan.actionsCaption(code)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.plan.code}</th>
            <th scope="col">{t.plan.action}</th>
            <th scope="col">{t.plan.responsible}</th>
            <th scope="col">{t.plan.dates}</th>
            <th scope="col">{t.plan.status}</th>
            <th scope="col" className="text-end">
              {t.plan.resources}
            </th>
          </tr>
        </thead>
        <tbody>
          {actions.map((a) => (
            <tr key={a.id}>
              <th scope="row" className="font-monospace fw-semibold">
                {a.code}
              </th>
              <td>
                {a.title}
                {a.partners.length ? (
                  <div className="small text-secondary">{a.partners.join(', ')}</div>
                ) : null}
              </td>
              <td>{a.responsible}</td>
              <td className="text-nowrap">
                {formatDate(a.startDate)} – {formatDate(a.endDate)}
              </td>
              <td>{t.plan.actionStatuses[a.status]}</td>
              <td className="text-end num">
                {a.resources.length === 0 ? (
                  <span className="text-secondary">{t.plan.noResources}</span>
                ) : (
                  <ul className="list-unstyled mb-0">
                    {a.resources.map((r) => (
                      <li key={r.fund}>
                        {r.fund}: <span className="text-nowrap">{formatMoney(r.amountCents)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

/** Every indicator of a general objective: its own, its specific objectives' and their actions'. */
function objectiveIndicators(o: ObjectiveView): IndicatorView[] {
  return [
    ...o.indicators,
    ...o.specific.flatMap((s) => [...s.indicators, ...s.actions.flatMap((a) => a.indicators)]),
  ];
}

function IndicatorsTable({ code, indicators }: { code: string; indicators: IndicatorView[] }) {
  if (indicators.length === 0) return null;
  const captionId = `indicators-${code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <ResponsiveTable captionId={captionId}>
      <table className="table table-sm align-middle plan-indicators">
        <caption id={captionId}>{t.plan.indicatorsCaption(code)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.plan.code}</th>
            <th scope="col">{t.plan.indicator}</th>
            <th scope="col" className="text-end">
              {t.plan.baseline}
            </th>
            <th scope="col" className="text-end">
              {t.plan.latest}
            </th>
            <th scope="col" className="text-end">
              {t.plan.target}
            </th>
            <th scope="col">{t.plan.progress}</th>
          </tr>
        </thead>
        <tbody>
          {indicators.map((ind) => {
            const { target, latest, percent } = indicatorSummary(ind);
            return (
              <tr key={ind.id}>
                <th scope="row" className="font-monospace fw-semibold">
                  {ind.code}
                </th>
                <td>
                  {ind.name}
                  <div className="small text-secondary">
                    {t.plan.indicatorKinds[ind.kind]} · {t.plan.units[ind.unit]}
                  </div>
                </td>
                <td className="text-end num">{formatQuantity(ind.baseline)}</td>
                <td className="text-end num">
                  {latest ? (
                    <>
                      {formatQuantity(latest.value)}
                      <div className="small text-secondary">{formatDate(latest.measuredOn)}</div>
                    </>
                  ) : (
                    t.state.notAvailable
                  )}
                </td>
                <td className="text-end num">
                  {target ? (
                    <>
                      {formatQuantity(target.target)}
                      <div className="small text-secondary">{t.plan.targetYear(target.year)}</div>
                    </>
                  ) : (
                    t.state.notAvailable
                  )}
                </td>
                <td className="plan-progress-cell">
                  {percent === null ? (
                    t.state.notAvailable
                  ) : (
                    <>
                      <span className="num">{formatPercentValue(percent)}</span>
                      <Bar percent={percent} className={percent >= 100 ? 'bg-success' : 'bg-primary'} />
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

function Objective({ o }: { o: ObjectiveView }) {
  return (
    <article className="plan-objective mb-5" aria-labelledby={`obj-${o.id}`}>
      <h3 id={`obj-${o.id}`} className="h4">
        <span className="font-monospace">{o.code}</span> — {o.title}
      </h3>
      <dl className="plan-meta row small mb-3">
        <dt className="col-sm-3">{t.plan.kind}</dt>
        <dd className="col-sm-9">{t.plan.kinds[o.kind]}</dd>
        <dt className="col-sm-3">{t.plan.macroArea}</dt>
        <dd className="col-sm-9">
          {o.macroArea ? `${o.macroArea.code} — ${o.macroArea.name}` : t.plan.macroAreaNone}
        </dd>
        {o.leps.length ? (
          <>
            <dt className="col-sm-3">{t.plan.leps}</dt>
            <dd className="col-sm-9">{o.leps.join(', ')}</dd>
          </>
        ) : null}
        {o.needs ? (
          <>
            <dt className="col-sm-3">{t.plan.needs}</dt>
            <dd className="col-sm-9">{o.needs}</dd>
          </>
        ) : null}
      </dl>
      {o.specific.length === 0 ? <p className="text-secondary">{t.plan.noSpecific}</p> : null}
      {o.specific.map((s) => (
        <section key={s.id} className="plan-specific ms-lg-3 mb-3" aria-labelledby={`spec-${s.id}`}>
          <h4 id={`spec-${s.id}`} className="h5">
            <span className="visually-hidden">{t.plan.specific} </span>
            <span className="font-monospace">{s.code}</span> — {s.title}
          </h4>
          {s.needs ? <p className="small">{s.needs}</p> : null}
          <ActionsTable code={s.code} actions={s.actions} />
        </section>
      ))}
      <IndicatorsTable code={o.code} indicators={objectiveIndicators(o)} />
    </article>
  );
}

function RewardProjects({ projects }: { projects: RewardProjectView[] }) {
  if (projects.length === 0) return null;
  return (
    <section className="mb-5" aria-labelledby="reward-title">
      <h2 id="reward-title" className="h3">
        {t.plan.reward}
      </h2>
      <ResponsiveTable captionId="reward-caption">
        <table className="table table-sm align-middle plan-reward">
          <caption id="reward-caption">{t.plan.rewardCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.plan.title}</th>
              <th scope="col">{t.plan.partners}</th>
              <th scope="col">{t.plan.objectives}</th>
              <th scope="col">{t.plan.check}</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((p) => (
              <tr key={p.id}>
                <th scope="row" className="fw-normal">
                  {p.title}
                </th>
                <td>{p.partnerAmbiti.join(', ')}</td>
                <td className="font-monospace">{p.objectiveCodes.join(', ')}</td>
                <td>
                  <span className={`badge ${p.check.ok ? 'bg-success' : 'bg-danger'}`}>
                    {p.check.ok ? t.plan.checkOk : t.plan.checkKo}
                  </span>
                  {p.check.failures.length ? (
                    <ul className="small mb-0 mt-1">
                      {p.check.failures.map((f) => (
                        <li key={f.rule}>{f.message}</li>
                      ))}
                    </ul>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ResponsiveTable>
    </section>
  );
}

function PlanView({ plan, etag }: { plan: PlanTree; etag: string }) {
  const session = useSession();
  const editable = canEditPlan(session.data, plan);
  return (
    <>
      <PageBreadcrumb
        items={[
          { label: t.nav.ambiti, to: '/ambiti' },
          { label: plan.ambitoName, to: `/ambiti/${plan.ambitoId}` },
          { label: plan.title },
        ]}
      />
      <p className="card-meta d-flex flex-wrap align-items-center gap-2 mb-1">
        <StatusBadge status={plan.status} />
        <span>
          {t.plan.period} {plan.period} · {t.plan.editionN(plan.edition)}
        </span>
      </p>
      <h1 className="mb-2">{plan.title}</h1>
      <p className="lead mb-3">{validityText(plan)}</p>
      {plan.approvalAct || plan.extensionAct ? (
        <dl className="plan-acts row small">
          {plan.approvalAct ? (
            <>
              <dt className="col-sm-3">{t.plan.approvalAct}</dt>
              <dd className="col-sm-9">{actText(plan.approvalAct)}</dd>
            </>
          ) : null}
          {plan.extensionAct ? (
            <>
              <dt className="col-sm-3">{t.plan.extensionAct}</dt>
              <dd className="col-sm-9">{actText(plan.extensionAct)}</dd>
            </>
          ) : null}
        </dl>
      ) : null}

      <div className="d-flex flex-wrap gap-2 mb-4 plan-links">
        <Link className="btn btn-primary btn-sm" to={`/piani/${plan.id}/sintesi`}>
          {t.plan.overviewLink}
        </Link>
        <a className="btn btn-outline-primary btn-sm" href={apiUrl(`/plans/${plan.id}/document.pdf`)}>
          {t.plan.pdf}
        </a>
        <a className="btn btn-outline-primary btn-sm" href={apiUrl(`/plans/${plan.id}/document.xlsx`)}>
          {t.plan.xlsx}
        </a>
      </div>

      <nav aria-label={t.plan.contents} className="mb-4">
        <ul className="list-inline plan-contents">
          <li className="list-inline-item">
            <a href="#governance-title">{t.plan.governance}</a>
          </li>
          <li className="list-inline-item">
            <a href="#objectives-title">{t.plan.objectives}</a>
          </li>
          <li className="list-inline-item">
            <a href="#methodology-title">{t.plan.methodology}</a>
          </li>
          <li className="list-inline-item">
            <a href="#versions-title">{t.plan.versions}</a>
          </li>
          {editable ? (
            <li className="list-inline-item">
              <a href="#manage-title">{t.plan.manage}</a>
            </li>
          ) : null}
        </ul>
      </nav>

      <section className="mb-5" aria-labelledby="governance-title">
        <h2 id="governance-title" className="h3">
          {t.plan.governance}
        </h2>
        <Paragraphs text={plan.governance} />
      </section>

      <section className="mb-5" aria-labelledby="objectives-title">
        <h2 id="objectives-title" className="h3">
          {t.plan.objectives}
        </h2>
        {plan.objectives.length === 0 ? <p>{t.plan.noObjectives}</p> : null}
        {plan.objectives.map((o) => (
          <Objective key={o.id} o={o} />
        ))}
      </section>

      <section className="mb-5" aria-labelledby="methodology-title">
        <h2 id="methodology-title" className="h3">
          {t.plan.methodology}
        </h2>
        <Paragraphs text={plan.methodology} />
      </section>

      <RewardProjects projects={plan.rewardProjects} />

      <PlanVersions planId={plan.id} />

      {editable && session.data ? <PlanManagement plan={plan} etag={etag} /> : null}
    </>
  );
}

export function PlanPage() {
  const { id = '' } = useParams();
  const query = usePlan(id);
  usePageTitle(query.data?.plan.title);

  if (query.isPending) return <Loading />;
  if (query.isError) {
    const error = query.error;
    if (error instanceof ApiError && (error.isNotFound || error.status === 400))
      return <NotFoundPage title={t.plan.notFoundTitle} text={t.plan.notFoundText} />;
    return <ErrorState error={error} heading="h1" onRetry={() => query.refetch()} />;
  }
  return <PlanView plan={query.data.plan} etag={query.data.etag} />;
}
