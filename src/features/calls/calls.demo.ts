import { CodiceFiscale } from 'codice-fiscale-js';
import { type Kysely, sql } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { type Actor, officeActor } from '../../http/auth.js';
import type { INTERVENTIONS, USER_AREAS } from '../finance/finance.schemas.js';
import { createAssignment, createBudgetLine } from '../finance/planning.service.js';
import { createAct } from '../plan/acts.service.js';
import type { ActInput } from '../plan/plan.schemas.js';
import { Applications } from './applications.service.js';
import * as q from './calls.queries.js';
import { type CallRow, createCall, publishCall, updateCall } from './calls.service.js';
import { Intake } from './intake.js';
import { publishRanking } from './ranking.service.js';
import type { ReviewBody } from './review.routes.js';
import { reviewApplication } from './review.service.js';
import type { ApplicantData, IseeType } from './rules.schemas.js';
import { type TemplateCode, templateFor } from './templates.js';

/**
 * Demo calls for Sesto San Giovanni, one of each template: Misura B2 open now, Dopo di Noi
 * closed with its final ranking, rent support closed with a provisional ranking whose budget
 * does not cover everybody. Applications go through the intake, so receipts and the protocol
 * register are real; those of closed calls carry the instant they would have been received.
 */

const DAY = 86_400_000;
const IBAN = 'IT60X0542811101000000123456';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const attachment = (code: string) => ({
  code,
  filename: `${code}.pdf`,
  contentType: 'application/pdf',
  contentBase64: PDF.toString('base64'),
});
const SURNAMES = ['Rossi', 'Bianchi', 'Colombo', 'Ferrari', 'Galli', 'Brambilla', 'Villa', 'Sala', 'Riva'];
const NAMES = 'Mario:M Giulia:F Luca:M Anna:F Paolo:M Chiara:F Marco:M'.split(' ').map((n) => n.split(':'));

type Person = Partial<ApplicantData> & { birthDate: string; iseeType?: IseeType; iseeCents?: number };
interface Spec {
  template: TemplateCode;
  code: string;
  /** Fund, amount assigned for the year, budget line for the call, area, intervention, plan action. */
  fund: [string, number, number, (typeof USER_AREAS)[number], (typeof INTERVENTIONS)[number], string];
  opensAt: Date;
  closesAt: Date;
  budgetCents: number;
  count: number;
  /** The i-th applicant's own data (the rest is generated). */
  person: (i: number) => Person;
  attachment: string;
}

type Act = (kind: ActInput['kind'], subject: string, date: string, body?: string) => Promise<string>;
const day = (d: Date) => d.toISOString().slice(0, 10);
const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length] as T;

/** A fictitious person with a valid codice fiscale, resident in the Ambito, with a DSU of the year. */
function applicant(spec: Spec, i: number, at: Date): ApplicantData {
  const { iseeType, iseeCents, ...own } = spec.person(i);
  const [firstName = '', sex] = pick(NAMES, i + Math.floor(i / SURNAMES.length));
  const gender = sex === 'F' ? 'F' : 'M';
  const lastName = pick(SURNAMES, i);
  const [year, month, dayOfMonth] = own.birthDate.split('-').map(Number) as [number, number, number];
  const birthPlace = i % 3 === 0 ? 'I690' : 'F205';
  const birth = { day: dayOfMonth, month, year, birthplace: birthPlace };
  const codiceFiscale = CodiceFiscale.compute({ name: firstName, surname: lastName, gender, ...birth });
  const dsuDate = day(new Date(Math.max(at.getTime() - 20 * DAY, Date.UTC(at.getUTCFullYear(), 0, 1))));
  const address = `via ${pick(['Roma', 'Garibaldi', 'Marelli', 'Carducci'], i)} ${3 + ((i * 7) % 90)}`;
  return {
    ...{ codiceFiscale, firstName, lastName, gender, birthPlace, address, iban: IBAN },
    ...{ residenceIstat: i % 4 === 3 ? '015081' : '015209', householdMembers: 1 + (i % 5) },
    ...{ disability: [], conditions: {}, fields: {}, ...own },
    isee: {
      type: iseeType ?? 'ordinario',
      valueCents: iseeCents ?? 600_000 + ((i * 379_913) % 1_800_000),
      dsuProtocol: `INPS-ISEE-${dsuDate.slice(0, 4)}-${String(400_000 + i).padStart(9, '0')}-00`,
      dsuDate,
    },
  };
}

