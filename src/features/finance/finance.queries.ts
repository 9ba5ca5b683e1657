import { sql } from 'kysely';
import type { Tx } from '../../db/scope.js';

export function findActRef(trx: Tx, id: string) {
  return trx
    .selectFrom('acts')
    .select(['id', 'kind', 'number', 'act_date', 'subject'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The Ambito's own fund first, then the shared catalogue (the policy shows both). */
export function findFundByCode(trx: Tx, code: string) {
  return trx
    .selectFrom('funds')
    .selectAll()
    .where('code', '=', code)
    .orderBy(sql`ambito_id is null`)
    .executeTakeFirst();
}

export function listFunds(trx: Tx) {
  return trx.selectFrom('funds').selectAll().orderBy(sql`ambito_id is not null`).orderBy('code').execute();
}

export function findFundYear(trx: Tx, fundId: string, year: number) {
  return trx
    .selectFrom('fund_years')
    .selectAll()
    .where('fund_id', '=', fundId)
    .where('year', '=', year)
    .executeTakeFirst();
}

export async function isYearClosed(trx: Tx, year: number): Promise<boolean> {
  return Boolean(
    await trx.selectFrom('financial_years').select('year').where('year', '=', year).executeTakeFirst(),
  );
}

/** An earlier year with money assigned that is still open. */
export async function hasOpenEarlierYear(trx: Tx, year: number): Promise<boolean> {
  const row = await trx
    .selectFrom('fund_assignments as a')
    .leftJoin('financial_years as y', (j) =>
      j.onRef('y.ambito_id', '=', 'a.ambito_id').onRef('y.year', '=', 'a.year'),
    )
    .select('a.year')
    .where('a.year', '<', year)
    .where('y.year', 'is', null)
    .executeTakeFirst();
  return Boolean(row);
}

export function findAssignment(trx: Tx, id: string) {
  return trx.selectFrom('fund_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findBudgetLine(trx: Tx, id: string) {
  return trx.selectFrom('budget_lines').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findCommitment(trx: Tx, id: string) {
  return trx.selectFrom('commitments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function isMemberComune(trx: Tx, istatCode: string): Promise<boolean> {
  return Boolean(
    await trx
      .selectFrom('ambito_comuni')
      .select('istat_code')
      .where('istat_code', '=', istatCode)
      .executeTakeFirst(),
  );
}

/**
 * What each assignment of the year did not commit, locking the assignments and their lines so
 * that nothing is budgeted or committed on the year while it closes.
 */
export async function uncommittedByAssignment(trx: Tx, year: number) {
  await sql`select id from budget_lines where year = ${year} for update`.execute(trx);
  const { rows } = await sql<{
    id: string;
    fund_id: string;
    fund_code: string;
    min_share_area: 'famiglia_minori' | 'disabilita_non_autosufficienza' | 'poverta_esclusione' | null;
    min_share_bp: number | null;
    spend_by: string | null;
    report_by: string[];
    remaining_cents: number;
  }>`
    select a.id, a.fund_id, f.code as fund_code, a.min_share_area, a.min_share_bp, a.spend_by, a.report_by::text[] as report_by,
      a.amount_cents - coalesce((
        select sum(c.amount_cents) from commitments c
        join budget_lines l on l.ambito_id = c.ambito_id and l.id = c.budget_line_id
        where l.assignment_id = a.id), 0)::bigint as remaining_cents
    from fund_assignments a join funds f on f.id = a.fund_id
    where a.year = ${year}
    order by f.code, a.created_at
    for update of a`.execute(trx);
  return rows;
}

/** Committed and paid per budget line and Comune of spending, for one year's commitments. */
export async function spendingByLineAndComune(trx: Tx, year: number) {
  const { rows } = await sql<{
    budget_line_id: string;
    comune_istat: string | null;
    committed_cents: number;
    paid_cents: number;
  }>`
    select c.budget_line_id, c.comune_istat, sum(c.amount_cents)::bigint as committed_cents,
      coalesce(sum(p.paid), 0)::bigint as paid_cents
    from commitments c
    -- only this year's commitments' payments are summed, through the commitment index
    left join lateral (
      select sum(amount_cents) as paid from payments
      where payments.ambito_id = c.ambito_id and payments.commitment_id = c.id) p on true
    where c.year = ${year}
    group by c.budget_line_id, c.comune_istat`.execute(trx);
  return rows;
}

/** The year's budget lines with their fund and where they sit in the plan. */
export async function listLinesWithPlace(trx: Tx, year: number) {
  const { rows } = await sql<{
    id: string;
    code: string;
    year: number;
    assignment_id: string;
    fund_id: string;
    fund_code: string;
    action_id: string;
    action_code: string;
    action_title: string;
    objective_id: string;
    objective_code: string;
    objective_title: string;
    macro_area_code: string | null;
    macro_area_name: string | null;
    area: 'famiglia_minori' | 'disabilita_non_autosufficienza' | 'poverta_esclusione';
    intervention: 'accesso' | 'presa_in_carico' | 'domiciliare' | 'diurni' | 'residenziali' | 'inclusione';
    amount_cents: number;
    description: string;
  }>`
    select l.id, l.code, l.year, l.assignment_id, a.fund_id, f.code as fund_code,
      ac.id as action_id, ac.code as action_code, ac.title as action_title,
      g.id as objective_id, g.code as objective_code, g.title as objective_title,
      g.macro_area_code, m.name as macro_area_name,
      l.area, l.intervention, l.amount_cents, l.description
    from budget_lines l
    join fund_assignments a on a.ambito_id = l.ambito_id and a.id = l.assignment_id
    join funds f on f.id = a.fund_id
    join actions ac on ac.ambito_id = l.ambito_id and ac.id = l.action_id
    join objectives o on o.ambito_id = ac.ambito_id and o.id = ac.objective_id
    -- money is shown on the general objective, where the macro-area is
    join objectives g on g.ambito_id = o.ambito_id and g.id = coalesce(o.parent_id, o.id)
    left join macro_areas m on m.period_code = g.period_code and m.code = g.macro_area_code
    where l.year = ${year}
    order by f.code, l.code`.execute(trx);
  return rows;
}

export async function listAssignmentsOfYear(trx: Tx, year: number) {
  const { rows } = await sql<{
    id: string;
    fund_id: string;
    fund_code: string;
    fund_name: string;
    source: 'nazionale' | 'regionale' | 'ue' | 'comunale' | 'altro';
    year: number;
    amount_cents: number;
    act_id: string;
    act_kind: string;
    act_number: string;
    act_date: string;
    carried_from_id: string | null;
    min_share_area: 'famiglia_minori' | 'disabilita_non_autosufficienza' | 'poverta_esclusione' | null;
    min_share_bp: number | null;
    spend_by: string | null;
    report_by: string[];
    note: string;
  }>`
    select a.id, a.fund_id, f.code as fund_code, f.name as fund_name, f.source, a.year, a.amount_cents,
      a.act_id, t.kind as act_kind, t.number as act_number, t.act_date, a.carried_from_id,
      a.min_share_area, a.min_share_bp, a.spend_by, a.report_by::text[] as report_by, a.note
    from fund_assignments a
    join funds f on f.id = a.fund_id
    join acts t on t.ambito_id = a.ambito_id and t.id = a.act_id
    where a.year = ${year}
    order by f.code, a.created_at`.execute(trx);
  return rows;
}

/** One line's commitments and payments, each with its act. */
export async function listLineMovements(trx: Tx, lineId: string) {
  const commitments = await trx
    .selectFrom('commitments as c')
    .innerJoin('acts as t', (j) => j.onRef('t.ambito_id', '=', 'c.ambito_id').onRef('t.id', '=', 'c.act_id'))
    .select([
      'c.id',
      'c.number',
      'c.commit_date',
      'c.amount_cents',
      'c.payee_kind',
      'c.payee_name',
      'c.comune_istat',
      'c.description',
      't.id as act_id',
      't.kind as act_kind',
      't.number as act_number',
      't.act_date',
    ])
    .where('c.budget_line_id', '=', lineId)
    .orderBy('c.commit_date')
    .orderBy('c.number')
    .execute();
  const payments =
    commitments.length === 0
      ? []
      : await trx
          .selectFrom('payments as p')
          .innerJoin('acts as t', (j) =>
            j.onRef('t.ambito_id', '=', 'p.ambito_id').onRef('t.id', '=', 'p.act_id'),
          )
          .select([
            'p.id',
            'p.commitment_id',
            'p.number',
            'p.pay_date',
            'p.amount_cents',
            'p.payee_name',
            'p.beneficiaries',
            't.id as act_id',
            't.kind as act_kind',
            't.number as act_number',
            't.act_date',
          ])
          .where(
            'p.commitment_id',
            'in',
            commitments.map((c) => c.id),
          )
          .orderBy('p.pay_date')
          .orderBy('p.number')
          .execute();
  return { commitments, payments };
}
