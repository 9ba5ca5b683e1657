import type { Intervention, UserArea } from '../../db/types.js';
import type { SplitRule } from './split.schemas.js';

export type LineSpec = [
  code: string,
  action: string,
  area: UserArea,
  intervention: Intervention,
  euro: number,
];
export interface FundSpec {
  fund: string;
  /** Euro; null for the Comuni's quota capitaria, whose total follows from the split. */
  euro: number | null;
  from: string;
  lines: LineSpec[];
  split?: SplitRule;
}
export interface BudgetSpec {
  code: string;
  year: number;
  assemblea: string;
  funds: FundSpec[];
  /** Who runs the services paid by a fund; Comuni are paid directly otherwise. */
  providers: Record<string, string>;
  /** Shares of each commitment paid in the year (the rest stays to pay), in tenths. */
  paidTenths: number;
  /** The ISTAT figures commitments are spread by. */
  populationDate: string;
  fte: Array<[istat: string, hundredths: number]>;
  close?: boolean;
}

/**
 * Demo budgets (seeds 000 and 002): Monza 2022, about 5.4 million euro, on the Ambito's
 * 2021-2023 plan, closed with its residui carried to 2023; Sesto San Giovanni 2025, about
 * 4 million, on its draft 2025-2027 plan. Amounts, acts and payees are invented (demo).
 */
