/**
 * Import of commitments and payments from the accounting system (the file format is described in
 * accounting-csv.ts): every row is checked against the act registry, the budget lines and the
 * money already moved, then everything is written in one tenant transaction, or nothing.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Tx, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { formatEuro as formatEuroCents } from '../../format.js';
import type { Actor } from '../../http/auth.js';
import { DomainError, notFound } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import {
  actKey,
  COLUMN_OF,
  type Column,
  fileErrors,
  type ImportChange,
  type ImportIssue,
  type ImportResult,
  MAX_ERRORS,
  type ParsedFile,
  type PayeeKind,
  parseAccountingCsv,
  type Row,
} from './accounting-csv.js';
import { insertCommitment, insertPayment } from './finance.service.js';

type Op =
  | { kind: 'impegno'; row: Extract<Row, { kind: 'impegno' }>; actId: string; lineId: string }
  | {
      kind: 'liquidazione';
      row: Extract<Row, { kind: 'liquidazione' }>;
      actId: string;
      commitmentId: string | null;
    };
export interface ImportPlan {
  changes: ImportChange[];
  errors: ImportIssue[];
  ops: Op[];
}
interface KnownCommitment {
  id: string | null;
  lineCode: string;
  amount: number;
  paid: number;
  date: string;
  payeeKind: PayeeKind;
  payeeName: string;
  comune: string | null;
}

/** What the movements registered for the file's years look like now. */
async function loadState(trx: Tx, years: number[]) {
  const [acts, members, closed, lines, commitments, paid, payments] = await Promise.all([
    trx.selectFrom('acts').select(['id', 'kind', 'number', 'act_date']).execute(),
    trx.selectFrom('ambito_comuni').select('istat_code').execute(),
    trx.selectFrom('financial_years').select('year').where('year', 'in', years).execute(),
    trx
      .selectFrom('budget_lines')
      .select(['id', 'year', 'code', 'amount_cents'])
      .where('year', 'in', years)
      .execute(),
    trx
      .selectFrom('commitments as c')
      .innerJoin('budget_lines as l', (j) =>
        j.onRef('l.ambito_id', '=', 'c.ambito_id').onRef('l.id', '=', 'c.budget_line_id'),
      )
      .selectAll('c')
      .select('l.code as line_code')
      .where('c.year', 'in', years)
      .execute(),
    trx
      .selectFrom('payments')
      .select(['commitment_id', sql<number>`sum(amount_cents)::bigint`.as('paid')])
      .where('commitment_id', 'in', trx.selectFrom('commitments').select('id').where('year', 'in', years))
      .groupBy('commitment_id')
      .execute(),
    trx
      .selectFrom('payments as p')
      .innerJoin('commitments as c', (j) =>
        j.onRef('c.ambito_id', '=', 'p.ambito_id').onRef('c.id', '=', 'p.commitment_id'),
      )
      .select([
        'p.year',
        'p.number',
        'p.act_id',
        'p.pay_date',
        'p.amount_cents',
        'p.payee_name',
        'c.year as c_year',
        'c.number as c_number',
      ])
      .where('p.year', 'in', years)
      .execute(),
  ]);
  const actIds = new Map<string, string[]>();
  for (const a of acts) {
    const key = actKey(a.kind, a.number, a.act_date);
    actIds.set(key, [...(actIds.get(key) ?? []), a.id]);
  }
  return {
    actIds,
    members: new Set(members.map((m) => m.istat_code)),
    closed: new Set(closed.map((y) => y.year)),
    lines,
    commitments,
    paid,
    payments,
  };
}

