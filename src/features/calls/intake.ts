import { randomUUID } from 'node:crypto';
import { type Insertable, type Kysely, sql } from 'kysely';
import { type Tx, withTenant } from '../../db/scope.js';
import type { ApplicantRelationship, DB } from '../../db/types.js';
import { systemActor } from '../../http/auth.js';
import { conflict, DomainError } from '../../http/errors.js';
import { audit } from '../audit/audit.js';
import type { Receipt } from './calls.schemas.js';
import { receiptHash, registerHash } from './hashes.js';

/** An application checked and scored, waiting for its turn to be written. */
export interface Accepted {
  ambitoId: string;
  callId: string;
  callCode: string;
  key: string;
  userId: string | null;
  /** The codice fiscale on the submitter's account, when it has one. */
  userCf?: string | null;
  onBehalf: boolean;
  relationship?: ApplicantRelationship;
  cf: string;
  data: unknown;
  dataHash: string;
  eligibility: unknown;
  points: number;
  score: unknown;
  amountCents: number;
  iseeCents: number;
  household: number;
  birthDate: string;
  attachments: Array<{
    code: string;
    filename: string;
    contentType: string;
    sha256: string;
    content: Buffer;
  }>;
  /** When the server accepted it: this orders applications fairly. */
  acceptedAt: Date;
}

interface Pending {
  item: Accepted;
  resolve: (r: Receipt) => void;
  reject: (e: unknown) => void;
}

const ACTIVE = ['submitted', 'integration_requested', 'admissible'] as const;
const INTAKE = systemActor('protocollo');

/**
 * The click-day intake. Requests are checked in parallel, then queued; one writer takes
 * what is queued and writes it in a single transaction (a group commit), so thousands of
 * applications share one durable commit instead of paying one each. A receipt is handed out
 * only after that commit: an acknowledged application survives a crash. Numbers and the
 * protocol register's chain are assigned under a per-Ambito lock, in the order the server
 * accepted the applications.
 */
export class Intake {
  private queue: Pending[] = [];
  private writing = false;
  private lastAccepted = 0;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxBatch = 500,
  ) {}

  /** A monotonic acceptance time: never earlier than the previous one. */
  now(): Date {
    this.lastAccepted = Math.max(Date.now(), this.lastAccepted);
    return new Date(this.lastAccepted);
  }

  submit(item: Accepted): Promise<Receipt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // One turn of the event loop first, so that requests already received join this batch:
        // PGlite answers within microtasks, and without it every batch would hold one application.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const ambiti = [...new Set(this.queue.map((p) => p.item.ambitoId))];
        await Promise.all(ambiti.map((ambitoId) => this.write(ambitoId)));
      }
    } finally {
      this.writing = false;
    }
  }

  /** What is queued for the Ambito now, in order: taken once the connection and the lock are held. */
  private take(ambitoId: string): Pending[] {
    const taken: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of this.queue)
      (p.item.ambitoId === ambitoId && taken.length < this.maxBatch ? taken : rest).push(p);
    this.queue = rest;
    return taken;
  }

  private async write(ambitoId: string): Promise<void> {
    let group: Pending[] = [];
    try {
      await this.commit(ambitoId, () => {
        group = this.take(ambitoId);
        return group;
      });
    } catch (e) {
      // Failed before taking its batch (no connection, no lock): what is queued fails now, not in a loop.
      if (group.length === 0) group = this.take(ambitoId);
      console.error('intake batch failed', (e as Error).message);
      if (group.length > 1 && isDataError(e)) await this.split(ambitoId, group);
      else for (const p of group) p.reject(failureOf(e));
    }
  }

  /**
   * One transaction for a group: the Ambito's lock, then the group (taken only once the lock is
   * held, so that it is what was queued up to now), written and then answered after the commit.
   */
  private async commit(ambitoId: string, group: () => Pending[]): Promise<void> {
    let taken: Pending[] = [];
    const outcomes = await withTenant(this.db, { ambitoId }, async (trx) => {
      // One writer per Ambito at a time, also across server processes.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`intake:${ambitoId}`}, 0))`.execute(trx);
      taken = group();
      return writeBatch(
        trx,
        ambitoId,
        taken.map((p) => p.item),
      );
    });
    taken.forEach((p, i) => {
      const o = outcomes[i];
      if (o instanceof DomainError) p.reject(o);
      else if (o) p.resolve(o);
    });
  }

  /**
   * A batch the database refused for the data of one of its applications (what validation should
   * have stopped, but must not cost the others their place): its halves are written again at once,
   * first half first, keeping their order and their acceptance instants, down to the one
   * application that fails, which alone is refused.
   */
  private async split(ambitoId: string, group: Pending[]): Promise<void> {
    const half = Math.ceil(group.length / 2);
    for (const part of [group.slice(0, half), group.slice(half)]) {
      if (part.length === 0) continue;
      try {
        await this.commit(ambitoId, () => part);
      } catch (e) {
        if (part.length > 1 && isDataError(e)) await this.split(ambitoId, part);
        else for (const p of part) p.reject(failureOf(e));
      }
    }
  }
}

