import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { invalid } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import { read } from './budget.service.js';
import { socialWorkerFigures } from './social-workers.js';
import { membersOn, populationOn } from './split.figures.js';
import type { SocialWorkersView } from './split.schemas.js';

/**
 * The social-worker LEPS figures of a year (L. 178/2020): the Ambito's residents at 1 January
 * of the latest ISTAT year not after it, the FTE of each Comune, the ratio and the contribution.
 */
export function getSocialWorkers(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  year: number,
): Promise<SocialWorkersView> {
  return read(db, actor, ambitoId, async (trx) => {
    const members = await membersOn(trx, `${year}-01-01`);
    if (members.length === 0) throw invalid('year', `nessun Comune nell’Ambito al 01/01/${year}`);
    const available = await trx
      .selectFrom('population_imports')
      .select('ref_year')
      .where('ref_year', '<=', year)
      .orderBy('ref_year', 'desc')
      .executeTakeFirst();
    if (!available) throw invalid('year', `nessun dato di popolazione fino al ${year}`);
    const codes = members.map((m) => m.istat_code);
    const { figures, year: populationYear } = await populationOn(
      trx,
      codes,
      `${available.ref_year}-01-01`,
      'year',
    );
    const fte = new Map(
      (
        await trx
          .selectFrom('social_worker_fte')
          .select(['istat_code', 'fte_hundredths'])
          .where('year', '=', year)
          .execute()
      ).map((r) => [r.istat_code, r.fte_hundredths]),
    );
    let population = 0;
    let totalFte = 0;
    const comuni = members.map((m) => {
      const residents = figures.get(m.istat_code) ?? 0;
      const hundredths = fte.get(m.istat_code) ?? 0;
      population += residents;
      totalFte += hundredths;
      return { istatCode: m.istat_code, name: m.name, population: residents, fteHundredths: hundredths };
    });
    if (population === 0) throw invalid('year', `nessun residente nei dati di popolazione ${populationYear}`);
    return { year, populationYear, ...socialWorkerFigures(population, totalFte), comuni };
  });
}

export function setSocialWorkers(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  year: number,
  comuni: Array<{ istatCode: string; fteHundredths: number }>,
) {
  assertCan(actor, 'finance:write', { ambitoId, resourceType: 'social_workers' });
  return withTenant(db, { ambitoId }, async (trx) => {
    const members = new Set((await membersOn(trx, `${year}-01-01`)).map((m) => m.istat_code));
    const seen = new Set<string>();
    comuni.forEach((c, i) => {
      if (!members.has(c.istatCode))
        throw invalid(
          `comuni[${i}].istatCode`,
          `il Comune ${c.istatCode} non appartiene all’Ambito nel ${year}`,
        );
      if (seen.has(c.istatCode)) throw invalid(`comuni[${i}].istatCode`, `Comune ${c.istatCode} ripetuto`);
      seen.add(c.istatCode);
    });
    for (const c of comuni)
      await trx
        .insertInto('social_worker_fte')
        .values({ ambito_id: ambitoId, year, istat_code: c.istatCode, fte_hundredths: c.fteHundredths })
        .onConflict((oc) =>
          oc
            .columns(['ambito_id', 'year', 'istat_code'])
            .doUpdateSet({ fte_hundredths: c.fteHundredths, updated_at: new Date() }),
        )
        .execute();
    await audit(trx, actor, {
      action: 'finance.social_workers.set',
      resourceType: 'social_workers',
      resourceId: String(year),
      ambitoId,
      detail: { year, comuni: comuni.map((c) => [c.istatCode, c.fteHundredths]) },
    });
  });
}
