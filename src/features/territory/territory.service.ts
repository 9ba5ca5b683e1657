import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Tx, withReference, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, DomainError, invalid, notFound } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import * as q from './territory.queries.js';
import type {
  AgeBands,
  AmbitoDetail,
  AmbitoSummary,
  ComuneResult,
  CreateAmbitoBody,
  MemberComune,
  MembershipInput,
  UpdateAmbitoBody,
} from './territory.schemas.js';

type AmbitoRow = NonNullable<Awaited<ReturnType<typeof q.findAmbito>>>;

const today = () => new Date().toISOString().slice(0, 10);

function toSummary(r: AmbitoRow): AmbitoSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    capofila: r.capofila_istat
      ? { istatCode: r.capofila_istat, name: r.capofila_name ?? r.capofila_istat }
      : null,
    ats: r.ats,
    asst: r.asst,
    district: r.district,
    demo: r.demo,
  };
}

export async function listAmbiti(db: Kysely<DB>): Promise<AmbitoSummary[]> {
  const rows = await withReference(db, (trx) => q.listAmbiti(trx));
  return rows.map(toSummary);
}

export function getAmbitoDetail(db: Kysely<DB>, id: string, date = today()): Promise<AmbitoDetail> {
  return withTenant(db, { ambitoId: id }, async (trx) => {
    const ambito = await q.findAmbito(trx, id);
    if (!ambito) throw notFound('Ambito');
    const memberships = await q.listMemberships(trx);
    const current = memberships.filter(
      (m) => m.valid_from <= date && (m.valid_to === null || m.valid_to >= date),
    );
    const history = memberships.filter((m) => m.valid_to !== null && m.valid_to < date);

    const popYear = await q.findPopulationYear(trx, Number(date.slice(0, 4)));
    const codes = [...new Set(memberships.map((m) => m.istat_code))];
    const pop = popYear ? await q.populationByComune(trx, codes, popYear.ref_year) : [];
    const popByCode = new Map(pop.map((p) => [p.istat_code, p]));

    const toMember = (m: (typeof memberships)[number]): MemberComune => {
      const p = popByCode.get(m.istat_code);
      return {
        istatCode: m.istat_code,
        name: m.name,
        provinceAbbr: m.province_abbr,
        provinceName: m.province_name,
        // Without a population file, the legal population of the 2011 census from the ISTAT list.
        population: p ? p.total : m.legal_population,
        populationYear: p && popYear ? popYear.ref_year : m.legal_population === null ? null : 2011,
        validFrom: m.valid_from,
        validTo: m.valid_to,
      };
    };
    const comuni = current.map(toMember);
    const currentPop = current.map((m) => popByCode.get(m.istat_code));
    const complete = current.length > 0 && currentPop.every((p) => p !== undefined);
    const bands: AgeBands | null = complete
      ? currentPop.reduce<AgeBands>(
          (acc, p) => ({
            age0to17: acc.age0to17 + (p?.age0to17 ?? 0),
            age18to64: acc.age18to64 + (p?.age18to64 ?? 0),
            age65plus: acc.age65plus + (p?.age65plus ?? 0),
            age75plus: acc.age75plus + (p?.age75plus ?? 0),
          }),
          { age0to17: 0, age18to64: 0, age65plus: 0, age75plus: 0 },
        )
      : null;
    return {
      ...toSummary(ambito),
      date,
      comuni,
      history: history.map(toMember),
      totals: {
        comuni: comuni.length,
        population: comuni.reduce((s, c) => s + (c.population ?? 0), 0),
        populationYear: complete && popYear ? popYear.ref_year : null,
        populationDemo: complete && popYear ? popYear.demo : false,
        bands,
      },
    };
  });
}

export async function searchComuni(db: Kysely<DB>, text: string, limit: number): Promise<ComuneResult[]> {
  const rows = await withReference(db, (trx) => q.searchComuni(trx, text, limit));
  return rows.map((r) => ({
    istatCode: r.istat_code,
    name: r.name,
    provinceAbbr: r.province_abbr,
    provinceName: r.province_name,
    regionName: r.region_name,
    belfiore: r.belfiore,
    legalPopulation: r.legal_population,
    ceasedOn: r.ceased_on,
  }));
}

/** Every Comune named must exist in the reference list and not have ceased before it joins. */
async function assertComuniExist(
  trx: Tx,
  items: Array<{ istatCode: string; validFrom: string }>,
  field: (i: number) => string,
) {
  const found = new Map(
    (
      await q.listComuniByCodes(
        trx,
        items.map((c) => c.istatCode),
      )
    ).map((c) => [c.istat_code, c]),
  );
  const errors = items.flatMap((item, i) => {
    const comune = found.get(item.istatCode);
    if (!comune)
      return [{ field: field(i), reason: `Comune ${item.istatCode} non presente nell'elenco ISTAT` }];
    if (comune.ceased_on && comune.ceased_on <= item.validFrom)
      return [{ field: field(i), reason: `il Comune ${comune.name} è cessato il ${comune.ceased_on}` }];
    return [];
  });
  if (errors.length) throw new DomainError('INVALID', errors[0]?.reason ?? 'Comune non valido', errors);
}

/** The exclusion constraint sees every tenant's rows, which the session itself may not read. */
function overlapAsConflict(error: unknown, field: string, istatCode: string): never {
  if ((error as { code?: string }).code === '23P01')
    throw conflict(field, `il Comune ${istatCode} appartiene già a un Ambito nel periodo indicato`);
  throw error;
}

