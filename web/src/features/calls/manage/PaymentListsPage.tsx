import { useState } from 'react';
import { useParams } from 'react-router';
import { TextField } from '../../../components/FormField';
import { ErrorState, Loading } from '../../../components/QueryState';
import { ResponsiveTable } from '../../../components/ResponsiveTable';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDate, formatMoney, formatNumber } from '../../../format';
import { t } from '../../../i18n';
import {
  ChoiceField,
  errorsOf,
  FinanceForm,
  NoActsHint,
  type OnDone,
  useActOptions,
  useFields,
} from '../../finance/forms/FinanceForm';
import { canManageCalls, canReadApplications } from '../access';
import { paymentListUrl, useCreatePaymentList, usePaymentLists } from '../api';
import { type CallContext, CallFrame, CallsBreadcrumb, NotYetAvailable, useNotice } from '../parts';
import type { CallView, PaymentListView } from '../types';
import { formatMinute } from '../when';
import { PurposeForm } from './PseudonymisedView';

const p = () => t.calls.payments;

function CreateListForm({ call, onDone }: { call: CallView; onDone: OnDone }) {
  const f = useFields({ period: '', actId: '', executionDate: '', instalments: '1' });
  const acts = useActOptions(call.ambitoId, ['determina_udp']);
  const create = useCreatePaymentList(call.id);
  const field = f.fieldsOf('plist', errorsOf(create.error, {}));
  const onSubmit = () => {
    const v = f.values;
    create.reset();
    create.mutate(
      {
        period: v.period,
        actId: v.actId,
        executionDate: v.executionDate,
        instalments: Number(v.instalments) || 1,
      },
      {
        onSuccess: (list) => {
          onDone(p().created(list.period, formatMoney(list.totalCents), list.lines));
          f.reset();
        },
      },
    );
  };
  return (
    <FinanceForm
      id="payment-list-form"
      title={p().createTitle}
      className="payment-list-form"
      error={create.error}
      pending={create.isPending}
      submit={p().createSubmit}
      onSubmit={onSubmit}
    >
      <TextField
        type="month"
        label={p().period}
        hint={p().periodHint}
        className="col-md-4"
        {...field('period')}
      />
      <TextField type="date" label={p().executionDate} className="col-md-4" {...field('executionDate')} />
      <TextField
        type="number"
        min={1}
        max={12}
        label={p().instalments}
        hint={p().instalmentsHint}
        className="col-md-4"
        {...field('instalments')}
      />
      <ChoiceField
        label={p().act}
        hint={p().actHint}
        className="col-12"
        options={acts}
        {...field('actId', 'act')}
      />
      <NoActsHint show={acts.length === 0} />
    </FinanceForm>
  );
}

/** `purpose` null: an auditor who has not stated why yet, so the files (names, IBAN) are not offered. */
function Lists({
  call,
  items,
  purpose,
}: {
  call: CallView;
  items: PaymentListView[];
  purpose: string | undefined | null;
}) {
  if (items.length === 0) return <p className="calls-empty">{p().none}</p>;
  return (
    <ResponsiveTable captionId="plists-caption">
      <table className="table table-sm align-middle payment-lists">
        <caption id="plists-caption">{p().caption(call.code)}</caption>
        <thead>
          <tr>
            <th scope="col">{p().period}</th>
            <th scope="col">{p().executionDate}</th>
            <th scope="col" className="text-end">
              {p().lines}
            </th>
            <th scope="col" className="text-end">
              {p().total}
            </th>
            <th scope="col">{p().accounts}</th>
            <th scope="col">{p().downloads}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((l) => (
            <tr key={l.id}>
              <th scope="row" className="fw-normal text-nowrap">
                {l.period}
                <div className="small text-secondary">
                  {p().createdBy(l.createdBy, formatMinute(l.createdAt))}
                </div>
              </th>
              <td className="text-nowrap">{formatDate(l.executionDate)}</td>
              <td className="text-end num">{formatNumber(l.lines)}</td>
              <td className="text-end num text-nowrap">{formatMoney(l.totalCents)}</td>
              <td className="small">{p().accountsText(l.commitment, l.payment)}</td>
              <td className="text-nowrap">
                {purpose === null ? <span className="small text-secondary">{p().purposeFirst}</span> : null}
                {(purpose === null ? [] : (['csv', 'xlsx', 'xml'] as const)).map((ext) => (
                  <a
                    key={ext}
                    href={paymentListUrl(call.id, l.id, ext, purpose ?? undefined)}
                    download
                    className="me-3"
                  >
                    {p().formats[ext]}
                    <span className="visually-hidden"> {p().download(l.period)}</span>
                  </a>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

function PaymentLists({ ctx }: { ctx: CallContext }) {
  const { call } = ctx;
  const lists = usePaymentLists(call.id);
  const notice = useNotice();
  const office = canManageCalls(ctx.session, call.ambitoId);
  const [purpose, setPurpose] = useState<string>();
  usePageTitle(`${t.calls.nav.payments} — ${call.title}`);
  return (
    <>
      <CallsBreadcrumb
        ambitoId={call.ambitoId}
        items={[{ label: call.title, to: `/bandi/${call.id}` }, { label: t.calls.nav.payments }]}
      />
      <h1>{t.calls.nav.payments}</h1>
      <p className="lead">{p().lead}</p>
      {lists.isPending ? (
        <Loading />
      ) : lists.isError ? (
        <ErrorState error={lists.error} onRetry={() => lists.refetch()} />
      ) : lists.data === null ? (
        <NotYetAvailable text={p().unavailable} />
      ) : (
        <>
          <Lists call={call} items={lists.data} purpose={office ? undefined : (purpose ?? null)} />
          {office || lists.data.length === 0 ? null : purpose ? (
            <p className="small">{p().purposeStated(purpose)}</p>
          ) : (
            <PurposeForm onPurpose={setPurpose} />
          )}
        </>
      )}
      {office && lists.data !== null ? (
        <section className="my-5" aria-labelledby="plists-manage-title">
          <h2 id="plists-manage-title" className="h3">
            {p().manageTitle}
          </h2>
          {notice.node}
          {call.status === 'final' ? (
            <CreateListForm call={call} onDone={notice.show} />
          ) : (
            <p>{p().notFinal}</p>
          )}
        </section>
      ) : null}
    </>
  );
}

/** /bandi/:callId/liquidazioni: payment lists by period, with their CSV, XLSX and SEPA files. */
export function PaymentListsPage() {
  const { callId = '' } = useParams();
  return (
    <CallFrame callId={callId} allow={(s, call) => canReadApplications(s, call.ambitoId)}>
      {(ctx) => <PaymentLists ctx={ctx} />}
    </CallFrame>
  );
}