/** Checks every row against the registry and the money already moved; writes nothing. */
export async function checkImport(trx: Tx, file: ParsedFile): Promise<ImportPlan> {
  const plan: ImportPlan = { changes: [], errors: [...file.errors], ops: [] };
  if (file.rows.length === 0) return plan;
  const s = await loadState(trx, [...new Set(file.rows.map((r) => r.year))]);
  const lineByCode = new Map(s.lines.map((l) => [`${l.year}|${l.code}`, l]));
  const committed = new Map<string, number>();
  for (const c of s.commitments)
    committed.set(c.budget_line_id, (committed.get(c.budget_line_id) ?? 0) + c.amount_cents);
  const paid = new Map(s.paid.map((p) => [p.commitment_id, Number(p.paid)]));
  const oldCommitments = new Map(s.commitments.map((c) => [`${c.year}|${c.number}`, c]));
  const oldPayments = new Map(s.payments.map((p) => [`${p.year}|${p.number}`, p]));
  const known = new Map<string, KnownCommitment>(
    s.commitments.map((c) => [
      `${c.year}|${c.number}`,
      {
        id: c.id,
        lineCode: c.line_code,
        amount: c.amount_cents,
        paid: paid.get(c.id) ?? 0,
        date: c.commit_date,
        payeeKind: c.payee_kind,
        payeeName: c.payee_name,
        comune: c.comune_istat,
      },
    ]),
  );
  const seen = new Map<string, number>();

  for (const row of file.rows) {
    const before = plan.errors.length;
    const issue = (field: Column, reason: string) => plan.errors.push({ line: row.line, field, reason });
    const key = `${row.year}|${row.number}`;
    const label = `${row.kind} ${row.number}/${row.year}`;
    const ending = row.kind === 'impegno' ? 'o' : 'a';
    const first = seen.get(`${row.kind}|${key}`);
    if (first) {
      issue('numero', `${label} ripetut${ending}: già alla riga ${first}`);
      continue;
    }
    seen.set(`${row.kind}|${key}`, row.line);
    const acts = s.actIds.get(row.act) ?? [];
    if (acts.length !== 1)
      issue(
        'atto_numero',
        acts.length
          ? `più atti corrispondono a ${row.actText}`
          : `atto sconosciuto: ${row.actText} non è nel registro degli atti dell’Ambito`,
      );
    const actId = acts[0] ?? '';
    const change = {
      line: row.line,
      kind: row.kind,
      year: row.year,
      number: row.number,
      amountCents: row.amountCents,
    };
    const unchanged = (diff: Array<[string, boolean]>, budgetLine: string, commitment: string | null) => {
      const differing = diff.filter(([, same]) => !same).map(([name]) => name);
      if (differing.length)
        issue('numero', `${label} già registrat${ending} con dati diversi (${differing.join(', ')})`);
      else plan.changes.push({ ...change, action: 'unchanged', budgetLine, commitment });
    };

    if (row.kind === 'impegno') {
      const line = lineByCode.get(`${row.year}|${row.lineCode}`);
      if (!line) issue('linea', `linea di bilancio ${row.lineCode} sconosciuta per il ${row.year}`);
      if (row.comuneIstat && !s.members.has(row.comuneIstat))
        issue('comune_istat', 'il Comune non appartiene all’Ambito');
      if (plan.errors.length > before || !line) continue;
      const old = oldCommitments.get(key);
      if (old) {
        unchanged(
          [
            ['linea', old.budget_line_id === line.id],
            ['atto', old.act_id === actId],
            ['data', old.commit_date === row.date],
            ['importo', old.amount_cents === row.amountCents],
            ['beneficiario_tipo', old.payee_kind === row.payeeKind],
            ['beneficiario', old.payee_name === row.payeeName],
            ['comune_istat', old.comune_istat === row.comuneIstat],
            ['descrizione', old.description === row.description],
          ],
          line.code,
          null,
        );
        continue;
      }
      const available = line.amount_cents - (committed.get(line.id) ?? 0);
      if (s.closed.has(row.year)) issue('anno', `l’esercizio ${row.year} è chiuso`);
      else if (row.amountCents > available)
        issue('importo', `supera il disponibile della linea ${line.code}: ${formatEuroCents(available)}`);
      if (plan.errors.length > before) continue;
      committed.set(line.id, (committed.get(line.id) ?? 0) + row.amountCents);
      known.set(key, {
        id: null,
        lineCode: line.code,
        amount: row.amountCents,
        paid: 0,
        date: row.date,
        payeeKind: row.payeeKind,
        payeeName: row.payeeName,
        comune: row.comuneIstat,
      });
      plan.changes.push({ ...change, action: 'insert', budgetLine: line.code, commitment: null });
      plan.ops.push({ kind: 'impegno', row, actId, lineId: line.id });
      continue;
    }

    const commitmentKey = `${row.year}|${row.commitment}`;
    const c = known.get(commitmentKey);
    if (!c) {
      const at = file.commitmentLines.get(commitmentKey);
      if (at === undefined) issue('impegno', `impegno ${row.commitment}/${row.year} sconosciuto`);
      else if (at > row.line)
        issue(
          'impegno',
          `l’impegno ${row.commitment}/${row.year} è alla riga ${at}: metterlo prima delle sue liquidazioni`,
        );
      // otherwise the commitment's own row was refused, and says why
      continue;
    }
    if (row.lineCode && row.lineCode !== c.lineCode) issue('linea', `l’impegno è sulla linea ${c.lineCode}`);
    if (row.payeeKind && row.payeeKind !== c.payeeKind)
      issue('beneficiario_tipo', `l’impegno è a favore di: ${c.payeeKind}`);
    if (row.comuneIstat && row.comuneIstat !== c.comune)
      issue('comune_istat', 'diverso da quello dell’impegno');
    if (row.date < c.date) issue('data', 'la liquidazione non può precedere l’impegno');
    if (plan.errors.length > before) continue;
    const payee = row.payeeName || c.payeeName;
    const old = oldPayments.get(key);
    if (old) {
      unchanged(
        [
          ['impegno', `${old.c_year}|${old.c_number}` === commitmentKey],
          ['atto', old.act_id === actId],
          ['data', old.pay_date === row.date],
          ['importo', old.amount_cents === row.amountCents],
          ['beneficiario', old.payee_name === payee],
        ],
        c.lineCode,
        row.commitment,
      );
      continue;
    }
    if (row.amountCents > c.amount - c.paid) {
      issue(
        'importo',
        `supera quanto resta da liquidare sull’impegno ${row.commitment}: ${formatEuroCents(c.amount - c.paid)}`,
      );
      continue;
    }
    c.paid += row.amountCents;
    plan.changes.push({ ...change, action: 'insert', budgetLine: c.lineCode, commitment: row.commitment });
    plan.ops.push({ kind: 'liquidazione', row, actId, commitmentId: c.id });
  }
  plan.errors.sort((a, b) => a.line - b.line);
  return plan;
}

