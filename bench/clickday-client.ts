import { type Kysely, sql } from 'kysely';
import { withTenant } from '../src/db/scope.js';
import type { DB } from '../src/db/types.js';
import type { Receipt } from '../src/features/calls/calls.schemas.js';
import { createUser } from '../src/features/identity/users.service.js';
import { systemActor } from '../src/http/auth.js';
import type { Client } from '../test/helpers/app.js';
import { b2Attachments, buildB2Applicant, createCall } from '../test/helpers/calls.js';
import { HttpClient } from '../test/helpers/server-process.js';

/** What the click-day benchmark and the crash test share: users, the call, the load, the checks. */
export const CLICKDAY_PASSWORD = 'cavallo-batteria-graffetta-clickday';

async function inParallel<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}

/** The Ufficio di Piano of the Ambito and `n` citizens, created with the project's own functions. */
export async function prepareUsers(db: Kysely<DB>, ambitoId: string, n: number, prefix = 'clickday') {
  const actor = systemActor('bench');
  const office = `${prefix}.ufficio`;
  await createUser(db, actor, {
    username: office,
    displayName: 'Ufficio di Piano',
    password: CLICKDAY_PASSWORD,
    roles: [{ role: 'ufficio_di_piano', ambitoId }],
  });
  const citizens = Array.from({ length: n }, (_, i) => `${prefix}.cittadino${i}`);
  await inParallel(citizens, 4, async (username) => {
    await createUser(db, actor, {
      username,
      displayName: username,
      password: CLICKDAY_PASSWORD,
      roles: [{ role: 'cittadino' }],
    });
  });
  return { office, citizens };
}

/** Logs the office in from its own address and opens a Misura B2 call now, for three hours. */
export async function openCall(baseUrl: string, office: string, ambitoId: string) {
  const client = new HttpClient(baseUrl, HttpClient.address(0));
  await client.login(office, CLICKDAY_PASSWORD);
  // createCall only uses request() and the { statusCode, body, json() } answer: the real HTTP client fits.
  const call = await createCall(client as unknown as Client, ambitoId, {
    opensAt: new Date(Date.now() - 60_000),
    closesAt: new Date(Date.now() + 3 * 3_600_000),
  });
  return { office: client, callId: call.id };
}

/** One logged-in client per citizen, each from its own loopback address. */
export async function loginClients(baseUrl: string, usernames: string[]): Promise<HttpClient[]> {
  const clients = usernames.map((_, i) => new HttpClient(baseUrl, HttpClient.address(i + 1)));
  await inParallel(usernames, 8, (username, i) =>
    (clients[i] as HttpClient).login(username, CLICKDAY_PASSWORD),
  );
  return clients;
}

export interface Sent {
  key: string;
  applicant: number;
}

export interface LoadResult {
  submitted: number;
  acknowledged: number;
  receipts: Map<string, Receipt>;
  /** Submissions whose answer never came (the server died under them). */
  unsettled: Sent[];
  /** Per acknowledged submission, from its first attempt to its receipt. */
  latenciesMs: number[];
  errors: Record<string, number>;
  wallMs: number;
}

export const submissionBody = (applicant: number) =>
  JSON.stringify({ applicant: buildB2Applicant(applicant), attachments: b2Attachments() });

/**
 * Sends `count` submissions from the clients, each client sending its next one when the
 * previous has answered. A network error or a 503 is retried with the same key (or, with
 * `stopOnNetworkError`, the submission is left unsettled and the client stops); a 429 waits and
 * retries; any other answer than 201 is an error and the submission is given up.
 */