/**
 * SQLSTATE classes 22 (data exception: NUL, bad Unicode escape, value out of range) and 23
 * (integrity constraint): the data of some application is at fault, not the database.
 */
function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

function failureOf(e: unknown): DomainError {
  // One application's data refused by the database: retrying it would fail again.
  if (isDataError(e))
    return new DomainError(
      'INVALID',
      'La domanda contiene dati non accettati: ricontrollare i campi e riprovare',
    );
  // Nothing of this batch was written: the clients may safely retry with the same key.
  return new DomainError('UNAVAILABLE', 'Domanda non registrata per un errore temporaneo: riprovare');
}

/**
 * One live application per person and call. The answer never names the other application nor
 * says who filed it: to whoever may see it (who filed it, or the person it is for) it points to
 * "Le mie domande"; to anyone else it is the same refusal whoever holds it.
 */
function duplicateApplicant(item: Accepted, holderUserId: string | null): DomainError {
  const visible =
    (item.userId !== null && holderUserId === item.userId) ||
    (item.userCf != null && item.userCf === item.cf);
  return conflict(
    'applicant.codiceFiscale',
    visible
      ? 'per questa persona c’è già una domanda attiva in questo bando: la trovi in «Le mie domande»'
      : 'per questo codice fiscale non si può registrare un’altra domanda in questo bando; in caso di dubbi rivolgersi all’Ufficio di Piano',
  );
}