/**
 * Writes the planned rows through the same inserts as the API, so that the database's money
 * guards apply to each; the first refusal (another user committed the same money meanwhile)
 * aborts the caller's transaction, reported with the row's line.
 */
export async function applyImport(trx: Tx, actor: Actor, ambitoId: string, plan: ImportPlan): Promise<void> {
  const inserted = new Map<string, string>();
  for (const op of plan.ops) {
    const { row } = op;
    try {
      if (op.kind === 'impegno') {
        const { id } = await insertCommitment(trx, actor, ambitoId, {
          budgetLineId: op.lineId,
          number: row.number,
          actId: op.actId,
          date: row.date,
          amountCents: row.amountCents,
          payeeKind: op.row.payeeKind,
          payeeName: row.payeeName,
          comuneIstat: row.comuneIstat,
          description: op.row.description,
        });
        inserted.set(`${row.year}|${row.number}`, id);
      } else {
        await insertPayment(trx, actor, ambitoId, {
          commitmentId: op.commitmentId ?? inserted.get(`${row.year}|${op.row.commitment}`) ?? '',
          number: row.number,
          actId: op.actId,
          date: row.date,
          amountCents: row.amountCents,
          ...(row.payeeName ? { payeeName: row.payeeName } : {}),
        });
      }
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      const reasons = e.errors.length ? e.errors : [{ field: 'riga', reason: e.message }];
      throw fileErrors(
        reasons.map((r) => ({ line: row.line, field: COLUMN_OF[r.field] ?? r.field, reason: r.reason })),
      );
    }
  }
}

/** Dry run: the changes and every error, nothing written. Otherwise all or nothing, in one transaction. */
export async function importAccountingCsv(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  body: Buffer,
  dryRun: boolean,
): Promise<ImportResult> {
  assertCan(actor, 'finance:write', { ambitoId, resourceType: 'finance_import' });
  // Read before the transaction opens: a long file must not hold the database.
  const file = await parseAccountingCsv(body);
  return withTenant(db, { ambitoId }, async (trx) => {
    if (!(await trx.selectFrom('ambiti').select('id').where('id', '=', ambitoId).executeTakeFirst()))
      throw notFound('Ambito');
    const plan = await checkImport(trx, file);
    const inserts = plan.changes.filter((c) => c.action === 'insert');
    const counts = {
      commitments: inserts.filter((c) => c.kind === 'impegno').length,
      payments: inserts.filter((c) => c.kind === 'liquidazione').length,
      unchanged: plan.changes.length - inserts.length,
    };
    if (dryRun) return { dryRun, changes: plan.changes, errors: plan.errors.slice(0, MAX_ERRORS), counts };
    if (plan.errors.length) throw fileErrors(plan.errors);
    await applyImport(trx, actor, ambitoId, plan);
    await audit(trx, actor, {
      action: 'finance.import',
      resourceType: 'finance_import',
      ambitoId,
      detail: { ...counts, rows: file.rows.length, sha256: createHash('sha256').update(body).digest('hex') },
    });
    return { dryRun, changes: plan.changes, errors: [], counts };
  });
}
