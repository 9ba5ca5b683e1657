import { Link } from 'react-router';
import { t } from '../../i18n';
import { ActForm } from '../plan/manage/ActForm';
import { AssignmentForm } from './forms/AssignmentForm';
import { CloseYearForm } from './forms/CloseYearForm';
import { useNotice } from './parts';

/** The Ufficio di Piano's tools on the Bilancio: assign funds, close the year, register acts, import. */
export function BudgetManage({
  ambitoId,
  year,
  closed,
}: {
  ambitoId: string;
  year: number;
  closed: boolean;
}) {
  const notice = useNotice();
  return (
    <section className="finance-manage mb-5" aria-labelledby="budget-manage-title">
      <h2 id="budget-manage-title" className="h3">
        {t.finance.manage}
      </h2>
      <p>{t.finance.manageLead}</p>
      {notice.node}
      {closed ? (
        <p>{t.finance.closedNote(year)}</p>
      ) : (
        <>
          <AssignmentForm ambitoId={ambitoId} year={year} onDone={notice.show} />
          <CloseYearForm ambitoId={ambitoId} year={year} onDone={notice.show} />
        </>
      )}
      {/* Every change cites an act: the registry is shared with the Piano di Zona. */}
      <ActForm ambitoId={ambitoId} onDone={notice.show} />
      <p>
        <Link to={`/ambiti/${ambitoId}/bilancio/importa`}>{t.finance.importTitle}</Link>
      </p>
    </section>
  );
}
