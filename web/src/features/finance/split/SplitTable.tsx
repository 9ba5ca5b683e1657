import { ResponsiveTable } from '../../../components/ResponsiveTable';
import { formatMoney, formatNumber } from '../../../format';
import { t } from '../../../i18n';
import { formatExactCents } from '../money';
import { MoneyCell } from '../parts';
import type { SplitPreview, SplitRule } from '../types';

/** What the "dato" of a line is: residents, euro spent, or a weight; none for a mix. */
function figureText(kind: SplitRule['kind'], figure: number | null): string {
  if (figure === null) return t.state.notAvailable;
  return kind === 'historical' ? formatMoney(figure) : formatNumber(figure);
}

/**
 * Every Comune's share, its exact value before rounding and last year's, with a total row: the
 * shares always add up to the total to the cent.
 */
export function SplitTable({
  id,
  split,
  kind,
  caption,
}: {
  id: string;
  split: SplitPreview;
  kind: SplitRule['kind'];
  caption: string;
}) {
  const hasPrevious = split.lines.some((l) => l.previousCents !== null);
  const sum = split.lines.reduce((s, l) => s + l.amountCents, 0);
  const previous = split.lines.reduce((s, l) => s + (l.previousCents ?? 0), 0);
  const figures = split.lines.reduce((s, l) => s + (l.figure ?? 0), 0);
  const hasFigures = split.lines.some((l) => l.figure !== null);
  const difference = (amount: number, before: number | null) =>
    before === null
      ? t.state.notAvailable
      : `${amount - before > 0 ? '+' : ''}${formatMoney(amount - before)}`;
  return (
    <ResponsiveTable captionId={`${id}-caption`}>
      <table className="table table-sm align-middle split-table">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.finance.comune}</th>
            <th scope="col" className="text-end">
              {t.finance.split.figures[kind]}
            </th>
            <th scope="col" className="text-end">
              {t.finance.split.amount}
            </th>
            <th scope="col" className="text-end">
              {t.finance.split.exact}
            </th>
            <th scope="col" className="text-end">
              {t.finance.split.previous}
            </th>
            <th scope="col" className="text-end">
              {t.finance.split.difference}
            </th>
          </tr>
        </thead>
        <tbody>
          {split.lines.map((l) => (
            <tr key={l.istatCode}>
              <th scope="row" className="fw-normal">
                {l.name}
              </th>
              <td className="text-end num">{figureText(kind, l.figure)}</td>
              <MoneyCell cents={l.amountCents} />
              <td className="text-end num text-secondary">{formatExactCents(l.exactCents)}</td>
              <td className="text-end num">
                {l.previousCents === null ? t.state.notAvailable : formatMoney(l.previousCents)}
              </td>
              <td className="text-end num text-nowrap">{difference(l.amountCents, l.previousCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="split-total">
            <th scope="row">{t.finance.total}</th>
            <td className="text-end num fw-semibold">{hasFigures ? figureText(kind, figures) : ''}</td>
            <MoneyCell cents={sum} strong />
            <td />
            <td className="text-end num fw-semibold">
              {hasPrevious ? formatMoney(previous) : t.state.notAvailable}
            </td>
            <td className="text-end num fw-semibold text-nowrap">
              {hasPrevious ? difference(sum, previous) : ''}
            </td>
          </tr>
        </tfoot>
      </table>
    </ResponsiveTable>
  );
}
