/** Wire types of the /api/v1 territory endpoints. Dates are ISO calendar dates (yyyy-mm-dd). */

export interface ComuneRef {
  istatCode: string;
  name: string;
}

export interface AmbitoSummary {
  id: string;
  code: string;
  name: string;
  capofila: ComuneRef | null;
  ats: string | null;
  asst: string | null;
  district: string | null;
  demo: boolean;
}

export interface AmbitoComune {
  istatCode: string;
  name: string;
  provinceAbbr: string;
  provinceName: string;
  population: number | null;
  populationYear: number | null;
  validFrom: string;
  validTo: string | null;
}

export interface AgeBands {
  age0to17: number;
  age18to64: number;
  age65plus: number;
  age75plus: number;
}

export interface AmbitoTotals {
  comuni: number;
  population: number;
  populationYear: number | null;
  populationDemo: boolean;
  bands: AgeBands | null;
}

export interface AmbitoDetail extends AmbitoSummary {
  /** Reference date of the composition (the server defaults it to today). */
  date?: string;
  comuni: AmbitoComune[];
  history: AmbitoComune[];
  totals: AmbitoTotals;
}

export interface ComuneSearchItem {
  istatCode: string;
  name: string;
  provinceAbbr: string;
  provinceName: string;
  regionName: string;
  /** Null while not yet assigned (a comune just created by a merger). */
  belfiore: string | null;
  legalPopulation: number | null;
  ceasedOn: string | null;
}

export interface ItemsResponse<T> {
  items: T[];
}

/** RFC 9457 problem details, as produced by the server's central error handler. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: Array<{ field: string; reason: string }>;
}
