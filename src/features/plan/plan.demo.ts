import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { type Actor, officeActor } from '../../http/auth.js';
import { createAct } from './acts.service.js';
import { createPlan, transitionPlan } from './plan.service.js';
import {
  addIndicatorValue,
  createAction,
  createIndicator,
  createObjective,
  createRewardProject,
} from './plan-items.service.js';

export type Spec = {
  code: string;
  title: string;
  kind: 'integrazione_sociosanitaria' | 'territorio_comunita' | 'gestione_associata';
  area: string;
  leps?: string[];
  needs: string;
  specific: Array<{
    code: string;
    title: string;
    actions: Array<{
      code: string;
      title: string;
      responsible: string;
      partners: string[];
      fund: string;
      euro: number;
      hours: number;
      indicator?: {
        name: string;
        unit: 'numero' | 'percentuale';
        baseline: string;
        targets: string[];
        values?: Array<[string, string]>;
      };
    }>;
  }>;
};

export async function addObjectives(
  db: Kysely<DB>,
  actor: Actor,
  planId: string,
  years: number[],
  start: string,
  end: string,
  specs: Spec[],
) {
  for (const o of specs) {
    const general = await createObjective(db, actor, planId, {
      parentId: null,
      code: o.code,
      title: o.title,
      kind: o.kind,
      macroAreaCode: o.area,
      needs: o.needs,
      leps: o.leps ?? [],
    });
    for (const s of o.specific) {
      const specific = await createObjective(db, actor, planId, {
        parentId: general.id,
        code: s.code,
        title: s.title,
        kind: null,
        macroAreaCode: null,
        needs: '',
        leps: [],
      });
      for (const a of s.actions) {
        const action = await createAction(db, actor, planId, {
          objectiveId: specific.id,
          code: a.code,
          title: a.title,
          responsible: a.responsible,
          partners: a.partners,
          startDate: start,
          endDate: end,
          status: 'running',
          staffHours: a.hours,
          resources: [{ fund: a.fund, amountCents: a.euro * 100 }],
        });
        if (!a.indicator) continue;
        const ind = await createIndicator(db, actor, planId, {
          objectiveId: null,
          actionId: action.id,
          code: `I-${a.code}`,
          name: a.indicator.name,
          kind: 'output',
          unit: a.indicator.unit,
          baseline: a.indicator.baseline,
          baselineDate: start,
          evaluationTool: 'Monitoraggio semestrale dell’Ufficio di Piano',
          lowerIsBetter: false,
          targets: years.map((year, i) => ({
            year,
            target: a.indicator?.targets[i] ?? a.indicator?.targets.at(-1) ?? '0',
          })),
        });
        for (const [date, value] of a.indicator.values ?? [])
          await addIndicatorValue(db, actor, planId, ind.id, {
            measuredOn: date,
            value,
            unit: a.indicator.unit,
            source: 'Dati dimostrativi',
          });
      }
    }
  }
}

/**
 * Demo plans: the seventh-edition 2025-2027 draft of Sesto San Giovanni (the LEPS priorities of
 * seed 002) and the 2021-2023 plan of Azzate, approved on 16/12/2021 and extended to 31/12/2024
 * (seed 003), with its three reward projects. Amounts and indicators are invented (demo).
 */
