import { useState } from 'react';
import { t } from '../../i18n';
import { ActForm } from './manage/ActForm';
import { ActionForm } from './manage/ActionForm';
import { IndicatorForm } from './manage/IndicatorForm';
import { IndicatorValueForm } from './manage/IndicatorValueForm';
import { ItemList } from './manage/ItemList';
import { Lifecycle } from './manage/Lifecycle';
import { ObjectiveForm } from './manage/ObjectiveForm';
import { TextsEditor } from './manage/TextsEditor';
import type { PlanTree } from './types';

/** The Ufficio di Piano's tools on the plan page: texts, items, values, lifecycle and acts. */
export function PlanManagement({ plan, etag }: { plan: PlanTree; etag: string }) {
  const [notice, setNotice] = useState('');
  return (
    <section className="plan-manage mb-5" aria-labelledby="manage-title">
      <h2 id="manage-title" className="h3">
        {t.plan.manage}
      </h2>
      <p>{t.plan.manageLead}</p>
      <p className="plan-notice fw-semibold" role="status">
        {notice}
      </p>
      {plan.status === 'closed' ? (
        <p>{t.plan.closedNote}</p>
      ) : (
        <>
          <TextsEditor plan={plan} etag={etag} onDone={setNotice} />
          <ItemList plan={plan} onDone={setNotice} />
          <ObjectiveForm plan={plan} onDone={setNotice} />
          <ActionForm plan={plan} onDone={setNotice} />
          <IndicatorForm plan={plan} onDone={setNotice} />
          <IndicatorValueForm plan={plan} onDone={setNotice} />
          <Lifecycle plan={plan} etag={etag} onDone={setNotice} />
          <ActForm ambitoId={plan.ambitoId} onDone={setNotice} />
        </>
      )}
    </section>
  );
}
