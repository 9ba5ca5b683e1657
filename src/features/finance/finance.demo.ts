import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB, Intervention, UserArea } from '../../db/types.js';
import { type Actor, officeActor } from '../../http/auth.js';
import { createAct } from '../plan/acts.service.js';
import type { ActInput } from '../plan/plan.schemas.js';
import { listBudgetLines } from './budget.service.js';
import {
  closeYear,
  createAssignment,
  createBudgetLine,
  createCommitment,
  createPayment,
} from './finance.service.js';
import { setSocialWorkers } from './social-workers.service.js';
import { allocate } from './split.js';
import type { SplitRule } from './split.schemas.js';
import { previewSplit, saveSplit } from './split.service.js';

type LineSpec = [code: string, action: string, area: UserArea, intervention: Intervention, euro: number];
interface FundSpec {
  fund: string;
  /** Euro; null for the Comuni's quota capitaria, whose total follows from the split. */
  euro: number | null;
  from: string;
  lines: LineSpec[];
  split?: SplitRule;
}
interface BudgetSpec {
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
const BUDGETS: BudgetSpec[] = [
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

/** Loads the demo budgets of Ambiti that have none yet; returns how many it loaded. */
export async function seedFinanceDemo(db: Kysely<DB>): Promise<number> {
  let loaded = 0;
  for (const spec of BUDGETS) {
    const ambito = await db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', spec.code)
      .executeTakeFirst();
    if (!ambito) continue;
    const ready = await withTenant(db, { ambitoId: ambito.id }, async (trx) => ({
      hasMoney: Boolean(await trx.selectFrom('fund_assignments').select('id').limit(1).executeTakeFirst()),
      actions: await trx.selectFrom('actions').select(['id', 'code']).execute(),
    }));
    if (ready.hasMoney || ready.actions.length === 0) continue;
    await seedBudget(db, ambito.id, spec, new Map(ready.actions.map((a) => [a.code, a.id])));
    loaded++;
  }
  return loaded;
}

async function seedBudget(db: Kysely<DB>, ambitoId: string, spec: BudgetSpec, actions: Map<string, string>) {
  const actor = officeActor('demo', ambitoId);
  const { year } = spec;
  const act = (input: Omit<ActInput, 'body'> & { body?: string }) =>
    createAct(db, actor, ambitoId, { body: 'Ufficio di Piano', ...input });
  const splitAct = await act({
    kind: 'delibera_assemblea',
    body: spec.assemblea,
    number: `3/${year}`,
    date: `${year}-03-24`,
    subject: `Criteri di riparto tra i Comuni dei fondi ${year}`,
  });
  const members = await memberPopulation(db, actor, ambitoId, `${year}-01-01`, spec.populationDate);
  let n = 0;
  for (const f of spec.funds) {
    n++;
    let amountCents = f.euro === null ? 0 : f.euro * 100;
    if (f.split?.kind === 'perHead' || f.euro === null) {
      const preview = await previewSplit(db, actor, ambitoId, {
        rule: f.split as SplitRule,
        asOf: `${year}-01-01`,
      });
      amountCents = preview.totalCents;
    }
    const assigning = await act({
      kind: f.fund === 'COMUNI' ? 'delibera_assemblea' : 'decreto',
      body: f.fund === 'COMUNI' ? spec.assemblea : f.from,
      number: `${n}/${year}`,
      date: `${year}-02-${String(10 + n).padStart(2, '0')}`,
      subject: `Assegnazione all’Ambito del fondo ${f.fund} per il ${year}`,
    });
    const assignment = await createAssignment(db, actor, ambitoId, {
      fundCode: f.fund,
      year,
      amountCents,
      actId: assigning.id,
      reportBy: [`${year + 1}-02-28`],
      note: '',
    });
    if (f.split)
      await saveSplit(db, actor, ambitoId, {
        fundCode: f.fund,
        year,
        rule: f.split,
        asOf: `${year}-01-01`,
        actId: splitAct.id,
        ...(f.split.kind === 'perHead' ? {} : { totalCents: amountCents }),
      });
    for (const [code, actionCode, area, intervention, euro] of f.lines) {
      const actionId = actions.get(actionCode);
      if (!actionId) continue;
      await createBudgetLine(db, actor, ambitoId, {
        assignmentId: assignment.id,
        code,
        actionId,
        area,
        intervention,
        amountCents: euro * 100,
        description: '',
      });
    }
  }
  await commitAndPay(db, actor, ambitoId, spec, members, act);
  await setSocialWorkers(
    db,
    actor,
    ambitoId,
    year,
    spec.fte.map(([istatCode, fteHundredths]) => ({ istatCode, fteHundredths })),
  );
  if (spec.close) {
    const closing = await act({
      kind: 'determina_udp',
      number: `R-${year}`,
      date: `${year + 1}-04-15`,
      subject: `Riaccertamento dei residui e chiusura dell’esercizio ${year}`,
    });
    await closeYear(db, actor, ambitoId, year, closing.id);
  }
}

/**
 * Commits nine tenths of every line, split among the Comuni by population (exactly, with the
 * same largest-remainder rule as the riparto), and pays part of each commitment.
 */
async function commitAndPay(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  spec: BudgetSpec,
  members: Map<string, { name: string; residents: number }>,
  act: (input: Omit<ActInput, 'body'> & { body?: string }) => Promise<{ id: string }>,
) {
  const { year } = spec;
  const codes = [...members.keys()];
  const population = new Map(codes.map((c) => [c, members.get(c)?.residents ?? 0]));
  const lines = await listBudgetLines(db, actor, ambitoId, year);
  let number = 0;
  let paymentNumber = 0;
  for (const line of lines) {
    number++;
    const determina = await act({
      kind: 'determina_udp',
      number: `${100 + number}/${year}`,
      date: `${year}-04-${String(1 + (number % 27)).padStart(2, '0')}`,
      subject: `Impegno di spesa sulla linea ${line.code}`,
    });
    const [committed] = allocate(
      line.amountCents,
      ['c', 'u'],
      [
        {
          weight: 1,
          figures: new Map([
            ['c', 9],
            ['u', 1],
          ]),
        },
      ],
    );
    const perComune = allocate(committed?.amountCents ?? 0, codes, [{ weight: 1, figures: population }]);
    const provider = spec.providers[line.fundCode.replace('+', '_PLUS')];
    const commitments: Array<{ id: string; amountCents: number }> = [];
    for (const share of perComune) {
      if (share.amountCents === 0) continue;
      const comune = members.get(share.istatCode)?.name ?? share.istatCode;
      const created = await createCommitment(db, actor, ambitoId, {
        budgetLineId: line.id,
        number: `${year}/${line.code}/${share.istatCode}`,
        actId: determina.id,
        date: `${year}-04-30`,
        amountCents: share.amountCents,
        payeeKind: provider ? (provider.startsWith('Beneficiari') ? 'beneficiari' : 'ente') : 'comune',
        payeeName: provider ?? `Comune di ${comune}`,
        comuneIstat: share.istatCode,
        description: `${line.action.title} – ${comune}`,
      });
      commitments.push({ id: created.id, amountCents: share.amountCents });
    }
    for (const [half, month] of [
      [0, '07'],
      [1, '12'],
    ] as const) {
      const liquidation = await act({
        kind: 'determina_udp',
        number: `L${half + 1}-${number}/${year}`,
        date: `${year}-${month}-15`,
        subject: `Liquidazione ${half === 0 ? 'primo' : 'secondo'} semestre, linea ${line.code}`,
      });
      for (const c of commitments) {
        // Half of the paid part each semester: tenths paid, split in two halves, the rest unpaid.
        const parts = allocate(
          c.amountCents,
          ['a', 'b', 'rest'],
          [
            {
              weight: 1,
              figures: new Map([
                ['a', spec.paidTenths],
                ['b', spec.paidTenths],
                ['rest', 2 * (10 - spec.paidTenths)],
              ]),
            },
          ],
        );
        const amount = parts[half]?.amountCents ?? 0;
        if (amount === 0) continue;
        paymentNumber++;
        await createPayment(db, actor, ambitoId, {
          commitmentId: c.id,
          number: `${year}/L${paymentNumber}`,
          actId: liquidation.id,
          date: `${year}-${month}-20`,
          amountCents: amount,
        });
      }
    }
  }
}

async function memberPopulation(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  asOf: string,
  referenceDate: string,
) {
  const preview = await previewSplit(db, actor, ambitoId, {
    totalCents: 0,
    asOf,
    rule: { kind: 'population', referenceDate },
  });
  return new Map(preview.lines.map((l) => [l.istatCode, { name: l.name, residents: l.figure ?? 0 }]));
}
