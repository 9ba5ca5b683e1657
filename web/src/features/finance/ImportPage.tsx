import { Button } from 'design-react-kit';
import { type ChangeEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorState } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { formatMoney, formatNumber } from '../../format';
import { t } from '../../i18n';
import { useImportCsv } from './api';
import { FinanceBreadcrumb, type FinanceContext, FinanceFrame, useNotice } from './parts';
import type { ImportResult } from './types';

function Preview({ result }: { result: ImportResult }) {
  return (
    <>
      <p className="import-counts">
        {t.finance.import.counts(result.counts.commitments, result.counts.payments, result.counts.unchanged)}
      </p>
      {result.errors.length ? (
        <div className="mb-4 import-errors" role="alert">
          <h3 className="h5 text-danger">{t.finance.import.errorsTitle(result.errors.length)}</h3>
          <ul>
            {result.errors.map((e) => (
              <li key={`${e.line}-${e.field}-${e.reason}`}>
                {t.finance.import.errorText(e.line, e.field, e.reason)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result.changes.length ? (
        <ResponsiveTable captionId="import-caption">
          <table className="table table-sm align-middle import-preview">
            <caption id="import-caption">{t.finance.import.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.finance.import.line}</th>
                <th scope="col">{t.finance.import.kind}</th>
                <th scope="col">{t.finance.number}</th>
                <th scope="col">{t.finance.import.target}</th>
                <th scope="col" className="text-end">
                  {t.finance.amountShort}
                </th>
                <th scope="col">{t.finance.import.action}</th>
              </tr>
            </thead>
            <tbody>
              {result.changes.map((c) => (
                <tr key={`${c.line}-${c.kind}-${c.number}`}>
                  <th scope="row" className="num fw-normal">
                    {formatNumber(c.line)}
                  </th>
                  <td>{t.finance.import.kinds[c.kind]}</td>
                  <td className="font-monospace">
                    {c.number}/{c.year}
                  </td>
                  <td className="font-monospace">
                    {c.kind === 'liquidazione' && c.commitment
                      ? t.finance.import.ofCommitment(c.commitment)
                      : t.finance.import.ofLine(c.budgetLine)}
                  </td>
                  <td className="text-end num text-nowrap">{formatMoney(c.amountCents)}</td>
                  <td>{t.finance.import.actions[c.action]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ResponsiveTable>
      ) : null}
    </>
  );
}

function Import({ ctx }: { ctx: FinanceContext }) {
  const [csv, setCsv] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const check = useImportCsv(ctx.ambitoId);
  const apply = useImportCsv(ctx.ambitoId);
  const notice = useNotice();
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const title = t.finance.importTitle;
  usePageTitle(`${title} — ${ctx.ambitoName}`);

  useEffect(() => {
    if (preview) previewHeading.current?.focus();
  }, [preview]);

  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    setPreview(null);
    check.reset();
    apply.reset();
    setCsv(e.target.files?.[0] ?? null);
  };
  const onCheck = (e: FormEvent) => {
    e.preventDefault();
    if (!csv) return;
    setPreview(null);
    check.mutate({ csv, dryRun: true }, { onSuccess: setPreview });
  };
  const onApply = () => {
    if (!csv) return;
    apply.mutate(
      { csv, dryRun: false },
      {
        onSuccess: (r) => {
          setPreview(null);
          setCsv(null);
          if (fileInput.current) fileInput.current.value = '';
          notice.show(t.finance.import.done(r.counts.commitments, r.counts.payments));
        },
      },
    );
  };
  const inserts = preview?.changes.filter((c) => c.action === 'insert').length ?? 0;

  return (
    <>
      <FinanceBreadcrumb
        ctx={ctx}
        items={[{ label: t.finance.nav.budget, to: `/ambiti/${ctx.ambitoId}/bilancio` }, { label: title }]}
      />
      <h1 className="mb-2">{title}</h1>
      <p className="lead">{t.finance.import.lead}</p>
      <details className="mb-4">
        <summary>{t.finance.import.formatTitle}</summary>
        <p className="mt-2">{t.finance.import.formatText}</p>
        <pre className="import-header small">{t.finance.import.header}</pre>
      </details>
      {notice.node}
      <form className="row align-items-end import-form mb-4" onSubmit={onCheck} noValidate>
        <div className="col-md-8 mb-3">
          <label htmlFor="import-file" className="form-label d-block">
            {t.finance.import.file}
          </label>
          <input
            id="import-file"
            ref={fileInput}
            type="file"
            accept=".csv,text/csv"
            className="form-control"
            aria-describedby="import-file-hint"
            onChange={onFile}
          />
          <small id="import-file-hint" className="form-text">
            {csv ? t.finance.import.chosen(csv.name) : t.finance.import.fileHint}
          </small>
        </div>
        <div className="col-md-4 mb-3">
          <Button type="submit" color="primary" size="sm" disabled={!csv || check.isPending}>
            {t.finance.import.check}
          </Button>
        </div>
      </form>
      {check.isError ? <ErrorState error={check.error} title={t.finance.import.failed} /> : null}
      {preview ? (
        <section className="mb-5" aria-labelledby="import-preview-title">
          <h2 id="import-preview-title" className="h3" ref={previewHeading} tabIndex={-1}>
            {t.finance.import.previewTitle}
          </h2>
          <Preview result={preview} />
          {apply.isError ? <ErrorState error={apply.error} title={t.finance.import.failed} /> : null}
          {preview.errors.length ? (
            <p>{t.finance.import.fixFirst}</p>
          ) : inserts === 0 ? (
            <p>{t.finance.import.nothingNew}</p>
          ) : (
            <Button color="primary" onClick={onApply} disabled={apply.isPending}>
              {t.finance.import.confirm}
            </Button>
          )}
        </section>
      ) : null}
      <p>
        <Link to={`/ambiti/${ctx.ambitoId}/bilancio/rendiconto`}>{t.finance.reportTitle}</Link>
      </p>
    </>
  );
}

export function ImportPage() {
  const { id = '' } = useParams();
  return (
    <FinanceFrame ambitoId={id} write>
      {(ctx) => <Import ctx={ctx} />}
    </FinanceFrame>
  );
}