export async function fireSubmissions(opts: {
  clients: HttpClient[];
  callId: string;
  count: number;
  keyPrefix: string;
  firstApplicant?: number;
  /** The bodies, built beforehand (submissionBody) so that building them is not measured. */
  bodies?: string[];
  stopOnNetworkError?: boolean;
  /** Checked after every receipt: true stops sending new submissions. */
  stop?: (acknowledged: number) => boolean;
}): Promise<LoadResult> {
  const first = opts.firstApplicant ?? 0;
  // Built beforehand: the load generator shares the machine with the server.
  const bodies = opts.bodies ?? Array.from({ length: opts.count }, (_, i) => submissionBody(first + i));
  const result: LoadResult = {
    submitted: 0,
    acknowledged: 0,
    receipts: new Map(),
    unsettled: [],
    latenciesMs: [],
    errors: {},
    wallMs: 0,
  };
  const fail = (what: string) => {
    result.errors[what] = (result.errors[what] ?? 0) + 1;
  };
  let next = 0;
  let stopped = false;
  const start = performance.now();
  let lastAck = start;
  const url = `/api/v1/calls/${opts.callId}/applications`;
  await Promise.all(
    opts.clients.map(async (client) => {
      while (!stopped && next < opts.count) {
        const n = next++;
        const sent: Sent = { key: `${opts.keyPrefix}-${String(n).padStart(8, '0')}`, applicant: first + n };
        result.submitted++;
        const began = performance.now();
        for (let attempt = 0; ; attempt++) {
          let status: number;
          let text = '';
          try {
            const res = await client.request({
              method: 'POST',
              url,
              body: bodies[n],
              headers: { 'idempotency-key': sent.key },
            });
            status = res.statusCode;
            text = res.body;
          } catch {
            fail('network');
            if (opts.stopOnNetworkError) {
              result.unsettled.push(sent);
              return;
            }
            status = 0;
          }
          if (status === 201) {
            lastAck = performance.now();
            result.receipts.set(sent.key, JSON.parse(text) as Receipt);
            result.acknowledged++;
            result.latenciesMs.push(lastAck - began);
            if (opts.stop?.(result.acknowledged)) stopped = true;
            break;
          }
          if (status !== 0) fail(String(status));
          if (attempt >= 20) break;
          if (status === 0 || status === 503) continue;
          if (status === 429) await new Promise((r) => setTimeout(r, 1_000));
          else break;
        }
      }
    }),
  );
  result.wallMs = lastAck - start;
  return result;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The intake's group commits for the call, from its audit entries (one per batch): how many and how big. */
export async function batchSizes(db: Kysely<DB>, ambitoId: string, callId: string) {
  const rows = await withTenant(db, { ambitoId }, (trx) =>
    trx
      .selectFrom('audit_log')
      .select(sql<number>`(detail->>'count')::int`.as('count'))
      .where('action', '=', 'call.applications.receive')
      .where('resource_id', '=', callId)
      .execute(),
  );
  const sizes = rows.map((r) => Number(r.count));
  return {
    batches: sizes.length,
    meanBatch: sizes.length ? Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length) : 0,
    maxBatch: Math.max(0, ...sizes),
  };
}

export interface StoredCheck {
  stored: number;
  /** Acknowledged receipts not stored with the same id, protocol and hash. */
  lost: number;
  /** Rows beyond the first for one codice fiscale, one key or one protocol number. */
  duplicated: number;
  /** Protocol numbers 1..stored with no gap. */
  contiguous: boolean;
  /** Stored applications with exactly one entry in the protocol register each. */
  registered: boolean;
  keys: Map<string, { id: string; protocol: string; hash: string }>;
}

/** Compares the receipts the clients hold with what the database has for the call. */
export async function compareWithDatabase(
  db: Kysely<DB>,
  ambitoId: string,
  callId: string,
  receipts: Iterable<Receipt>,
): Promise<StoredCheck> {
  const [rows, register] = await withTenant(db, { ambitoId }, (trx) =>
    Promise.all([
      trx
        .selectFrom('applications')
        .select(['id', 'seq', 'protocol', 'receipt_hash', 'applicant_cf', 'idempotency_key'])
        .where('call_id', '=', callId)
        .execute(),
      trx.selectFrom('protocol_register').select('application_id').where('call_id', '=', callId).execute(),
    ]),
  );
  const inRegister = new Set(register.map((r) => r.application_id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  let lost = 0;
  for (const r of receipts) {
    const row = byId.get(r.applicationId);
    if (!row || row.protocol !== r.protocol || row.receipt_hash !== r.hash) lost++;
  }
  const extra = (values: string[]) => values.length - new Set(values).size;
  const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  return {
    stored: rows.length,
    lost,
    duplicated:
      extra(rows.map((r) => r.applicant_cf)) +
      extra(rows.map((r) => r.idempotency_key)) +
      extra(rows.map((r) => r.protocol)),
    contiguous: seqs.every((s, i) => s === i + 1),
    registered: register.length === rows.length && rows.every((r) => inRegister.has(r.id)),
    keys: new Map(
      rows.map((r) => [r.idempotency_key, { id: r.id, protocol: r.protocol, hash: r.receipt_hash }]),
    ),
  };
}
