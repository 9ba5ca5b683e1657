import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { type Actor, officeActor } from '../../http/auth.js';
import { createAct } from '../plan/acts.service.js';
import type { ActInput } from '../plan/plan.schemas.js';
import { listBudgetLines } from './budget-lines.service.js';
import { BUDGETS, type BudgetSpec } from './finance.demo-data.js';
import { createCommitment, createPayment } from './finance.service.js';
import { closeYear, createAssignment, createBudgetLine } from './planning.service.js';
import { setSocialWorkers } from './social-workers.service.js';
import { allocate } from './split.js';
import type { SplitRule } from './split.schemas.js';
import { previewSplit, saveSplit } from './split.service.js';

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
