import { CodiceFiscale } from 'codice-fiscale-js';
import type { ApplicantData } from '../../src/features/calls/rules.schemas.js';
import { type TemplateCode, templateFor } from '../../src/features/calls/templates.js';
import type { Client } from './app.js';

const SURNAMES = [
  'Rossi',
  'Bianchi',
  'Colombo',
  'Ferrari',
  'Galli',
  'Brambilla',
  'Villa',
  'Sala',
  'Fumagalli',
  'Riva',
];
const NAMES = ['Mario', 'Giulia', 'Luca', 'Anna', 'Paolo', 'Chiara', 'Marco', 'Elena', 'Giorgio', 'Sara'];
const FEMALE = new Set(['Giulia', 'Anna', 'Chiara', 'Elena', 'Sara']);

/** A one-page PDF, enough for an attachment check. */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
).toString('base64');

/**
 * The i-th fictitious applicant to a Misura B2 call, born in Monza, resident in Sesto San
 * Giovanni: every i gives another person (another codice fiscale), always eligible.
 */
export function buildB2Applicant(i: number, over: Partial<ApplicantData> = {}): ApplicantData {
  const lastName = SURNAMES[i % SURNAMES.length] as string;
  const firstName = NAMES[Math.floor(i / SURNAMES.length) % NAMES.length] as string;
  const born = new Date(Date.UTC(1930, 0, 1) + Math.floor(i / 100) * 86_400_000);
  const gender = FEMALE.has(firstName) ? 'F' : 'M';
  const codiceFiscale = CodiceFiscale.compute({
    name: firstName,
    surname: lastName,
    gender,
    day: born.getUTCDate(),
    month: born.getUTCMonth() + 1,
    year: born.getUTCFullYear(),
    birthplace: 'F704',
  });
  return {
    codiceFiscale,
    firstName,
    lastName,
    birthDate: born.toISOString().slice(0, 10),
    birthPlace: 'F704',
    gender,
    residenceIstat: '015209',
    address: `via Roma ${1 + (i % 200)}, Sesto San Giovanni`,
    isee: {
      type: 'sociosanitario',
      valueCents: 500_000 + ((i * 7919) % 2_000_000),
      dsuProtocol: `INPS-ISEE-2026-${String(i).padStart(9, '0')}-00`,
      dsuDate: '2026-01-15',
    },
    householdMembers: 1 + (i % 4),
    disability: ['l104_art3_c3'],
    conditions: { domicilio: true, caregiver_familiare: i % 3 === 0 },
    fields: { sostegno: 'buono_caregiver' },
    iban: 'IT60X0542811101000000123456',
    ...over,
  };
}

export const b2Attachments = () => [
  {
    code: 'verbale_disabilita',
    filename: 'verbale.pdf',
    contentType: 'application/pdf',
    contentBase64: TINY_PDF,
  },
];

/**
 * Sets up what a call needs through the API as the Ufficio di Piano of an Ambito (an Assemblea
 * deliberation, a fund assignment and a budget line on a plan action) and creates the call from
 * a template, published unless told otherwise.
 */
export async function createCall(
  office: Client,
  ambitoId: string,
  opts: {
    template?: TemplateCode;
    year?: number;
    opensAt?: Date;
    closesAt?: Date;
    budgetCents?: number;
    publish?: boolean;
    code?: string;
  } = {},
): Promise<{ id: string; budgetLineId: string; actId: string }> {
  const year = opts.year ?? 2026;
  const template = templateFor(opts.template ?? 'misura_b2', year);
  const budgetCents = opts.budgetCents ?? 1_000_000_00;
  const suffix = Math.random().toString(36).slice(2, 8);
  const post = async (url: string, payload: unknown) => {
    const res = await office.request({ method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return res.json().id as string;
  };
  const actId = await post(`/api/v1/ambiti/${ambitoId}/acts`, {
    kind: 'delibera_assemblea',
    body: 'Assemblea dei Sindaci',
    number: `B-${suffix}`,
    date: `${year}-01-20`,
    subject: 'Approvazione dei criteri del bando',
  });
  const assignment = await post(`/api/v1/ambiti/${ambitoId}/fund-assignments`, {
    fundCode: template.fundCode,
    year,
    amountCents: budgetCents,
    actId,
  });
  const plan = (await office.request({ url: `/api/v1/plans?ambito=${ambitoId}` })).json().items[0];
  const tree = (await office.request({ url: `/api/v1/plans/${plan.id}` })).json();
  const budgetLineId = await post(`/api/v1/ambiti/${ambitoId}/budget-lines`, {
    assignmentId: assignment,
    code: `BANDO-${suffix}`,
    actionId: tree.objectives[0].specific[0].actions[0].id,
    area: 'disabilita_non_autosufficienza',
    intervention: 'domiciliare',
    amountCents: budgetCents,
  });
  const now = Date.now();
  const id = await post(`/api/v1/ambiti/${ambitoId}/calls`, {
    code: opts.code ?? `B2-${suffix}`,
    title: template.title,
    template: opts.template ?? 'misura_b2',
    budgetLineId,
    approvalActId: actId,
    opensAt: (opts.opensAt ?? new Date(now - 60_000)).toISOString(),
    closesAt: (opts.closesAt ?? new Date(now + 3_600_000)).toISOString(),
    budgetCents,
    rules: template.rules,
    debtorName: 'Comune capofila',
    debtorIban: 'IT60X0542811101000000123456',
  });
  if (opts.publish !== false) {
    const res = await office.request({ method: 'POST', url: `/api/v1/calls/${id}/publish` });
    if (res.statusCode !== 200) throw new Error(`publish: ${res.statusCode} ${res.body}`);
  }
  return { id, budgetLineId, actId };
}
