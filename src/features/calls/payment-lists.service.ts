/**
 * Payment lists: what a call pays its beneficiaries in one period, charged to the call's
 * finance commitment (impegno) by one payment (liquidazione), and the files the treasurer needs
 * (CSV, XLSX, SEPA pain.001).
 *
 * Instalments: the call's rules say nothing about monthly payments, so a list pays, for each
 * funded application, its next instalment out of `instalments` equal parts of the award (1 by
 * default: the whole award in one list). The parts are exact to the cent (largest remainder,
 * the extra cents on the last instalments); the last instalment pays whatever is left of the
 * award, so a later change of award is settled there and nothing is ever paid twice.
 *
 * Finance: the first list commits, on the call's budget line, the awards of the applications
 * still standing (withdrawn or excluded ones are never paid, so never committed), under the
 * liquidation act and on its date. Each list is one payment on that commitment dated with the
 * requested execution date: the SEPA file reads ReqdExctnDt back from the payment.
 */
import { type Kysely, sql } from 'kysely';
import type { Tx } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import { formatEuro } from '../../format.js';
import type { Actor } from '../../http/auth.js';
import { conflict, DomainError, invalid, notFound } from '../../http/errors.js';
import { assertCan, can } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import { insertCommitment, insertPayment } from '../finance/finance.service.js';
import { allocate } from '../finance/split.js';
import { type CallRow, withCall } from './calls.service.js';
import type { PaymentListBody, PaymentListView } from './payment-lists.routes.js';

/** The act that orders a payment: a determina of the Ufficio di Piano (determina di liquidazione). */
const PAYMENT_ACT = 'determina_udp';

/** An award in `n` instalments that add up to it exactly; the extra cents go to the last ones. */
export function instalmentPlan(awardedCents: number, n: number): number[] {
  // allocate hands the extra cents to the lowest codes first: the last instalment has the lowest.
  const codes = Array.from({ length: n }, (_, k) => String(n - 1 - k).padStart(2, '0'));
  const equal = new Map(codes.map((c) => [c, 1]));
  return allocate(awardedCents, codes, [{ weight: 1, figures: equal }]).map((l) => l.amountCents);
}

/** What the next list pays an application that has had `paidCount` payments totalling `paidCents`. */
export function nextInstalment(
  awardedCents: number,
  paidCents: number,
  paidCount: number,
  n: number,
): number {
  const remaining = awardedCents - paidCents;
  if (remaining <= 0) return 0;
  if (paidCount >= n - 1) return remaining;
  return Math.min(instalmentPlan(awardedCents, n)[paidCount] ?? remaining, remaining);
}

interface Due {
  application_id: string;
  awarded_cents: number;
  paid_cents: number;
  paid_count: number;
}

function listDue(trx: Tx, callId: string) {
  return sql<Due>`
    select r.application_id, r.awarded_cents,
      coalesce(sum(l.amount_cents), 0)::bigint as paid_cents, count(l.application_id)::int as paid_count
    from ranking_entries r
    join applications a on a.ambito_id = r.ambito_id and a.id = r.application_id
    left join payment_list_lines l on l.ambito_id = r.ambito_id and l.application_id = r.application_id
    where r.call_id = ${callId} and r.outcome in ('funded', 'partially_funded')
      and a.status not in ('withdrawn', 'excluded')
    group by r.application_id, r.awarded_cents, a.seq
    order by a.seq`
    .execute(trx)
    .then((r) => r.rows);
}

/** The call's commitment, created on its budget line for the whole award at the first list. */
async function callCommitment(trx: Tx, actor: Actor, call: CallRow, act: { id: string; act_date: string }) {
  // What will be paid: the awards of the applications still standing (not withdrawn or excluded).
  const { rows } = await sql<{ awarded: number }>`
    select coalesce(sum(r.awarded_cents), 0)::bigint as awarded from ranking_entries r
    join applications a on a.ambito_id = r.ambito_id and a.id = r.application_id
    where r.call_id = ${call.id} and r.outcome in ('funded', 'partially_funded')
      and a.status not in ('withdrawn', 'excluded')`.execute(trx);
  const awarded = rows[0]?.awarded ?? 0;
  if (awarded <= 0) throw conflict('status', 'la graduatoria non assegna alcun contributo');
  const { id } = await insertCommitment(trx, actor, call.ambito_id, {
    budgetLineId: call.budget_line_id,
    number: `${call.code.slice(0, 36)}/IMP`,
    actId: act.id,
    date: act.act_date,
    amountCents: awarded,
    payeeKind: 'beneficiari',
    payeeName: `Beneficiari del bando ${call.code}`,
    comuneIstat: null,
    description: call.title.slice(0, 1000),
  });
  await trx.updateTable('calls').set({ commitment_id: id }).where('id', '=', call.id).execute();
  return id;
}

/**
 * Refuses, in a clear sentence, a list the commitment cannot cover. The payments trigger stays
 * the guard (insertPayment maps its refusal to a 409 too).
 */
