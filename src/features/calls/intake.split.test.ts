import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientWith, createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { buildB2Applicant, createCall } from '../../../test/helpers/calls.js';
import { DomainError } from '../../http/errors.js';
import type { Receipt } from './calls.schemas.js';
import { sha256 } from './hashes.js';
import { type Accepted, Intake } from './intake.js';

/**
 * The intake below validation: one queued application that the database refuses (here a
 * codice fiscale the table's check constraint rejects, which no request can send) must cost the
 * others of its batch neither their receipt, nor their place, nor their acceptance instant.
 */
let t: TestApp;
let sesto: string;
let call: { id: string; code: string };

beforeAll(async () => {
  t = await createTestApp({ seed: true });
  sesto = (
    await t.database.db
      .selectFrom('ambiti')
      .select('id')
      .where('code', '=', 'sesto-san-giovanni')
      .executeTakeFirstOrThrow()
  ).id;
  const office = await clientWith(t, [{ role: 'ufficio_di_piano', ambitoId: sesto }]);
  const created = await createCall(office, sesto, { code: 'SPLIT-1' });
  call = { id: created.id, code: 'SPLIT-1' };
});
afterAll(() => t?.close());

function item(intake: Intake, i: number, cf?: string): Accepted {
  const applicant = buildB2Applicant(5000 + i);
  return {
    ambitoId: sesto,
    callId: call.id,
    callCode: call.code,
    key: `split-key-${i}`,
    userId: null,
    onBehalf: false,
    cf: cf ?? applicant.codiceFiscale,
    data: applicant,
    dataHash: sha256(`split-${i}`),
    eligibility: { eligible: true, reasons: [] },
    points: 10,
    score: [],
    amountCents: 100_000,
    iseeCents: applicant.isee.valueCents,
    household: applicant.householdMembers,
    birthDate: applicant.birthDate,
    attachments: [],
    acceptedAt: intake.now(),
  };
}

describe('a batch the database refuses', () => {
  it('is split: only the failing application is refused, the others keep their order and instants', async () => {
    const intake = new Intake(t.database.db);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const items = Array.from({ length: 12 }, (_, i) => item(intake, i, i === 5 ? 'not-a-cf' : undefined));
    // Submitted in one turn of the event loop: one batch, as on a click-day.
    const settled = await Promise.allSettled(items.map((x) => intake.submit(x)));
    expect(logged).toHaveBeenCalledWith('intake batch failed', expect.any(String));
    logged.mockRestore();

    const bad = settled[5];
    expect(bad?.status).toBe('rejected');
    const reason = (bad as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(DomainError);
    expect((reason as DomainError).code).toBe('INVALID');

    const receipts = settled
      .filter((s, i) => i !== 5 && s.status === 'fulfilled')
      .map((s) => (s as PromiseFulfilledResult<Receipt>).value);
    expect(receipts).toHaveLength(11);
    const good = items.filter((_, i) => i !== 5);
    // Each keeps the instant it was accepted at, and the numbers follow the queue's order.
    expect(receipts.map((r) => r.receivedAt)).toEqual(good.map((x) => x.acceptedAt.toISOString()));
    expect(receipts.map((r) => r.protocol)).toEqual(
      good.map((_, i) => `SPLIT-1/${String(i + 1).padStart(6, '0')}`),
    );

    const stored = await t.database.db.transaction().execute(async (trx) => {
      await sql`select set_config('app.ambito_id', ${sesto}, true)`.execute(trx);
      return trx
        .selectFrom('applications')
        .select(['idempotency_key', 'seq', 'received_at'])
        .where('call_id', '=', call.id)
        .orderBy('seq')
        .execute();
    });
    expect(stored.map((s) => s.idempotency_key)).toEqual(good.map((x) => x.key));
    expect(stored.map((s) => s.received_at.toISOString())).toEqual(
      good.map((x) => x.acceptedAt.toISOString()),
    );
  });

  it('still answers 503 to all when the database itself is unavailable, without splitting', async () => {
    const failing = {
      transaction: () => ({
        execute: async () => {
          throw Object.assign(new Error('connection refused'), { code: '08006' });
        },
      }),
    } as unknown as ConstructorParameters<typeof Intake>[0];
    const intake = new Intake(failing);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const settled = await Promise.allSettled([0, 1, 2].map((i) => intake.submit(item(intake, 100 + i))));
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect(((s as PromiseRejectedResult).reason as DomainError).code).toBe('UNAVAILABLE');
    }
  });
});