async function writeBatch(
  trx: Tx,
  ambitoId: string,
  items: Accepted[],
): Promise<Array<Receipt | DomainError>> {
  if (items.length === 0) return [];
  const callIds = [...new Set(items.map((i) => i.callId))];
  const keys = items.map((i) => i.key);
  const cfs = items.map((i) => i.cf);
  const [existing, active, seqs, last] = await Promise.all([
    trx
      .selectFrom('applications')
      .select(['id', 'call_id', 'idempotency_key', 'protocol', 'received_at', 'receipt_hash', 'data_hash'])
      .where('call_id', 'in', callIds)
      .where('idempotency_key', 'in', keys)
      .execute(),
    trx
      .selectFrom('applications')
      .select(['call_id', 'applicant_cf', 'user_id'])
      .where('call_id', 'in', callIds)
      .where('applicant_cf', 'in', cfs)
      .where('status', 'in', ACTIVE)
      .execute(),
    trx
      .selectFrom('applications')
      .select(['call_id', sql<number>`max(seq)`.as('seq')])
      .where('call_id', 'in', callIds)
      .groupBy('call_id')
      .execute(),
    trx
      .selectFrom('protocol_register')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  const byKey = new Map(existing.map((e) => [`${e.call_id}|${e.idempotency_key}`, e]));
  const activeCf = new Map(active.map((a) => [`${a.call_id}|${a.applicant_cf}`, a.user_id]));
  const nextSeq = new Map(seqs.map((s) => [s.call_id, Number(s.seq)]));
  let registerSeq = Number(last?.seq ?? 0);
  let prevHash = last?.hash ?? '0'.repeat(64);

  const outcomes: Array<Receipt | DomainError> = [];
  const applications: Insertable<DB['applications']>[] = [];
  const attachments: Insertable<DB['application_attachments']>[] = [];
  const register: Insertable<DB['protocol_register']>[] = [];
  const protocols: string[] = [];
  for (const item of items) {
    const keyOf = `${item.callId}|${item.key}`;
    const previous = byKey.get(keyOf);
    if (previous) {
      outcomes.push(
        previous.data_hash === item.dataHash
          ? {
              applicationId: previous.id,
              callId: previous.call_id,
              protocol: previous.protocol,
              receivedAt: previous.received_at.toISOString(),
              hash: previous.receipt_hash,
              dataHash: previous.data_hash,
            }
          : conflict('Idempotency-Key', 'chiave già usata per una domanda con contenuto diverso'),
      );
      continue;
    }
    const cfOf = `${item.callId}|${item.cf}`;
    if (activeCf.has(cfOf)) {
      outcomes.push(duplicateApplicant(item, activeCf.get(cfOf) ?? null));
      continue;
    }
    const seq = (nextSeq.get(item.callId) ?? 0) + 1;
    nextSeq.set(item.callId, seq);
    const id = randomUUID();
    const protocol = `${item.callCode}/${String(seq).padStart(6, '0')}`;
    const receivedAt = item.acceptedAt.toISOString();
    const receipt: Receipt = {
      applicationId: id,
      callId: item.callId,
      protocol,
      receivedAt,
      hash: receiptHash(protocol, receivedAt, item.callId, item.dataHash),
      dataHash: item.dataHash,
    };
    byKey.set(keyOf, {
      id,
      call_id: item.callId,
      idempotency_key: item.key,
      protocol,
      received_at: item.acceptedAt,
      receipt_hash: receipt.hash,
      data_hash: item.dataHash,
    });
    activeCf.set(cfOf, item.userId);
    applications.push({
      ambito_id: ambitoId,
      id,
      call_id: item.callId,
      seq,
      protocol,
      received_at: item.acceptedAt,
      idempotency_key: item.key,
      applicant_cf: item.cf,
      user_id: item.userId,
      on_behalf: item.onBehalf,
      relationship: item.relationship ?? 'self',
      data: JSON.stringify(item.data),
      data_hash: item.dataHash,
      receipt_hash: receipt.hash,
      eligibility: JSON.stringify(item.eligibility),
      points: item.points,
      score: JSON.stringify(item.score),
      amount_cents: item.amountCents,
      isee_cents: item.iseeCents,
      household: item.household,
      birth_date: item.birthDate,
    });
    for (const a of item.attachments)
      attachments.push({
        ambito_id: ambitoId,
        application_id: id,
        code: a.code,
        filename: a.filename,
        content_type: a.contentType,
        bytes: a.content.length,
        sha256: a.sha256,
        content: a.content,
      });
    registerSeq++;
    const hash = registerHash({
      prevHash,
      seq: registerSeq,
      protocol,
      receivedAt,
      dataHash: item.dataHash,
      applicationId: id,
    });
    register.push({
      ambito_id: ambitoId,
      seq: registerSeq,
      application_id: id,
      call_id: item.callId,
      protocol,
      received_at: item.acceptedAt,
      data_hash: item.dataHash,
      prev_hash: prevHash,
      hash,
    });
    prevHash = hash;
    protocols.push(protocol);
    outcomes.push(receipt);
  }
  if (applications.length > 0) {
    await trx.insertInto('applications').values(applications).execute();
    if (attachments.length) await trx.insertInto('application_attachments').values(attachments).execute();
    await trx.insertInto('protocol_register').values(register).execute();
    for (const callId of callIds) {
      const own = register.filter((r) => r.call_id === callId);
      if (own.length === 0) continue;
      await audit(trx, INTAKE, {
        action: 'call.applications.receive',
        resourceType: 'call',
        resourceId: callId,
        ambitoId,
        detail: { count: own.length, first: own[0]?.protocol, last: own.at(-1)?.protocol },
      });
    }
  }
  return outcomes;
}