async function checkCommitmentCovers(trx: Tx, commitmentId: string, totalCents: number) {
  const { rows } = await sql<{ number: string; left_cents: number }>`
    select c.number, (c.amount_cents - coalesce((select sum(p.amount_cents) from payments p
      where p.ambito_id = c.ambito_id and p.commitment_id = c.id), 0))::bigint as left_cents
    from commitments c where c.id = ${commitmentId}`.execute(trx);
  const c = rows[0];
  if (c && totalCents > c.left_cents)
    throw conflict(
      'period',
      `l’elenco (${formatEuro(totalCents)}) supera quanto resta da liquidare sull’impegno ${c.number} (${formatEuro(c.left_cents)}): integrare l’impegno con un nuovo atto`,
    );
}

/** Creates the list for a period in one transaction: commitment (first time), payment, list, lines, audit. */
export function createPaymentList(db: Kysely<DB>, actor: Actor, callId: string, input: PaymentListBody) {
  return withCall(db, actor, callId, async (trx, call) => {
    const ambitoId = call.ambito_id;
    assertCan(actor, 'applications:review', { ambitoId, resourceType: 'call', resourceId: callId });
    // One list at a time per call: the amounts below are read under this lock.
    const locked = await trx
      .selectFrom('calls')
      .select(['status', 'commitment_id'])
      .where('id', '=', callId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (locked.status !== 'final')
      throw conflict('status', 'la graduatoria del bando non è ancora definitiva: non si può liquidare');
    const act = await trx
      .selectFrom('acts')
      .select(['id', 'kind', 'number', 'act_date'])
      .where('id', '=', input.actId)
      .executeTakeFirst();
    if (!act) throw invalid('actId', 'atto sconosciuto: registrare prima la determina di liquidazione');
    if (act.kind !== PAYMENT_ACT)
      throw invalid('actId', 'la liquidazione si dispone con una determina dell’Ufficio di Piano');
    if (input.executionDate < act.act_date)
      throw invalid('executionDate', 'la data di esecuzione non può precedere la determina');
    const existing = await trx
      .selectFrom('payment_lists')
      .select('id')
      .where('call_id', '=', callId)
      .where('period', '=', input.period)
      .executeTakeFirst();
    if (existing)
      throw conflict('period', `esiste già un elenco di pagamento per il periodo ${input.period}`);

    const lines = (await listDue(trx, callId))
      .map((d) => ({
        applicationId: d.application_id,
        amountCents: nextInstalment(d.awarded_cents, d.paid_cents, d.paid_count, input.instalments),
      }))
      .filter((l) => l.amountCents > 0);
    if (lines.length === 0)
      throw conflict('period', 'nulla da pagare: i contributi assegnati sono già stati liquidati per intero');
    const totalCents = lines.reduce((s, l) => s + l.amountCents, 0);

    const commitmentId = locked.commitment_id ?? (await callCommitment(trx, actor, call, act));
    await checkCommitmentCovers(trx, commitmentId, totalCents);
    const payment = await insertPayment(trx, actor, ambitoId, {
      commitmentId,
      number: `${call.code.slice(0, 32)}/${input.period}`,
      actId: act.id,
      date: input.executionDate,
      amountCents: totalCents,
      payeeName: `Beneficiari – elenco ${input.period}`,
      beneficiaries: lines.length,
    });
    const list = await trx
      .insertInto('payment_lists')
      .values({
        ambito_id: ambitoId,
        call_id: callId,
        period: input.period,
        commitment_id: commitmentId,
        payment_id: payment.id,
        total_cents: totalCents,
        lines: lines.length,
        created_by: actor.kind === 'anonymous' ? 'anonimo' : actor.username,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('payment_list_lines')
      .values(
        lines.map((l) => ({
          ambito_id: ambitoId,
          list_id: list.id,
          application_id: l.applicationId,
          amount_cents: l.amountCents,
        })),
      )
      .execute();
    // The guard, in SQL over everything stored: no application of this list paid beyond its award.
    const { rows: over } = await sql<{ protocol: string }>`
      select a.protocol from payment_list_lines mine
      join applications a on a.ambito_id = mine.ambito_id and a.id = mine.application_id
      join ranking_entries r on r.ambito_id = mine.ambito_id and r.application_id = mine.application_id
      where mine.list_id = ${list.id}
        and (select sum(l.amount_cents) from payment_list_lines l
             where l.ambito_id = mine.ambito_id and l.application_id = mine.application_id) > r.awarded_cents
      limit 1`.execute(trx);
    if (over[0])
      throw conflict('period', `la domanda ${over[0].protocol} sarebbe pagata oltre il contributo assegnato`);
    await audit(trx, actor, {
      action: 'call.payment_list.create',
      resourceType: 'payment_list',
      resourceId: list.id,
      ambitoId,
      // identifiers and figures only: the beneficiaries are in the lines
      detail: {
        callId,
        period: input.period,
        totalCents,
        lines: lines.length,
        instalments: input.instalments,
        actId: act.id,
        act: act.number,
        commitmentId,
        paymentId: payment.id,
      },
    });
    return {
      id: list.id,
      period: input.period,
      totalCents,
      lines: lines.length,
      executionDate: input.executionDate,
      commitmentId,
      paymentId: payment.id,
    };
  });
}

function assertRead(actor: Actor, call: CallRow) {
  const target = { ambitoId: call.ambito_id, resourceType: 'call', resourceId: call.id };
  if (!can(actor, 'applications:review', target)) assertCan(actor, 'applications:read', target);
}

function listsOfCall(trx: Tx, callId: string) {
  return trx
    .selectFrom('payment_lists as l')
    .innerJoin('payments as p', (j) =>
      j.onRef('p.ambito_id', '=', 'l.ambito_id').onRef('p.id', '=', 'l.payment_id'),
    )
    .innerJoin('commitments as c', (j) =>
      j.onRef('c.ambito_id', '=', 'l.ambito_id').onRef('c.id', '=', 'l.commitment_id'),
    )
    .select([
      'l.id',
      'l.period',
      'l.total_cents',
      'l.lines',
      'l.created_at',
      'l.created_by',
      'p.pay_date',
      'p.number as payment_number',
      'c.number as commitment_number',
    ])
    .where('l.call_id', '=', callId);
}

type ListRow = Awaited<ReturnType<ReturnType<typeof listsOfCall>['executeTakeFirstOrThrow']>>;

const toView = (l: ListRow): PaymentListView => ({
  id: l.id,
  period: l.period,
  totalCents: l.total_cents,
  lines: l.lines,
  executionDate: l.pay_date,
  payment: l.payment_number,
  commitment: l.commitment_number,
  createdAt: l.created_at.toISOString(),
  createdBy: l.created_by,
});

/** The call's lists: totals only, no personal data. */
export function listPaymentLists(db: Kysely<DB>, actor: Actor, callId: string): Promise<PaymentListView[]> {
  return withCall(db, actor, callId, async (trx, call) => {
    assertRead(actor, call);
    return (await listsOfCall(trx, callId).orderBy('l.period').execute()).map(toView);
  });
}

export interface PaymentListLine {
  protocol: string;
  lastName: string;
  firstName: string;
  codiceFiscale: string;
  iban: string;
  amountCents: number;
  causale: string;
}

export interface PaymentListExport {
  call: { id: string; code: string; title: string; debtorName: string; debtorIban: string };
  list: PaymentListView;
  lines: PaymentListLine[];
}

/** One list with its beneficiaries, for a file: personal data, so the read is audited. */
export function exportPaymentList(
  db: Kysely<DB>,
  actor: Actor,
  callId: string,
  listId: string,
  format: 'csv' | 'xlsx' | 'xml',
  purpose?: string,
): Promise<PaymentListExport> {
  return withCall(db, actor, callId, async (trx, call) => {
    assertRead(actor, call);
    const list = await listsOfCall(trx, callId).where('l.id', '=', listId).executeTakeFirst();
    if (!list) throw notFound('Elenco di pagamento');
    // The file names every beneficiary with codice fiscale and IBAN: the office pays from it; an
    // auditor reads it only for a stated purpose, recorded with the read (ADR 0007).
    const office = can(actor, 'applications:review', { ambitoId: call.ambito_id });
    if (!office && purpose === undefined) {
      const error = new DomainError(
        'FORBIDDEN',
        'L’elenco contiene nomi, codici fiscali e IBAN dei beneficiari: indicare la finalità della consultazione',
        [{ field: 'purpose', reason: 'obbligatoria per scaricare l’elenco come revisore' }],
      );
      error.denied = {
        action: 'applications:read_full',
        ambitoId: call.ambito_id,
        resourceType: 'payment_list',
        resourceId: listId,
      };
      throw error;
    }
    const rows = await trx
      .selectFrom('payment_list_lines as l')
      .innerJoin('applications as a', (j) =>
        j.onRef('a.ambito_id', '=', 'l.ambito_id').onRef('a.id', '=', 'l.application_id'),
      )
      .select(['a.protocol', 'a.data', 'l.amount_cents'])
      .where('l.list_id', '=', listId)
      .orderBy('a.seq')
      .execute();
    await audit(trx, actor, {
      action: 'call.payment_list.export',
      resourceType: 'payment_list',
      resourceId: listId,
      ambitoId: call.ambito_id,
      purpose: purpose ?? 'pagamento dei contributi ai beneficiari del bando',
      detail: {
        callId,
        format,
        period: list.period,
        lines: rows.length,
        statedPurpose: purpose !== undefined,
      },
    });
    return {
      call: {
        id: call.id,
        code: call.code,
        title: call.title,
        debtorName: call.debtor_name,
        debtorIban: call.debtor_iban,
      },
      list: toView(list),
      lines: rows.map((r) => {
        const d = r.data as { firstName: string; lastName: string; codiceFiscale: string; iban: string };
        return {
          protocol: r.protocol,
          lastName: d.lastName,
          firstName: d.firstName,
          codiceFiscale: d.codiceFiscale.toUpperCase(),
          iban: d.iban,
          amountCents: r.amount_cents,
          causale: `Bando ${call.code} - contributo ${list.period} - prot. ${r.protocol}`,
        };
      }),
    };
  });
}