/** The intake on the demo's clock: a closed call receives its applications while it was open. */
class DemoIntake extends Intake {
  at = new Date();
  override now(): Date {
    return this.at;
  }
}

function specs(now: number, year: number): Spec[] {
  const birth = (y: number, i: number) =>
    `${y}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`;
  return [
    {
      template: 'misura_b2',
      code: `DEMO-B2-${year}`,
      fund: ['FNA', 110_000_000, 40_000_000, 'disabilita_non_autosufficienza', 'domiciliare', 'A2.1.1'],
      opensAt: new Date(now - 7 * DAY),
      closesAt: new Date(now + 45 * DAY),
      budgetCents: 30_000_000,
      count: 20,
      attachment: 'verbale_disabilita',
      person: (i) => ({
        birthDate: birth(1932 + ((i * 3) % 60), i),
        iseeType: 'sociosanitario',
        disability: [i % 2 ? 'indennita_accompagnamento' : 'l104_art3_c3'],
        conditions: { domicilio: true, caregiver_familiare: i % 3 !== 1 },
        fields: { sostegno: 'buono_caregiver', caregiver: 'familiare convivente' },
      }),
    },
    {
      template: 'dopo_di_noi',
      code: `DEMO-DDN-${year}`,
      fund: [
        'DOPO_DI_NOI',
        18_000_000,
        6_000_000,
        'disabilita_non_autosufficienza',
        'residenziali',
        'A5.1.1',
      ],
      opensAt: new Date(now - 120 * DAY),
      closesAt: new Date(now - 75 * DAY),
      budgetCents: 4_320_000,
      count: 12,
      attachment: 'verbale_disabilita',
      // Two cannot be admitted: one is 70, one has an ISEE over the Ambito's ceiling.
      person: (i) => ({
        birthDate: birth(i === 4 ? 1955 : 1970 + ((i * 7) % 30), i),
        iseeType: 'sociosanitario',
        iseeCents: i === 9 ? 6_200_000 : 300_000 + ((i * 412_339) % 4_000_000),
        disability: ['l104_art3_c3'],
        conditions: {
          senza_sostegno_familiare: true,
          mancanza_genitori: i % 3 === 0,
          genitori_non_in_grado: i % 3 === 1,
        },
        fields: { percorso: pick(['accompagnamento_autonomia', 'residenzialita', 'pronto_intervento'], i) },
      }),
    },
    {
      template: 'sostegno_affitto',
      code: `DEMO-AFF-${year}`,
      fund: ['FSR', 56_000_000, 8_000_000, 'poverta_esclusione', 'inclusione', 'A4.1.1'],
      opensAt: new Date(now - 90 * DAY),
      closesAt: new Date(now - 40 * DAY),
      budgetCents: 5_000_000,
      count: 25,
      attachment: 'contratto_locazione',
      // One declares an ISEE over the ceiling: excluded.
      person: (i) => ({
        birthDate: birth(1950 + ((i * 11) % 50), i),
        iseeCents: i === 7 ? 2_950_000 : 200_000 + ((i * 517_003) % 2_300_000),
        conditions: {
          contratto_registrato: true,
          non_alloggio_pubblico: true,
          morosita_incolpevole: i % 4 === 0,
          componente_disabile: i % 5 === 2,
        },
        fields: {
          canone_mensile: 45_000 + ((i * 13_001) % 60_000),
          data_registrazione: `${year - 1 - (i % 4)}-0${1 + (i % 9)}-15`,
          mensilita_arretrate: i % 4 === 0 ? 3 : 0,
        },
        requestedCents: Math.min(360_000, 150_000 + ((i * 97_003) % 260_000)),
      }),
    },
  ];
}

