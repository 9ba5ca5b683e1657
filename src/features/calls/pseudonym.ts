import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { ApplicantData } from './rules.schemas.js';

/**
 * The auditor's view of an applicant (ADR 0007): enough to check that rules were applied
 * (residence, ISEE band, household, points) and to follow one person across applications,
 * without who they are, their bank details, their health or their attachments.
 */
export interface PseudonymisedApplicant {
  pseudonym: string;
  birthYear: number;
  residenceIstat: string;
  isee: { type: ApplicantData['isee']['type']; band: { fromCents: number; toCents: number | null } };
  householdMembers: number;
  iban: string;
}

const BAND_CENTS = 5_000_00;
const TOP_BAND_CENTS = 50_000_00;

/** The 5,000 € band an ISEE falls in; one open band from 50,000 €. */
export function iseeBand(valueCents: number): { fromCents: number; toCents: number | null } {
  if (valueCents >= TOP_BAND_CENTS) return { fromCents: TOP_BAND_CENTS, toCents: null };
  const fromCents = Math.floor(Math.max(0, valueCents) / BAND_CENTS) * BAND_CENTS;
  return { fromCents, toCents: fromCents + BAND_CENTS };
}

/** Country code and the last four characters: enough to tell two accounts apart on a payment list. */
export function maskIban(iban: string): string {
  const bare = iban.replace(/\s+/g, '').toUpperCase();
  if (bare.length <= 8) return '*'.repeat(bare.length);
  return `${bare.slice(0, 2)}${'*'.repeat(bare.length - 6)}${bare.slice(-4)}`;
}

/**
 * The same codice fiscale gives the same pseudonym in one Ambito and another one elsewhere; the
 * key is the installation's secret, so nobody can compute it from a list of codici fiscali.
 */
export function pseudonymOf(key: string, ambitoId: string, codiceFiscale: string): string {
  const mac = createHmac('sha256', key).update(`${ambitoId}:${codiceFiscale.toUpperCase()}`).digest('hex');
  return `P-${mac.slice(0, 10).toUpperCase()}`;
}

/** The installation's pseudonym key, created on first use (as the CSRF secret is). */
export async function pseudonymKey(trx: Tx): Promise<string> {
  await sql`insert into app_secrets (name, value) values ('pseudonym', ${randomBytes(32).toString('base64url')})
    on conflict (name) do nothing`.execute(trx);
  const row = await trx
    .selectFrom('app_secrets')
    .select('value')
    .where('name', '=', 'pseudonym')
    .executeTakeFirstOrThrow();
  return row.value;
}

export function pseudonymise(key: string, ambitoId: string, data: ApplicantData): PseudonymisedApplicant {
  return {
    pseudonym: pseudonymOf(key, ambitoId, data.codiceFiscale),
    birthYear: Number(data.birthDate.slice(0, 4)),
    residenceIstat: data.residenceIstat,
    isee: { type: data.isee.type, band: iseeBand(data.isee.valueCents) },
    householdMembers: data.householdMembers,
    iban: maskIban(data.iban),
  };
}

/** Score lines name the disability they rewarded: the auditor sees that one did, not which. */
export function pseudonymiseScore(score: Array<{ criterion: string; points: number }>) {
  return score.map((s) => (s.criterion.startsWith('disability.') ? { ...s, criterion: 'disability' } : s));
}
