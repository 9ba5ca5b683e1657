import { useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { fieldErrors } from '../../../api/client';
import { TextField } from '../../../components/FormField';
import { usePageTitle } from '../../../components/usePageTitle';
import { formatDate, formatMoney } from '../../../format';
import { t } from '../../../i18n';
import { useAmbito } from '../../territory/api';
import { useFunds, usePreviewSplit, useSaveSplit } from '../api';
import { ChoiceField, FinanceForm, NoActsHint, useActOptions } from '../forms/FinanceForm';
import { parseEuro } from '../money';
import {
  CURRENT_YEAR,
  FinanceBreadcrumb,
  type FinanceContext,
  FinanceFrame,
  useNotice,
  useYearParam,
  YearForm,
} from '../parts';
import type { SplitPreview, SplitPreviewBody } from '../types';
import { RuleFields } from './RuleFields';
import { buildRule, initialRule } from './rule';
import { SavedSplits } from './SavedSplits';
import { SplitTable } from './SplitTable';

/** Saves the simulated split with the Assemblea's deliberation that approved it. */
function SaveSplit({
  ambitoId,
  body,
  onSaved,
}: {
  ambitoId: string;
  body: SplitPreviewBody & { fundCode: string; year: number };
  onSaved: (message: string) => void;
}) {
  const [actId, setActId] = useState('');
  const acts = useActOptions(ambitoId, ['delibera_assemblea']);
  const save = useSaveSplit(ambitoId);
  return (
    <FinanceForm
      id="save-split"
      title={t.finance.split.saveTitle}
      className="save-split-form"
      error={save.error}
      pending={save.isPending}
      submit={t.finance.split.save}
      onSubmit={() =>
        save.mutate(
          { ...body, actId },
          { onSuccess: (r) => onSaved(t.finance.split.saved(body.fundCode, formatMoney(r.totalCents))) },
        )
      }
    >
      <ChoiceField
        id="save-split-act"
        label={t.finance.split.deliberation}
        className="col-12"
        options={acts}
        value={actId}
        onChange={(e) => setActId(e.target.value)}
        error={fieldErrors(save.error).actId}
      />
      <NoActsHint show={acts.length === 0} />
    </FinanceForm>
  );
}

function Simulator({ ctx, year }: { ctx: FinanceContext; year: number }) {
  const [fundCode, setFundCode] = useState('');
  const [total, setTotal] = useState('');
  const [rule, setRule] = useState(() => initialRule(year));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<SplitPreviewBody | null>(null);
  const funds = useFunds(ctx.ambitoId).data ?? [];
  const comuni = useAmbito(ctx.ambitoId).data?.comuni ?? [];
  const preview = usePreviewSplit(ctx.ambitoId);
  const notice = useNotice();
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const errors = { ...fieldErrors(preview.error), ...local };

  useEffect(() => {
    if (preview.data) resultHeading.current?.focus();
  }, [preview.data]);

  const onSubmit = () => {
    const built = buildRule(
      rule,
      comuni.map((c) => c.istatCode),
    );
    const totalCents = rule.kind === 'perHead' ? undefined : parseEuro(total);
    const found: Record<string, string> = { ...(built.errors ?? {}) };
    if (totalCents === null) found.totalCents = t.finance.amountInvalid;
    setLocal(found);
    if (!built.rule || totalCents === null) return;
    const body: SplitPreviewBody = {
      rule: built.rule,
      year,
      ...(totalCents !== undefined ? { totalCents } : {}),
      ...(fundCode ? { fundCode } : {}),
    };
    preview.reset();
    preview.mutate(body, { onSuccess: () => setSent(body) });
  };

  const result: SplitPreview | undefined = preview.data;
  return (
    <>
      <FinanceForm
        id="split-form"
        title={t.finance.split.simulateTitle(year)}
        className="split-form"
        error={preview.error}
        localErrors={local}
        pending={preview.isPending}
        submit={t.finance.split.simulate}
        onSubmit={onSubmit}
      >
        <ChoiceField
          id="split-fund"
          label={t.finance.fund}
          hint={t.finance.split.fundHint}
          className="col-md-6"
          options={funds.map((f) => ({ value: f.code, label: `${f.code} — ${f.name}` }))}
          value={fundCode}
          onChange={(e) => setFundCode(e.target.value)}
          error={errors.fundCode}
        />
        {rule.kind === 'perHead' ? null : (
          <TextField
            id="split-total"
            label={t.finance.split.total}
            hint={t.finance.amountHint}
            inputMode="decimal"
            className="col-md-6"
            value={total}
            onChange={(e) => setTotal(e.target.value)}
            error={errors.totalCents}
          />
        )}
        <RuleFields v={rule} set={setRule} errors={errors} comuni={comuni} funds={funds} />
      </FinanceForm>

      {result && sent ? (
        <section className="mb-5 split-result" aria-labelledby="split-result-title">
          <h2 id="split-result-title" className="h3" ref={resultHeading} tabIndex={-1}>
            {t.finance.split.resultTitle}
          </h2>
          <p className="split-check">
            {sent.totalCents === undefined
              ? t.finance.split.perHeadTotal(formatMoney(result.totalCents))
              : t.finance.split.checkTotal(
                  formatMoney(result.totalCents),
                  result.totalCents === sent.totalCents,
                )}
          </p>
          <p className="small text-secondary">
            {t.finance.split.basis(formatDate(result.asOf), result.basis.join('; '))}
          </p>
          <SplitTable
            id="split-result"
            split={result}
            kind={sent.rule.kind}
            caption={t.finance.split.resultCaption(formatMoney(result.totalCents))}
          />
          {ctx.canWrite ? (
            <>
              {notice.node}
              {sent.fundCode ? (
                <SaveSplit
                  ambitoId={ctx.ambitoId}
                  body={{ ...sent, fundCode: sent.fundCode, year }}
                  onSaved={notice.show}
                />
              ) : (
                <p>{t.finance.split.fundToSave}</p>
              )}
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function Splits({ ctx }: { ctx: FinanceContext }) {
  const [asked, setYear] = useYearParam();
  const year = asked ?? CURRENT_YEAR;
  const title = t.finance.split.title;
  usePageTitle(`${title} ${year} — ${ctx.ambitoName}`);
  return (
    <>
      <FinanceBreadcrumb
        ctx={ctx}
        items={[
          { label: t.finance.budgetTitle(year), to: `/ambiti/${ctx.ambitoId}/bilancio?anno=${year}` },
          { label: title },
        ]}
      />
      <h1 className="mb-2">{title}</h1>
      <p className="lead">{t.finance.split.lead}</p>
      <YearForm id="splits" year={year} onApply={(y) => setYear(y)} />
      <Simulator key={year} ctx={ctx} year={year} />
      <SavedSplits ambitoId={ctx.ambitoId} year={year} />
    </>
  );
}

export function SplitPage() {
  const { id = '' } = useParams();
  return <FinanceFrame ambitoId={id}>{(ctx) => <Splits ctx={ctx} />}</FinanceFrame>;
}