/** Loads the demo calls once (nothing if the Ambito or its plan is missing); returns how many. */
export async function seedCallsDemo(db: Kysely<DB>): Promise<number> {
  const ambito = await db
    .selectFrom('ambiti')
    .select('id')
    .where('code', '=', 'sesto-san-giovanni')
    .executeTakeFirst();
  if (!ambito) return 0;
  const ambitoId = ambito.id;
  const ready = await withTenant(db, { ambitoId }, async (trx) => ({
    demo: await trx.selectFrom('calls').select('id').where('code', 'like', 'DEMO-%').executeTakeFirst(),
    actions: new Map(
      (await trx.selectFrom('actions').select(['code', 'id']).execute()).map((a) => [a.code, a.id]),
    ),
  }));
  const now = Date.now();
  const year = new Date(now).getUTCFullYear();
  const all = specs(now, year);
  if (ready.demo || all.some((s) => !ready.actions.has(s.fund[5]))) return 0;
  const user = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', 'cittadino.demo')
    .executeTakeFirst()
    .catch(() => undefined);
  const citizen: Actor | undefined = user && {
    ...{ kind: 'user', id: user.id, username: user.username, sessionHash: '', csrfToken: '' },
    roles: [{ id: user.id, role: 'cittadino', ambitoId: null, comuneIstat: null, organizationId: null }],
  };
  const actor = officeActor('demo', ambitoId);
  let acts = 0;
  const act: Act = async (kind, subject, date, body = 'Ufficio di Piano') =>
    (await createAct(db, actor, ambitoId, { kind, body, number: `BD-${++acts}/${year}`, date, subject })).id;
  const criteria = await act(
    'delibera_assemblea',
    `Criteri dei bandi ${year}: Misura B2, Dopo di Noi, sostegno all’affitto`,
    day(new Date(now - 130 * DAY)),
    'Assemblea dei Sindaci dell’Ambito di Sesto San Giovanni',
  );
  const intake = new DemoIntake(db);
  const applications = new Applications(db, intake);
  const calls: CallRow[] = [];
  for (const spec of all) {
    const [fundCode, assigned, lineCents, area, intervention, action] = spec.fund;
    const actId = await act(
      'decreto',
      `Fondo ${fundCode} ${year}`,
      day(new Date(now - 140 * DAY)),
      'Regione',
    );
    const assigning = { fundCode, year, amountCents: assigned, actId, reportBy: [], note: '' };
    const assignmentId = (await createAssignment(db, actor, ambitoId, assigning)).id;
    const actionId = ready.actions.get(action) as string;
    const { id: budgetLineId } = await createBudgetLine(db, actor, ambitoId, {
      ...{ assignmentId, code: `BANDO-${spec.code}`, actionId, area, intervention },
      ...{ amountCents: lineCents, description: '' },
    });
    const template = templateFor(spec.template, year);
    const closed = spec.closesAt.getTime() <= now;
    const { title, description, rules } = template;
    const input = {
      ...{ code: spec.code, title, template: spec.template, description, budgetLineId, rules },
      ...{ approvalActId: criteria, budgetCents: spec.budgetCents, debtorIban: IBAN },
      // A closed call is published before it opens, then given its past window (allowed until it opens).
      opensAt: (closed ? new Date(now + DAY) : spec.opensAt).toISOString(),
      closesAt: (closed ? new Date(now + 2 * DAY) : spec.closesAt).toISOString(),
      debtorName: 'Comune di Sesto San Giovanni',
    };
    const { id } = await createCall(db, actor, ambitoId, input);
    await publishCall(db, actor, id);
    const past = { opensAt: spec.opensAt.toISOString(), closesAt: spec.closesAt.toISOString() };
    if (closed) await updateCall(db, actor, id, { ...input, ...past }, '1');
    // Received one after the other across the first part of the window, each with its receipt.
    const span = (Math.min(spec.closesAt.getTime(), now) - spec.opensAt.getTime()) * 0.8;
    for (let i = 0; i < spec.count; i++) {
      intake.at = new Date(spec.opensAt.getTime() + 3_600_000 + Math.floor((span * i) / spec.count));
      const byCitizen = i === 2 && citizen !== undefined;
      const body = {
        applicant: applicant(spec, i, intake.at),
        attachments: [attachment(spec.attachment)],
        // The demo citizen (Carla Bassi) files the third application of every call for a family
        // member, so "Le mie domande" shows an application made on someone's behalf.
        ...(byCitizen ? { relationship: 'familiare' as const } : {}),
      };
      await applications.submit(byCitizen ? citizen : actor, id, `demo-${spec.code}-${i}`, body);
    }
    calls.push((await withTenant(db, { ambitoId }, (trx) => q.findCall(trx, id))) as CallRow);
  }
  await reviewAndRank(db, ambitoId, calls, act, now);
  return calls.length;
}

