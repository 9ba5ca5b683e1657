import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { officeActor } from '../../http/auth.js';
import { createAct } from './acts.service.js';
import { addObjectives, type Spec } from './plan.demo.js';
import { createPlan, transitionPlan } from './plan.service.js';

const action = (
  code: string,
  title: string,
  fund: string,
  euro: number,
  responsible = 'Ufficio di Piano',
) => ({
  code,
  title,
  responsible,
  partners: [] as string[],
  fund,
  euro,
  hours: 400,
});

/** The plan the Monza budget of seed 000 is spent on (content invented for the demo). */
const OBJECTIVES: Spec[] = [
  {
    code: 'OG1',
    title: 'Tutela dei minori e sostegno alla genitorialità',
    kind: 'gestione_associata',
    area: 'G',
    leps: ['pippi'],
    needs: 'Aumento delle segnalazioni dell’Autorità giudiziaria e delle famiglie con minori in difficoltà.',
    specific: [
      {
        code: 'OS1',
        title: 'Servizio tutela minori e centri di aggregazione',
        actions: [
          action('A1.1', 'Servizio tutela minori in gestione associata', 'FNPS', 420_000),
          action('A1.2', 'Centri di aggregazione giovanile', 'FSR', 350_000),
        ],
      },
    ],
  },
  {
    code: 'OG2',
    title: 'Domiciliarità e non autosufficienza',
    kind: 'integrazione_sociosanitaria',
    area: 'D',
    leps: ['domiciliare'],
    needs: 'Invecchiamento della popolazione e richieste di assistenza domiciliare in crescita.',
    specific: [
      {
        code: 'OS2',
        title: 'Misura B2 e servizio di assistenza domiciliare integrato',
        actions: [
          action('A2.1', 'Buoni e voucher Misura B2', 'FNA', 980_000),
          action('A2.2', 'Servizio di assistenza domiciliare integrato con ASST Monza', 'FNA', 300_000),
        ],
      },
    ],
  },
  {
    code: 'OG3',
    title: 'Dopo di Noi e vita indipendente',
    kind: 'territorio_comunita',
    area: 'J',
    needs: 'Adulti con disabilità grave senza sostegno familiare.',
    specific: [
      {
        code: 'OS3',
        title: 'Percorsi di residenzialità e autonomia',
        actions: [action('A3.1', 'Residenzialità Dopo di Noi', 'Dopo di Noi', 200_000)],
      },
    ],
  },
  {
    code: 'OG4',
    title: 'Contrasto alla povertà e inclusione attiva',
    kind: 'gestione_associata',
    area: 'A',
    leps: ['servizio_sociale', 'pua'],
    needs: 'Nuclei in povertà assoluta e beneficiari di misure di sostegno al reddito.',
    specific: [
      {
        code: 'OS4',
        title: 'Servizio sociale professionale, accesso e inclusione',
        actions: [
          action('A4.1', 'Servizio sociale professionale e segretariato sociale', 'Fondo Povertà', 520_000),
          action('A4.2', 'Tirocini e percorsi di inclusione attiva', 'Fondo Povertà', 320_000),
        ],
      },
    ],
  },
  {
    code: 'OG5',
    title: 'Abitare e housing sociale',
    kind: 'territorio_comunita',
    area: 'B',
    needs: 'Sfratti e persone senza dimora nei tre Comuni.',
    specific: [
      {
        code: 'OS5',
        title: 'Housing first e accoglienza temporanea',
        actions: [action('A5.1', 'Housing first (PNRR M5C2 1.3)', 'PNRR', 245_000)],
      },
    ],
  },
];

/** Monza's 2021-2023 plan, approved and in force; loaded once. */
export async function seedMonzaPlan(db: Kysely<DB>): Promise<number> {
  const monza = await db.selectFrom('ambiti').select('id').where('code', '=', 'monza').executeTakeFirst();
  if (!monza) return 0;
  const hasPlan = await withTenant(db, { ambitoId: monza.id }, async (trx) =>
    Boolean(await trx.selectFrom('plans').select('id').limit(1).executeTakeFirst()),
  );
  if (hasPlan) return 0;
  const actor = officeActor('demo', monza.id);
  const plan = await createPlan(db, actor, {
    ambitoId: monza.id,
    title: 'Piano di Zona 2021-2023 dell’Ambito di Monza, Brugherio e Villasanta',
    period: '2021-2023',
    edition: 6,
    startDate: '2021-01-01',
    endDate: '2023-12-31',
    governance:
      'Comuni di Monza (capofila), Brugherio e Villasanta con ATS Brianza, ASST Monza e la Provincia di Monza e della Brianza. Ufficio di Piano presso il Comune di Monza.',
    methodology:
      'Sistema integrato di interventi sociali e sociosanitari; monitoraggio annuale degli indicatori.',
  });
  await addObjectives(db, actor, plan.id, [2021, 2022, 2023], '2021-01-01', '2023-12-31', OBJECTIVES);
  const approval = await createAct(db, actor, monza.id, {
    kind: 'delibera_assemblea',
    body: 'Assemblea dei Sindaci dell’Ambito di Monza',
    number: '7/2021',
    date: '2021-12-20',
    subject: 'Approvazione del Piano di Zona 2021-2023 e dell’Accordo di Programma',
  });
  await transitionPlan(db, actor, plan.id, { action: 'approve', actId: approval.id }, '1');
  await transitionPlan(db, actor, plan.id, { action: 'enforce' }, '2');
  return 1;
}
