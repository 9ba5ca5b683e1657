import type { AmbitoComune, AmbitoTotals } from '../../api/types';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { formatDate, formatNumber } from '../../format';
import { t } from '../../i18n';

export function Population({ value }: { value: number | null }) {
  if (value === null) return <abbr title="non disponibile">{t.state.notAvailable}</abbr>;
  return formatNumber(value);
}

export function ProvinceAbbr({ comune }: { comune: Pick<AmbitoComune, 'provinceAbbr' | 'provinceName'> }) {
  return <abbr title={comune.provinceName}>{comune.provinceAbbr}</abbr>;
}

interface ComuniTableProps {
  ambitoName: string;
  date?: string | undefined;
  comuni: AmbitoComune[];
  totals: AmbitoTotals;
}

export function ComuniTable({ ambitoName, date, comuni, totals }: ComuniTableProps) {
  if (comuni.length === 0) return <p>{t.ambito.comuniEmpty}</p>;
  const sorted = [...comuni].sort((a, b) => a.name.localeCompare(b.name, 'it'));
  return (
    <ResponsiveTable captionId="comuni-caption">
      <table className="table table-hover align-middle comuni-table">
        <caption id="comuni-caption">
          {t.ambito.comuniCaption(ambitoName, date ? formatDate(date) : undefined)}
          {totals.populationYear !== null ? `. ${t.ambito.populationYear(totals.populationYear)}` : ''}
          {totals.populationDemo ? ` (${t.demo.populationNote})` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t.ambito.istat}</th>
            <th scope="col">{t.ambito.comune}</th>
            <th scope="col">{t.ambito.province}</th>
            <th scope="col" className="text-end">
              {t.ambito.population}
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((c) => (
            <tr key={`${c.istatCode}-${c.validFrom}`}>
              <td className="font-monospace">{c.istatCode}</td>
              <th scope="row" className="fw-semibold">
                {c.name}
              </th>
              <td>
                <ProvinceAbbr comune={c} />
              </td>
              <td className="text-end num">
                <Population value={c.population} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="totals-row">
            <th scope="row">{t.ambito.totals}</th>
            <td colSpan={2}>{t.ambito.totalComuni(totals.comuni)}</td>
            <td className="text-end num">{formatNumber(totals.population)}</td>
          </tr>
        </tfoot>
      </table>
    </ResponsiveTable>
  );
}
