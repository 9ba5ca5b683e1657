import type { Kysely } from 'kysely';
import { type Tx, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { invalid } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import { read } from './budget.service.js';
import * as q from './finance.queries.js';
import { requireAct } from './finance.service.js';
import { historicalSpending, membersOn, populationOn } from './split.figures.js';
import { allocate, perHead, type SplitComponent, SplitError, type SplitLine } from './split.js';
import type {
  SimpleRule,
  SplitPreview,
  SplitPreviewBody,
  SplitRule,
  SplitSaveBody,
  SplitView,
} from './split.schemas.js';

async function componentOf(
  trx: Tx,
  rule: SimpleRule,
  weight: number,
  codes: string[],
  path: string,
  basis: string[],
): Promise<SplitComponent> {
  switch (rule.kind) {
    case 'population': {
      const { figures, year } = await populationOn(trx, codes, rule.referenceDate, `${path}.referenceDate`, {
        from: rule.ageFrom,
        to: rule.ageTo,
      });
      const ages =
        rule.ageFrom !== undefined || rule.ageTo !== undefined
          ? ` ${rule.ageFrom ?? 0}-${rule.ageTo ?? 100} anni`
          : '';
      basis.push(`popolazione residente${ages} al 01/01/${year} (dati ISTAT caricati)`);
      return { weight, figures };
    }
    case 'historical':
      basis.push(
        `spesa liquidata per Comune sugli impegni ${rule.year}${rule.fundCode ? ` del fondo ${rule.fundCode}` : ''}`,
      );
      return { weight, figures: await historicalSpending(trx, codes, rule.year, rule.fundCode) };
    case 'fixed': {
      basis.push('quote fisse stabilite nel Piano');
      const figures = new Map<string, number>();
      rule.shares.forEach((s, i) => {
        if (figures.has(s.istatCode))
          throw invalid(`${path}.shares[${i}].istatCode`, `Comune ${s.istatCode} ripetuto`);
        figures.set(s.istatCode, s.weight);
      });
      return { weight, figures };
    }
  }
}

/** The names the pure rule uses for a single rule are those of a one-component mix. */
function fieldOf(e: SplitError, rule: SplitRule): string {
  return rule.kind === 'mix'
    ? e.field
    : e.field.replace(/^rule\.components\[0\]\.?/, 'rule.').replace(/\.$/, '');
}

async function compute(trx: Tx, body: SplitPreviewBody): Promise<SplitPreview> {
  const asOf = body.asOf ?? new Date().toISOString().slice(0, 10);
  const members = await membersOn(trx, asOf);
  if (members.length === 0) throw invalid('asOf', `nessun Comune nell’Ambito al ${asOf}`);
  const codes = members.map((m) => m.istat_code);
  const basis: string[] = [];
  const { rule } = body;
  let lines: SplitLine[];
  let single: ReadonlyMap<string, number> | null = null;
  try {
    if (rule.kind === 'perHead') {
      const { figures, year } = await populationOn(trx, codes, rule.referenceDate, 'rule.referenceDate');
      basis.push(
        `quota capitaria: popolazione residente al 01/01/${year} per ${rule.centsPerInhabitant} centesimi`,
      );
      lines = perHead(rule.centsPerInhabitant, figures, codes);
      single = figures;
    } else {
      if (body.totalCents === undefined) throw invalid('totalCents', 'indicare l’importo da ripartire');
      const components =
        rule.kind === 'mix'
          ? await Promise.all(
              rule.components.map((c, i) =>
                componentOf(trx, c.rule, c.weight, codes, `rule.components[${i}].rule`, basis),
              ),
            )
          : [await componentOf(trx, rule, 1, codes, 'rule', basis)];
      if (components.length === 1) single = components[0]?.figures ?? null;
      lines = allocate(body.totalCents, codes, components);
    }
  } catch (e) {
    if (e instanceof SplitError) throw invalid(fieldOf(e, rule), e.message);
    throw e;
  }
  const previous =
    body.fundCode && body.year ? await previousShares(trx, body.fundCode, body.year - 1) : null;
  const names = new Map(members.map((m) => [m.istat_code, m.name]));
  let total = 0;
  for (const l of lines) total += l.amountCents;
  return {
    totalCents: total,
    asOf,
    basis,
    lines: lines.map((l) => ({
      istatCode: l.istatCode,
      name: names.get(l.istatCode) ?? l.istatCode,
      figure: single?.get(l.istatCode) ?? null,
      amountCents: l.amountCents,
      exactCents: l.exactCents,
      previousCents: previous ? (previous.get(l.istatCode) ?? 0) : null,
    })),
  };
}

async function previousShares(trx: Tx, fundCode: string, year: number): Promise<Map<string, number> | null> {
  const fund = await q.findFundByCode(trx, fundCode);
  if (!fund) return null;
  const split = await trx
    .selectFrom('splits')
    .select('id')
    .where('fund_id', '=', fund.id)
    .where('year', '=', year)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  if (!split) return null;
  const shares = await trx
    .selectFrom('split_shares')
    .select(['istat_code', 'amount_cents'])
    .where('split_id', '=', split.id)
    .execute();
  return new Map(shares.map((s) => [s.istat_code, s.amount_cents]));
}

/** Computes a split without writing anything: the Assemblea compares rules before voting. */
export function previewSplit(db: Kysely<DB>, actor: Actor, ambitoId: string, body: SplitPreviewBody) {
  return read(db, actor, ambitoId, (trx) => compute(trx, body));
}

/** Stores the split the Assemblea approved, with its deliberation; it replaces an earlier vote. */
export function saveSplit(db: Kysely<DB>, actor: Actor, ambitoId: string, body: SplitSaveBody) {
  assertCan(actor, 'finance:write', { ambitoId, resourceType: 'split' });
  return withTenant(db, { ambitoId }, async (trx) => {
    const fund = await q.findFundByCode(trx, body.fundCode);
    if (!fund) throw invalid('fundCode', 'fondo sconosciuto');
    const act = await requireAct(trx, body.actId);
    if (act.kind !== 'delibera_assemblea')
      throw invalid('actId', 'il riparto è approvato da una deliberazione dell’Assemblea dei Sindaci');
    const preview = await compute(trx, body);
    const replaced = await trx
      .updateTable('splits')
      .set({ superseded_at: new Date() })
      .where('fund_id', '=', fund.id)
      .where('year', '=', body.year)
      .where('superseded_at', 'is', null)
      .returning('id')
      .execute();
    const row = await trx
      .insertInto('splits')
      .values({
        ambito_id: ambitoId,
        fund_id: fund.id,
        year: body.year,
        total_cents: preview.totalCents,
        rule: JSON.stringify({ ...body.rule, asOf: preview.asOf }),
        act_id: body.actId,
        created_by: actor.kind === 'anonymous' ? 'anonimo' : actor.username,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('split_shares')
      .values(
        preview.lines.map((l) => ({
          ambito_id: ambitoId,
          split_id: row.id,
          istat_code: l.istatCode,
          amount_cents: l.amountCents,
        })),
      )
      .execute();
    await audit(trx, actor, {
      action: 'finance.split.save',
      resourceType: 'split',
      resourceId: row.id,
      ambitoId,
      detail: {
        fund: body.fundCode,
        year: body.year,
        totalCents: preview.totalCents,
        rule: body.rule.kind,
        act: act.number,
        actId: act.id,
        replaced: replaced.map((r) => r.id),
      },
    });
    return { id: row.id, ...preview };
  });
}

export function listSplits(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  year?: number,
): Promise<SplitView[]> {
  return read(db, actor, ambitoId, async (trx) => {
    let query = trx
      .selectFrom('splits as s')
      .innerJoin('funds as f', 'f.id', 's.fund_id')
      .innerJoin('acts as t', (j) =>
        j.onRef('t.ambito_id', '=', 's.ambito_id').onRef('t.id', '=', 's.act_id'),
      )
      .select([
        's.id',
        's.year',
        's.total_cents',
        's.rule',
        's.created_by',
        's.created_at',
        'f.code as fund_code',
        't.id as act_id',
        't.number as act_number',
        't.act_date',
        't.subject as act_subject',
      ])
      .where('s.superseded_at', 'is', null);
    if (year !== undefined) query = query.where('s.year', '=', year);
    const splits = await query.orderBy('s.year', 'desc').orderBy('f.code').execute();
    if (splits.length === 0) return [];
    const shares = await trx
      .selectFrom('split_shares as s')
      .innerJoin('comuni as c', 'c.istat_code', 's.istat_code')
      .select(['s.split_id', 's.istat_code', 's.amount_cents', 'c.name'])
      .where(
        's.split_id',
        'in',
        splits.map((s) => s.id),
      )
      .orderBy('s.istat_code')
      .execute();
    return splits.map((s) => {
      const { asOf, ...rule } = s.rule as SplitRule & { asOf: string };
      return {
        id: s.id,
        fundCode: s.fund_code,
        year: s.year,
        totalCents: s.total_cents,
        asOf,
        rule,
        basis: [],
        act: { id: s.act_id, number: s.act_number, date: s.act_date, subject: s.act_subject },
        createdBy: s.created_by,
        createdAt: s.created_at.toISOString(),
        lines: shares
          .filter((x) => x.split_id === s.id)
          .map((x) => ({
            istatCode: x.istat_code,
            name: x.name,
            figure: null,
            amountCents: x.amount_cents,
            exactCents: String(x.amount_cents),
            previousCents: null,
          })),
      };
    });
  });
}
