import { Input } from 'design-react-kit';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ComuneSearchItem } from '../../api/types';
import { ErrorState } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { useDebouncedValue } from '../../components/useDebouncedValue';
import { usePageTitle } from '../../components/usePageTitle';
import { formatDate } from '../../format';
import { t } from '../../i18n';
import { COMUNI_MIN_QUERY, COMUNI_SEARCH_LIMIT, useComuniSearch } from './api';
import { Population } from './ComuniTable';

const DEBOUNCE_MS = 300;

function ResultsTable({ query, items }: { query: string; items: ComuneSearchItem[] }) {
  return (
    <ResponsiveTable captionId="results-caption">
      <table className="table table-hover align-middle">
        <caption id="results-caption">{t.comuni.resultsCaption(query)}</caption>
        <thead>
          <tr>
            <th scope="col">{t.comuni.istat}</th>
            <th scope="col">{t.comuni.name}</th>
            <th scope="col">{t.comuni.province}</th>
            <th scope="col">{t.comuni.region}</th>
            <th scope="col">{t.comuni.belfiore}</th>
            <th scope="col" className="text-end">
              {t.comuni.legalPopulation}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.istatCode}>
              <td className="font-monospace">{c.istatCode}</td>
              <th scope="row" className="fw-semibold">
                {c.name}
                {c.ceasedOn ? (
                  <span className="badge bg-secondary ms-2" title={t.comuni.ceasedOn(formatDate(c.ceasedOn))}>
                    {t.comuni.ceased}
                    <span className="visually-hidden"> ({t.comuni.ceasedOn(formatDate(c.ceasedOn))})</span>
                  </span>
                ) : null}
              </th>
              <td>
                <abbr title={c.provinceName}>{c.provinceAbbr}</abbr>
              </td>
              <td>{c.regionName}</td>
              {c.belfiore ? (
                <td className="font-monospace">{c.belfiore}</td>
              ) : (
                <td className="text-muted fst-italic">{t.comuni.belfioreNotAssigned}</td>
              )}
              <td className="text-end num">
                <Population value={c.legalPopulation} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

export function ComuniSearchPage() {
  usePageTitle(t.comuni.title);
  // The query lives in the URL so a search can be bookmarked and survives back/forward.
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(() => params.get('q') ?? '');
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const search = useComuniSearch(query);
  const active = query.length >= COMUNI_MIN_QUERY;

  useEffect(() => {
    if ((params.get('q') ?? '') !== query) setParams(query ? { q: query } : {}, { replace: true });
  }, [query, params, setParams]);

  let status = '';
  if (!active) status = t.comuni.minChars;
  else if (search.isFetching) status = t.state.loading;
  else if (search.data) status = t.comuni.resultsCount(search.data.length, COMUNI_SEARCH_LIMIT);

  return (
    <>
      <h1>{t.comuni.title}</h1>
      <p className="lead mb-4">{t.comuni.lead}</p>
      <search className="d-block">
        <form className="row mt-5 search-form" onSubmit={(e) => e.preventDefault()}>
          <div className="col-lg-8">
            <Input
              id="comuni-search"
              type="search"
              label={t.comuni.searchLabel}
              infoText={t.comuni.searchHint}
              placeholder={t.comuni.searchPlaceholder}
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
        </form>
      </search>
      <p className="search-status" role="status" aria-live="polite">
        {status}
      </p>
      {active && search.isError ? <ErrorState error={search.error} onRetry={() => search.refetch()} /> : null}
      {active && search.data && search.data.length > 0 ? (
        <ResultsTable query={query} items={search.data} />
      ) : null}
    </>
  );
}