export const BUDGETS: BudgetSpec[] = [
  {
    code: 'monza',
    year: 2022,
    assemblea: 'Assemblea dei Sindaci dell’Ambito di Monza',
    paidTenths: 9,
    populationDate: '2022-01-01',
    close: true,
    providers: {
      FNA: 'Beneficiari Misura B2 – elenchi 2022',
      FSR: 'Enti gestori delle unità d’offerta sociali',
      PNRR_M5C2: 'Consorzio Comunità Brianza',
      DOPO_DI_NOI: 'Cooperativa sociale Il Brugo',
    },
    fte: [
      ['108033', 2150],
      ['108012', 600],
      ['108049', 250],
    ],
    funds: [
      {
        fund: 'FNPS',
        euro: 1_152_000,
        from: 'Regione Lombardia',
        split: { kind: 'population', referenceDate: '2022-01-01' },
        lines: [
          ['FNPS-01', 'A1.1', 'famiglia_minori', 'presa_in_carico', 420_000],
          ['FNPS-02', 'A1.2', 'famiglia_minori', 'diurni', 215_000],
          ['FNPS-03', 'A4.1', 'poverta_esclusione', 'accesso', 310_000],
          ['FNPS-04', 'A2.2', 'disabilita_non_autosufficienza', 'domiciliare', 180_000],
        ],
      },
      {
        fund: 'FNA',
        euro: 1_318_000,
        from: 'Regione Lombardia',
        split: {
          kind: 'mix',
          components: [
            { weight: 70, rule: { kind: 'population', referenceDate: '2022-01-01', ageFrom: 65 } },
            {
              weight: 30,
              rule: {
                kind: 'fixed',
                shares: [
                  { istatCode: '108033', weight: 60 },
                  { istatCode: '108012', weight: 25 },
                  { istatCode: '108049', weight: 15 },
                ],
              },
            },
          ],
        },
        lines: [
          ['FNA-01', 'A2.1', 'disabilita_non_autosufficienza', 'domiciliare', 980_000],
          ['FNA-02', 'A2.2', 'disabilita_non_autosufficienza', 'domiciliare', 300_000],
        ],
      },
      {
        fund: 'FPOV',
        euro: 862_500,
        from: 'Ministero del Lavoro e delle Politiche Sociali',
        lines: [
          ['FPOV-01', 'A4.1', 'poverta_esclusione', 'presa_in_carico', 520_000],
          ['FPOV-02', 'A4.2', 'poverta_esclusione', 'inclusione', 320_000],
        ],
      },
      {
        fund: 'DOPO_DI_NOI',
        euro: 214_300,
        from: 'Regione Lombardia',
        split: { kind: 'population', referenceDate: '2022-01-01', ageFrom: 18, ageTo: 64 },
        lines: [['DDN-01', 'A3.1', 'disabilita_non_autosufficienza', 'residenziali', 200_000]],
      },
      {
        fund: 'FSR',
        euro: 781_200,
        from: 'Regione Lombardia',
        lines: [
          ['FSR-01', 'A1.2', 'famiglia_minori', 'diurni', 350_000],
          ['FSR-02', 'A2.2', 'disabilita_non_autosufficienza', 'diurni', 400_000],
        ],
      },
      {
        fund: 'PNRR_M5C2',
        euro: 245_000,
        from: 'Ministero del Lavoro e delle Politiche Sociali',
        lines: [['PNRR-01', 'A5.1', 'poverta_esclusione', 'residenziali', 245_000]],
      },
      {
        fund: 'COMUNI',
        euro: null,
        from: 'Comuni dell’Ambito',
        split: { kind: 'perHead', referenceDate: '2022-01-01', centsPerInhabitant: 500 },
        lines: [
          ['COM-01', 'A1.1', 'famiglia_minori', 'presa_in_carico', 500_000],
          ['COM-02', 'A4.1', 'poverta_esclusione', 'accesso', 300_000],
        ],
      },
    ],
  },
  {
    code: 'sesto-san-giovanni',
    year: 2025,
    assemblea: 'Assemblea dei Sindaci dell’Ambito di Sesto San Giovanni',
    paidTenths: 6,
    populationDate: '2024-01-01',
    providers: {
      FNA: 'ASST Nord Milano – équipe dimissioni protette',
      FSE_PLUS: 'Consorzio Sistema Imprese Sociali',
      DOPO_DI_NOI: 'Fondazione Dopo di Noi Nord Milano',
    },
    fte: [
      ['015209', 1800],
      ['015081', 950],
    ],
    funds: [
      {
        fund: 'FNPS',
        euro: 1_050_000,
        from: 'Regione Lombardia',
        split: { kind: 'population', referenceDate: '2024-01-01' },
        lines: [
          ['FNPS-01', 'A1.1.1', 'poverta_esclusione', 'accesso', 300_000],
          ['FNPS-02', 'A3.1.1', 'famiglia_minori', 'presa_in_carico', 560_000],
        ],
      },
      {
        fund: 'FNA',
        euro: 1_100_000,
        from: 'Regione Lombardia',
        lines: [['FNA-01', 'A2.1.1', 'disabilita_non_autosufficienza', 'domiciliare', 1_050_000]],
      },
      {
        fund: 'FPOV',
        euro: 720_000,
        from: 'Ministero del Lavoro e delle Politiche Sociali',
        lines: [
          ['FPOV-01', 'A1.1.2', 'poverta_esclusione', 'presa_in_carico', 140_000],
          ['FPOV-02', 'A4.1.1', 'poverta_esclusione', 'accesso', 560_000],
        ],
      },
      {
        fund: 'DOPO_DI_NOI',
        euro: 180_000,
        from: 'Regione Lombardia',
        lines: [['DDN-01', 'A5.1.1', 'disabilita_non_autosufficienza', 'residenziali', 180_000]],
      },
      {
        fund: 'FSR',
        euro: 560_000,
        from: 'Regione Lombardia',
        lines: [
          ['FSR-01', 'A3.1.1', 'famiglia_minori', 'diurni', 300_000],
          ['FSR-02', 'A5.1.1', 'disabilita_non_autosufficienza', 'diurni', 240_000],
        ],
      },
      {
        fund: 'FSE+',
        euro: 150_000,
        from: 'Regione Lombardia – Programma Regionale FSE+',
        lines: [['FSE-01', 'A4.1.1', 'poverta_esclusione', 'inclusione', 150_000]],
      },
      {
        fund: 'COMUNI',
        euro: null,
        from: 'Comuni dell’Ambito',
        split: { kind: 'perHead', referenceDate: '2024-01-01', centsPerInhabitant: 200 },
        lines: [['COM-01', 'A1.1.1', 'poverta_esclusione', 'accesso', 200_000]],
      },
    ],
  },
];