/** The office's decisions: excluded who does not meet the requirements, the rest admitted. */
async function reviewAndRank(db: Kysely<DB>, ambitoId: string, calls: CallRow[], act: Act, now: number) {
  const actor = officeActor('demo', ambitoId);
  const [b2, ddn, aff] = calls as [CallRow, CallRow, CallRow];
  const apps = await withTenant(db, { ambitoId }, (trx) =>
    trx.selectFrom('applications').select(['id', 'call_id', 'seq', 'eligibility']).orderBy('seq').execute(),
  );
  const review = (a: { call_id: string; id: string }, body: ReviewBody) =>
    reviewApplication(db, actor, a.call_id, a.id, body);
  const integration = 'allegare il verbale di invalidità aggiornato';
  for (const a of apps) {
    const reasons = (a.eligibility as { reasons: Array<{ message: string }> }).reasons;
    // The open call is still being reviewed: a few decisions only.
    if (a.call_id === b2.id && a.seq === 2) await review(a, { decision: 'admissible' });
    if (a.call_id === b2.id && a.seq === 3)
      await review(a, {
        ...{ decision: 'integration_requested', reason: integration },
        integrationDue: day(new Date(now + 20 * DAY)),
      });
    if (a.call_id === b2.id) continue;
    const reason = reasons.map((r) => r.message).join('; ');
    await review(a, reasons.length > 0 ? { decision: 'excluded', reason } : { decision: 'admissible' });
  }
  const rankedOn = (c: CallRow) => day(new Date(c.closes_at.getTime() + 10 * DAY));
  await publishRanking(db, actor, ddn.id, {
    phase: 'provisional',
    actId: await act('determina_udp', 'Graduatoria provvisoria Dopo di Noi', rankedOn(ddn)),
  });
  // The provisional ranking dates back to ten days after closing: the appeals window is over.
  const rankedAt = new Date(ddn.closes_at.getTime() + 10 * DAY);
  await withTenant(db, { ambitoId }, (trx) =>
    sql`update calls set ranked_at = ${rankedAt} where id = ${ddn.id}`.execute(trx),
  );
  await publishRanking(db, actor, ddn.id, {
    phase: 'final',
    actId: await act('determina_udp', 'Graduatoria definitiva Dopo di Noi', day(new Date(now - DAY))),
  });
  await publishRanking(db, actor, aff.id, {
    phase: 'provisional',
    actId: await act('determina_udp', 'Graduatoria provvisoria sostegno all’affitto', day(new Date(now))),
  });
}
