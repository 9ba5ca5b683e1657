import type { AmbitoTotals } from '../../api/types';
import { DemoBadge } from '../../components/DemoBadge';
import { formatNumber, formatPercent } from '../../format';
import { t } from '../../i18n';

const BANDS = ['age0to17', 'age18to64', 'age65plus', 'age75plus'] as const;

/** Residents by age band; 75+ is a subset of 65+, so shares are of the three disjoint bands. */
export function AgeBandsCard({ totals }: { totals: AmbitoTotals }) {
  const { bands, populationYear, populationDemo } = totals;
  const whole = bands ? bands.age0to17 + bands.age18to64 + bands.age65plus : 0;

  return (
    <section className="it-card rounded shadow-sm border" aria-labelledby="bands-title">
      <h2 id="bands-title" className="it-card-title h4">
        {t.ambito.bandsTitle}
      </h2>
      <div className="it-card-body">
        {bands && whole > 0 ? (
          <>
            <p className="d-flex flex-wrap align-items-center gap-2 mb-2 card-meta">
              {populationYear !== null ? <span>{t.ambito.bandsYear(populationYear)}</span> : null}
              {populationDemo ? <DemoBadge label={t.demo.badge} /> : null}
            </p>
            <table className="table table-sm mb-2 bands-table">
              <caption className="visually-hidden">{t.ambito.bandsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.ambito.band}</th>
                  <th scope="col" className="text-end">
                    {t.ambito.residents}
                  </th>
                  <th scope="col" className="text-end">
                    {t.ambito.share}
                  </th>
                </tr>
              </thead>
              <tbody>
                {BANDS.map((key) => {
                  const share = bands[key] / whole;
                  return (
                    <tr key={key} className={key === 'age75plus' ? 'band-subset' : undefined}>
                      <th scope="row" className="fw-normal">
                        {t.ambito.bands[key]}
                        <div className="progress band-bar" aria-hidden="true">
                          <div
                            className="progress-bar bg-primary"
                            style={{ width: `${(share * 100).toFixed(1)}%` }}
                          />
                        </div>
                      </th>
                      <td className="text-end num">{formatNumber(bands[key])}</td>
                      <td className="text-end num">{formatPercent(share)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {populationDemo ? <p className="small text-secondary mb-0">{t.demo.populationNoteLong}</p> : null}
          </>
        ) : (
          <p className="mb-0">{t.ambito.bandsMissing}</p>
        )}
      </div>
    </section>
  );
}