export async function seedPlanDemo(db: Kysely<DB>): Promise<number> {
  const ambiti = await db
    .selectFrom('ambiti')
    .select(['id', 'code'])
    .where('code', 'in', ['sesto-san-giovanni', 'azzate'])
    .execute();
  const sesto = ambiti.find((a) => a.code === 'sesto-san-giovanni')?.id;
  const azzate = ambiti.find((a) => a.code === 'azzate')?.id;
  if (!sesto || !azzate) return 0;
  let created = 0;
  if (!(await hasPlans(db, sesto))) {
    const actor = officeActor('demo', sesto);
    const plan = await createPlan(db, actor, {
      ambitoId: sesto,
      title: 'Piano di Zona 2025-2027 dell’Ambito di Sesto San Giovanni e Cologno Monzese',
      period: '2025-2027',
      edition: 7,
      startDate: '2025-01-01',
      endDate: '2027-12-31',
      governance:
        'Assemblea dei Sindaci dell’Ambito (Sesto San Giovanni, Cologno Monzese) con ATS Città Metropolitana di Milano e ASST Nord Milano. Ufficio di Piano presso il Comune capofila di Sesto San Giovanni. Tavoli tematici con il Terzo Settore: povertà, disabilità, minori e famiglie, anziani.',
      methodology:
        'Profilo dei bisogni costruito con i dati demografici ISTAT, i flussi dei servizi sociali dei due Comuni e i dati sanitari dell’ASST. Monitoraggio semestrale degli indicatori. (Dati dimostrativi.)',
    });
    await addObjectives(db, actor, plan.id, [2025, 2026, 2027], '2025-01-01', '2027-12-31', [
      {
        code: 'OG1',
        title: 'Attuare i LEPS di accesso e presa in carico',
        kind: 'integrazione_sociosanitaria',
        area: 'A',
        leps: ['pua', 'valutazione_progetto', 'supervisione'],
        needs: 'Accesso frammentato ai servizi sociali e sociosanitari.',
        specific: [
          {
            code: 'OS1.1',
            title: 'Punto Unico di Accesso integrato con l’ASST',
            actions: [
              {
                code: 'A1.1.1',
                title: 'Apertura del PUA congiunto Comuni-ASST',
                responsible: 'Ufficio di Piano',
                partners: ['ASST Nord Milano', 'Comune di Cologno Monzese'],
                fund: 'FNPS',
                euro: 180000,
                hours: 1200,
                indicator: {
                  name: 'Persone accolte al PUA',
                  unit: 'numero',
                  baseline: '0',
                  targets: ['400', '800', '1000'],
                  values: [['2025-06-30', '260']],
                },
              },
              {
                code: 'A1.1.2',
                title: 'Supervisione del personale dei servizi sociali',
                responsible: 'Ufficio di Piano',
                partners: [],
                fund: 'Fondo Povertà',
                euro: 45000,
                hours: 200,
              },
            ],
          },
        ],
      },
      {
        code: 'OG2',
        title: 'Dimissioni protette e continuità ospedale-domicilio',
        kind: 'integrazione_sociosanitaria',
        area: 'D',
        leps: ['dimissioni_protette'],
        needs: 'Rientri a domicilio senza rete di sostegno.',
        specific: [
          {
            code: 'OS2.1',
            title: 'Protocollo dimissioni protette con ASST Nord Milano',
            actions: [
              {
                code: 'A2.1.1',
                title: 'Équipe integrata per le dimissioni protette',
                responsible: 'ASST Nord Milano',
                partners: ['Comune di Sesto San Giovanni'],
                fund: 'FNA',
                euro: 220000,
                hours: 900,
                indicator: {
                  name: 'Dimissioni protette attivate',
                  unit: 'numero',
                  baseline: '20',
                  targets: ['60', '90', '120'],
                },
              },
            ],
          },
        ],
      },
      {
        code: 'OG3',
        title: 'Prevenire l’allontanamento dei minori dalla famiglia',
        kind: 'territorio_comunita',
        area: 'G',
        leps: ['pippi'],
        needs: 'Crescita delle segnalazioni dell’autorità giudiziaria.',
        specific: [
          {
            code: 'OS3.1',
            title: 'Programma P.I.P.P.I. nei due Comuni',
            actions: [
              {
                code: 'A3.1.1',
                title: 'Équipe multidisciplinari P.I.P.P.I.',
                responsible: 'Ufficio di Piano',
                partners: ['Cooperativa Sociale Esempio (demo)'],
                fund: 'FNPS',
                euro: 150000,
                hours: 800,
              },
            ],
          },
        ],
      },
      {
        code: 'OG4',
        title: 'Contrasto alla povertà e pronto intervento sociale',
        kind: 'gestione_associata',
        area: 'A',
        leps: ['pronto_intervento'],
        needs: 'Nuove povertà e emergenze sociali fuori orario.',
        specific: [
          {
            code: 'OS4.1',
            title: 'Servizio di pronto intervento sociale h24',
            actions: [
              {
                code: 'A4.1.1',
                title: 'Reperibilità sociale h24 e Tavolo delle Povertà',
                responsible: 'Comune di Sesto San Giovanni',
                partners: ['Caritas (demo)'],
                fund: 'Fondo Povertà',
                euro: 260000,
                hours: 1500,
              },
            ],
          },
        ],
      },
      {
        code: 'OG5',
        title: 'Vita indipendente e invecchiamento attivo',
        kind: 'territorio_comunita',
        area: 'J',
        needs: 'Percorsi di autonomia per persone con disabilità.',
        specific: [
          {
            code: 'OS5.1',
            title: 'Agenzia Vita Indipendente',
            actions: [
              {
                code: 'A5.1.1',
                title: 'Progetti di residenzialità Dopo di Noi',
                responsible: 'Ufficio di Piano',
                partners: ['Comune di Cologno Monzese'],
                fund: 'Dopo di Noi',
                euro: 310000,
                hours: 600,
              },
            ],
          },
        ],
      },
    ]);
    created++;
  }
  if (!(await hasPlans(db, azzate))) {
    const actor = officeActor('demo', azzate);
    const plan = await createPlan(db, actor, {
      ambitoId: azzate,
      title: 'Piano di Zona 2021-2023 dell’Ambito di Azzate',
      period: '2021-2023',
      edition: 6,
      startDate: '2021-01-01',
      endDate: '2023-12-31',
      governance:
        'Ente capofila: Comune di Azzate, sede dell’Ufficio di Piano. Assemblea dei Sindaci dei tredici Comuni del Distretto. Tavoli tematici con il Terzo Settore a cadenza semestrale.',
      methodology:
        'Aree di intervento della DGR 4563/2021; dati demografici ISTAT e flussi dei servizi comunali. (Dati dimostrativi.)',
    });
    await addObjectives(db, actor, plan.id, [2021, 2022, 2023], '2021-01-01', '2023-12-31', [
      {
        code: 'OGa',
        title: 'Integrazione sociosanitaria e presa in carico integrata',
        kind: 'integrazione_sociosanitaria',
        area: 'D',
        needs: 'Lavoro congiunto tra servizi territoriali.',
        specific: [
          {
            code: 'OSa.1',
            title: 'Valutazione multidimensionale congiunta con ASST Sette Laghi',
            actions: [
              {
                code: 'Aa.1.1',
                title: 'Équipe di valutazione multidimensionale',
                responsible: 'Ufficio di Piano',
                partners: ['ASST Sette Laghi'],
                fund: 'FNA',
                euro: 120000,
                hours: 700,
                indicator: {
                  name: 'Progetti personalizzati avviati',
                  unit: 'numero',
                  baseline: '30',
                  targets: ['50', '70', '90'],
                  values: [
                    ['2022-12-31', '64'],
                    ['2023-12-31', '95'],
                  ],
                },
              },
            ],
          },
        ],
      },
      {
        code: 'OGb',
        title: 'Co-programmazione e co-progettazione con il Terzo Settore',
        kind: 'territorio_comunita',
        area: 'C',
        needs: 'Tavoli tematici secondo i bisogni emergenti.',
        specific: [
          {
            code: 'OSb.1',
            title: 'Tavoli tematici semestrali',
            actions: [
              {
                code: 'Ab.1.1',
                title: 'Tavoli tematici con gli enti del Terzo Settore',
                responsible: 'Ufficio di Piano',
                partners: ['Enti del Terzo Settore (demo)'],
                fund: 'FNPS',
                euro: 30000,
                hours: 300,
              },
            ],
          },
        ],
      },
      {
        code: 'OGc',
        title: 'Progettazione sociale sovrazonale',
        kind: 'gestione_associata',
        area: 'G',
        needs: 'Interventi di livello sovrazonale con gli Ambiti vicini.',
        specific: [
          {
            code: 'OSc.1',
            title: 'Politiche giovanili sovrazonali',
            actions: [
              {
                code: 'Ac.1.1',
                title: 'Progetto giovani con gli Ambiti del Distretto',
                responsible: 'Comune di Azzate',
                partners: ['Ambito di Sesto Calende', 'Ambito di Tradate', 'Ambito di Arcisate'],
                fund: 'FNPS',
                euro: 80000,
                hours: 400,
              },
            ],
          },
        ],
      },
    ]);
    for (const [title, partner, codes] of [
      ['Progetto premiale: domiciliarità integrata', 'Ambito di Sesto Calende', ['OGa', 'OSa.1']],
      ['Progetto premiale: giovani e comunità', 'Ambito di Tradate', ['OGc', 'OSc.1']],
      ['Progetto premiale: rete del Terzo Settore', 'Ambito di Arcisate', ['OGb']],
    ] as const)
      await createRewardProject(db, actor, plan.id, {
        title,
        partnerAmbiti: [partner],
        sameDistrict: true,
        asstInvolved: true,
        objectiveCodes: [...codes],
      });
    const approval = await createAct(db, actor, azzate, {
      kind: 'delibera_assemblea',
      body: 'Assemblea dei Sindaci dell’Ambito di Azzate',
      number: '12/2021',
      date: '2021-12-16',
      subject: 'Approvazione dell’Accordo di Programma e del Documento di Piano 2021-2023',
    });
    const extension = await createAct(db, actor, azzate, {
      kind: 'delibera_assemblea',
      body: 'Assemblea dei Sindaci dell’Ambito di Azzate',
      number: '9/2023',
      date: '2023-12-14',
      subject: 'Proroga del Piano di Zona 2021-2023 al 31/12/2024 in attesa delle linee guida 2025-2027',
    });
    await transitionPlan(db, actor, plan.id, { action: 'approve', actId: approval.id }, '1');
    await transitionPlan(db, actor, plan.id, { action: 'enforce' }, '2');
    await transitionPlan(
      db,
      actor,
      plan.id,
      { action: 'extend', actId: extension.id, extendedTo: '2024-12-31' },
      '3',
    );
    created++;
  }
  return created;
}

async function hasPlans(db: Kysely<DB>, ambitoId: string): Promise<boolean> {
  return withTenant(db, { ambitoId }, async (trx) =>
    Boolean(await trx.selectFrom('plans').select('id').limit(1).executeTakeFirst()),
  );
}
