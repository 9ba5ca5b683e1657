import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { withReference } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { ProblemSchema } from '../../http/problem.schema.js';
import { audit } from '../audit/audit.js';

/**
 * The regional taxonomies, versioned by programming period: macro-areas (A-J for 2021-2023),
 * the LEPS catalogue and the reward-project rules. Reference data: every Ambito reads them,
 * only the platform administrator edits them.
 */
const Period = z.string().regex(/^\d{4}-\d{4}$/, 'periodo nel formato AAAA-AAAA');
const MacroArea = z.object({
  code: z.string().regex(/^[A-Z]{1,2}$/, 'una o due lettere maiuscole'),
  name: z.string().trim().min(2).max(200),
});
const Rules = z.object({
  minAmbiti: z.number().int().min(1).max(20),
  sameDistrict: z.boolean(),
  requireAsst: z.boolean(),
  minObjectives: z.number().int().min(0).max(50),
});
const PeriodView = z.object({
  code: Period,
  name: z.string(),
  guideline: z.string().nullable(),
  macroAreas: z.array(MacroArea),
  rewardRules: Rules.nullable(),
});
const PeriodInput = PeriodView.omit({ code: true }).extend({ code: Period });

export async function listTaxonomies(db: Kysely<DB>) {
  return withReference(db, async (trx) => {
    const [periods, areas, rules, leps] = await Promise.all([
      trx.selectFrom('taxonomy_periods').selectAll().orderBy('code').execute(),
      trx.selectFrom('macro_areas').selectAll().orderBy('code').execute(),
      trx.selectFrom('reward_rules').selectAll().execute(),
      trx.selectFrom('leps').selectAll().orderBy('name').execute(),
    ]);
    return {
      periods: periods.map((p) => {
        const r = rules.find((x) => x.period_code === p.code);
        return {
          code: p.code,
          name: p.name,
          guideline: p.guideline,
          macroAreas: areas
            .filter((a) => a.period_code === p.code)
            .map((a) => ({ code: a.code, name: a.name })),
          rewardRules: r
            ? {
                minAmbiti: r.min_ambiti,
                sameDistrict: r.same_district,
                requireAsst: r.require_asst,
                minObjectives: r.min_objectives,
              }
            : null,
        };
      }),
      leps: leps.map((l) => ({ code: l.code, name: l.name })),
    };
  });
}

/**
 * Creates or replaces a period's taxonomy. A macro-area already used by a plan cannot be
 * removed (the database refuses it); names may change.
 */
export async function putTaxonomy(db: Kysely<DB>, actor: Actor, input: z.infer<typeof PeriodInput>) {
  assertCan(actor, 'taxonomy:write', { resourceType: 'taxonomy', resourceId: input.code });
  await withReference(db, async (trx) => {
    await trx
      .insertInto('taxonomy_periods')
      .values({ code: input.code, name: input.name, guideline: input.guideline })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: input.name, guideline: input.guideline }))
      .execute();
    const codes = input.macroAreas.map((a) => a.code);
    const dup = codes.find((c, i) => codes.indexOf(c) !== i);
    if (dup) throw conflict('macroAreas', `macro-area ${dup} indicata due volte`);
    for (const a of input.macroAreas)
      await trx
        .insertInto('macro_areas')
        .values({ period_code: input.code, code: a.code, name: a.name })
        .onConflict((oc) => oc.columns(['period_code', 'code']).doUpdateSet({ name: a.name }))
        .execute();
    let removal = trx.deleteFrom('macro_areas').where('period_code', '=', input.code);
    if (codes.length) removal = removal.where('code', 'not in', codes);
    await removal.execute().catch((e) => {
      if ((e as { code?: string }).code === '23503')
        throw conflict('macroAreas', 'una macro-area tolta è usata da un Piano: non si può eliminare');
      throw e;
    });
    if (input.rewardRules) {
      const r = {
        min_ambiti: input.rewardRules.minAmbiti,
        same_district: input.rewardRules.sameDistrict,
        require_asst: input.rewardRules.requireAsst,
        min_objectives: input.rewardRules.minObjectives,
      };
      await trx
        .insertInto('reward_rules')
        .values({ period_code: input.code, ...r })
        .onConflict((oc) => oc.column('period_code').doUpdateSet(r))
        .execute();
    }
    await audit(trx, actor, {
      action: 'taxonomy.put',
      resourceType: 'taxonomy',
      resourceId: input.code,
      detail: { macroAreas: codes },
    });
  });
}

export function taxonomyRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/v1/taxonomies', {
    schema: {
      tags: ['piano di zona'],
      summary: 'Tassonomie regionali per periodo: macro-aree, regole dei progetti premiali, LEPS',
      response: {
        200: z.object({
          periods: z.array(PeriodView),
          leps: z.array(z.object({ code: z.string(), name: z.string() })),
        }),
      },
    },
    handler: () => listTaxonomies(deps.db),
  });
  r.put('/api/v1/taxonomies/:period', {
    schema: {
      tags: ['piano di zona'],
      summary: 'Crea o aggiorna la tassonomia di un periodo (amministratore)',
      params: z.object({ period: Period }),
      body: PeriodInput.omit({ code: true }),
      response: {
        204: z.null(),
        400: ProblemSchema,
        401: ProblemSchema,
        403: ProblemSchema,
        409: ProblemSchema,
        422: ProblemSchema,
      },
    },
    handler: async (req, reply) => {
      await putTaxonomy(deps.db, req.actor, { ...req.body, code: req.params.period });
      return reply.status(204).send(null);
    },
  });
}