export async function createAmbito(
  db: Kysely<DB>,
  actor: Actor,
  input: CreateAmbitoBody,
  opts: { demo?: boolean } = {},
) {
  assertCan(actor, 'territory:write');
  const codes = input.comuni.map((c) => c.istatCode);
  const dup = codes.findIndex((c, i) => codes.indexOf(c) !== i);
  if (dup >= 0) throw invalid(`comuni[${dup}].istatCode`, `Comune ${codes[dup]} indicato due volte`);
  if (!codes.includes(input.capofilaIstat))
    throw invalid('capofilaIstat', 'il Comune capofila deve essere tra i Comuni dell’Ambito');
  for (const [i, m] of input.comuni.entries())
    if (m.validTo && m.validTo < m.validFrom)
      throw invalid(`comuni[${i}].validTo`, 'la data di fine precede la data di inizio');

  const id = randomUUID();
  return withTenant(db, { ambitoId: id }, async (trx) => {
    if (await q.findAmbitoByCode(trx, input.code))
      throw conflict('code', `esiste già un Ambito con codice ${input.code}`);
    await assertComuniExist(trx, input.comuni, (i) => `comuni[${i}].istatCode`);
    await q.insertAmbito(trx, {
      id,
      code: input.code,
      name: input.name,
      capofila_istat: input.capofilaIstat,
      ats: input.ats ?? null,
      asst: input.asst ?? null,
      district: input.district ?? null,
      demo: opts.demo ?? false,
    });
    for (const [i, m] of input.comuni.entries()) {
      // One row at a time so that an overlap names the Comune that caused it.
      await q
        .insertMemberships(trx, [
          { ambito_id: id, istat_code: m.istatCode, valid_from: m.validFrom, valid_to: m.validTo ?? null },
        ])
        .catch((e) => overlapAsConflict(e, `comuni[${i}].istatCode`, m.istatCode));
    }
    await audit(trx, actor, {
      action: 'ambito.create',
      resourceType: 'ambito',
      resourceId: id,
      ambitoId: id,
      detail: { code: input.code },
    });
    return { id };
  });
}

async function requireAmbito(trx: Tx, id: string) {
  const ambito = await q.findAmbito(trx, id);
  if (!ambito) throw notFound('Ambito');
  return ambito;
}

export function addMembership(db: Kysely<DB>, actor: Actor, ambitoId: string, input: MembershipInput) {
  assertCan(actor, 'territory:write');
  if (input.validTo && input.validTo < input.validFrom)
    throw invalid('validTo', 'la data di fine precede la data di inizio');
  return withTenant(db, { ambitoId }, async (trx) => {
    await requireAmbito(trx, ambitoId);
    await assertComuniExist(trx, [input], () => 'istatCode');
    await q
      .insertMemberships(trx, [
        {
          ambito_id: ambitoId,
          istat_code: input.istatCode,
          valid_from: input.validFrom,
          valid_to: input.validTo ?? null,
        },
      ])
      .catch((e) => overlapAsConflict(e, 'istatCode', input.istatCode));
    await audit(trx, actor, {
      action: 'ambito.membership_add',
      resourceType: 'ambito',
      resourceId: ambitoId,
      ambitoId,
      detail: { ...input },
    });
  });
}

export function endMembership(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  istatCode: string,
  validTo: string,
) {
  assertCan(actor, 'territory:write');
  return withTenant(db, { ambitoId }, async (trx) => {
    const ambito = await requireAmbito(trx, ambitoId);
    const current = await q.findCurrentMembership(trx, istatCode, validTo);
    if (!current) throw notFound('Appartenenza del Comune all’Ambito');
    if (validTo < current.valid_from)
      throw invalid('validTo', 'la data di fine precede l’inizio dell’appartenenza');
    if (ambito.capofila_istat === istatCode)
      throw conflict('istatCode', 'il Comune è capofila: indicare prima un altro capofila');
    await q.endMembership(trx, istatCode, current.valid_from, validTo);
    await audit(trx, actor, {
      action: 'ambito.membership_end',
      resourceType: 'ambito',
      resourceId: ambitoId,
      ambitoId,
      detail: { istatCode, validTo },
    });
  });
}

export function updateAmbito(db: Kysely<DB>, actor: Actor, ambitoId: string, patch: UpdateAmbitoBody) {
  assertCan(actor, 'territory:write');
  return withTenant(db, { ambitoId }, async (trx) => {
    await requireAmbito(trx, ambitoId);
    if (patch.capofilaIstat && !(await q.findCurrentMembership(trx, patch.capofilaIstat, today())))
      throw invalid('capofilaIstat', 'il Comune capofila deve appartenere oggi all’Ambito');
    await q.updateAmbito(trx, ambitoId, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.capofilaIstat !== undefined && { capofila_istat: patch.capofilaIstat }),
      ...(patch.ats !== undefined && { ats: patch.ats }),
      ...(patch.asst !== undefined && { asst: patch.asst }),
      ...(patch.district !== undefined && { district: patch.district }),
    });
    await audit(trx, actor, {
      action: 'ambito.update',
      resourceType: 'ambito',
      resourceId: ambitoId,
      ambitoId,
      detail: { fields: Object.keys(patch) },
    });
  });
}
