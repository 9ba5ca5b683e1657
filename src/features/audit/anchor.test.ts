import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql, type Transaction } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import { type Actor, systemActor } from '../../http/auth.js';
import { AnchorStore } from './anchor.js';
import { formatInstant, startAuditAnchoring, verifyAuditLog } from './anchor.service.js';
import { audit, verifyAuditChain } from './audit.js';

let database: Database;
let tmp: string;
let store: AnchorStore;

beforeEach(async () => {
  database = await createTestDatabase();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-anchor-'));
  store = new AnchorStore(path.join(tmp, 'audit-anchors'));
  for (let i = 0; i < 8; i++) await audit(database.db, systemActor('test'), { action: `test.entry_${i}` });
});
afterEach(async () => {
  await database.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The database owner: the application connection's login role, for one transaction. */
function asOwner<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(async (trx) => {
    await sql`set local role none`.execute(trx);
    return fn(trx);
  });
}

const user = (id: string): Actor => ({
  kind: 'user',
  id,
  username: `utente.${id.slice(0, 8)}`,
  roles: [],
  sessionHash: '',
  csrfToken: '',
});

async function lastIds(db: Kysely<DB>, n: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from audit_log order by id desc limit ${n}`.execute(
    db,
  );
  return rows.map((r) => Number(r.id));
}

/** What an owner who switches the guard off can do: change one entry and re-chain everything after it. */
async function rewriteFrom(id: number, action: string) {
  await asOwner(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
    await sql`update audit_log set action = ${action} where id = ${id}`.execute(trx);
    const { rows } = await sql<{
      id: number;
    }>`select id from audit_log where id >= ${id} order by id`.execute(trx);
    if (rows.length === 0) throw new Error(`no entry ${id} to rewrite`);
    for (const r of rows) {
      await sql`update audit_log a set
          prev_hash = coalesce((select hash from audit_log p where p.id < a.id order by p.id desc limit 1), repeat('0', 64))
        where id = ${r.id}`.execute(trx);
      await sql`update audit_log a set hash = encode(sha256(convert_to(audit_canonical(a.prev_hash, a), 'UTF8')), 'hex')
        where id = ${r.id}`.execute(trx);
    }
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
  });
}

async function deleteLast(n: number) {
  await asOwner(async (trx) => {
    const ids = await lastIds(trx, n);
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx);
    await sql`delete from audit_log where id in (${sql.join(ids)})`.execute(trx);
    await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx);
  });
}

const verify = () => asOwner((trx) => verifyAuditLog(trx, store));
const chainAlone = () => asOwner((trx) => verifyAuditChain(trx));
const anchorLines = () => fs.readFileSync(store.file, 'utf8').trim().split('\n');

describe('the audit anchor', () => {
  it('is written on a clean verification, signed with a key only the owner of the file can read', async () => {
    const first = await verify();
    expect(first.problems).toEqual([]);
    expect(first.anchor).toBeNull();
    expect(first.written).toMatchObject({ entries: 8 });
    expect(fs.statSync(store.keyFile).mode & 0o777).toBe(0o600);

    await audit(database.db, systemActor('test'), { action: 'test.more' });
    const second = await verify();
    expect(second.problems).toEqual([]);
    expect(second.anchor).toEqual(first.written);
    expect(second.written).toMatchObject({ entries: 9 });
    expect(anchorLines()).toHaveLength(2);
  });

  it('shows an entry edited with the following hashes recomputed, which the chain alone misses', async () => {
    const anchored = (await verify()).written;
    await audit(database.db, systemActor('test'), { action: 'test.after_anchor' });
    const [, , target] = await asOwner((trx) => lastIds(trx, 6));
    await rewriteFrom(target as number, 'test.rewritten');

    expect((await chainAlone()).firstBroken).toBeNull();
    const r = await verify();
    expect(r.problems[0]).toBe(
      `la voce ${anchored?.lastId} non è quella attestata dall’ancora del ${formatInstant(anchored?.at as string)}: il registro è stato modificato e la catena ricalcolata`,
    );
    // Nothing is anchored over a tampered log: the evidence stays.
    expect(r.written).toBeNull();
    expect(anchorLines()).toHaveLength(1);
  });

  it('shows the last entries deleted, which the chain alone misses', async () => {
    await verify();
    await deleteLast(3);
    expect((await chainAlone()).firstBroken).toBeNull();
    const r = await verify();
    expect(r.problems[0]).toMatch(
      /^registro troncato: l’ancora del .* attesta 8 voci fino alla voce \d+, il registro ne contiene 5$/,
    );
    expect(r.written).toBeNull();
  });

  it('shows the last entries deleted and as many appended again', async () => {
    await verify();
    await deleteLast(2);
    for (let i = 0; i < 2; i++) await audit(database.db, systemActor('test'), { action: 'test.replacement' });
    const r = await verify();
    expect(r.problems[0]).toMatch(
      /^la voce \d+ attestata dall’ancora del .* non esiste più: il registro è stato riscritto$/,
    );
  });

  it('refuses a forged, an altered or an unsigned anchor line, and a missing key', async () => {
    await verify();
    const good = JSON.parse(anchorLines()[0] as string);
    // The attacker truncated the log and writes an anchor for what is left, without the key.
    await deleteLast(3);
    const forged = { ...good, entries: 5, at: new Date().toISOString(), mac: 'a'.repeat(64) };
    fs.appendFileSync(store.file, `${JSON.stringify(forged)}\n`);
    const { mac: _mac, ...unsigned } = good;
    fs.appendFileSync(store.file, `${JSON.stringify(unsigned)}\n`);
    fs.appendFileSync(store.file, 'non è una riga\n');
    const r = await verify();
    expect(r.problems).toEqual([
      expect.stringMatching(/^registro troncato: /),
      'riga 2 del file delle ancore con firma non valida (ancora alterata o falsificata)',
      'riga 3 del file delle ancore priva di firma',
      'riga 4 del file delle ancore non leggibile',
    ]);

    // Re-signing a line is only possible with the key: removing the key is itself detected.
    fs.rmSync(store.keyFile);
    const noKey = await verify();
    expect(noKey.problems).toEqual([
      `chiave delle ancore mancante (${store.keyFile}): le ancore non sono verificabili`,
    ]);
    expect(noKey.written).toBeNull();
    expect(fs.existsSync(store.keyFile)).toBe(false);
  });

  it('notices an anchor file removed while its key stays', async () => {
    await verify();
    fs.rmSync(store.file);
    const r = await verify();
    expect(r.problems).toEqual([`file delle ancore mancante (${store.file}) benché la chiave esista`]);
  });
});

describe('the application role appending to the audit log', () => {
  const appendAs = (trx: Kysely<DB>, actorId: string) =>
    sql`select audit_append(${actorId}::uuid, 'qualcuno', null, 'test.forged', null, null, null, null, 'ok', '{}'::jsonb)`.execute(
      trx,
    );

  it('cannot write an entry for a user its transaction is not bound to', async () => {
    const me = randomUUID();
    const other = randomUUID();
    const before = (await chainAlone()).entries;

    // A bare call naming someone.
    await expect(appendAs(database.db, other)).rejects.toMatchObject({ code: '42501' });
    // Bound to one user, naming another.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`select set_config('app.actor_user_id', ${me}, true)`.execute(trx);
        await appendAs(trx, other);
      }),
    ).rejects.toMatchObject({ code: '42501' });
    // Through the application's own helper: the first user of a transaction is the only one.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await audit(trx, user(me), { action: 'test.mine' });
        await audit(trx, user(other), { action: 'test.someone_else' });
      }),
    ).rejects.toMatchObject({ code: '42501' });
    expect((await chainAlone()).entries).toBe(before);

    // Its own entries, the system actor's and anonymous ones are written.
    await database.db.transaction().execute(async (trx) => {
      await audit(trx, user(me), { action: 'test.mine' });
      await audit(trx, user(me), { action: 'test.mine_again' });
      await audit(trx, systemActor('test'), { action: 'test.system' });
      await audit(trx, { kind: 'anonymous', ip: '127.0.0.1' }, { action: 'test.anonymous', username: 'x' });
    });
    await audit(database.db, user(other), { action: 'test.other_alone' });
    const after = await chainAlone();
    expect(after.firstBroken).toBeNull();
    expect(after.entries).toBe(before + 5);
  });
});

describe('the anchoring while the server runs', () => {
  it('anchors the head as the application role, only when it moved, and never over a rewritten log', async () => {
    const errors: string[] = [];
    const log = { info: () => {}, error: (_: object, msg: string) => void errors.push(msg) };
    const anchoring = startAuditAnchoring(database.db, store, log, 3_600_000);
    try {
      const first = await anchoring.anchorNow();
      const lines = anchorLines();
      expect(lines.length).toBe(1);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ entries: 8 });
      expect(first === null || first.entries === 8).toBe(true);
      expect(await anchoring.anchorNow()).toBeNull();

      await audit(database.db, systemActor('test'), { action: 'test.more' });
      expect(await anchoring.anchorNow()).toMatchObject({ entries: 9 });

      const [, target] = await asOwner((trx) => lastIds(trx, 4));
      await rewriteFrom(target as number, 'test.rewritten');
      await audit(database.db, systemActor('test'), { action: 'test.after' });
      expect(await anchoring.anchorNow()).toBeNull();
      expect(errors).toEqual([
        'the audit chain no longer matches its last anchor: not anchoring (run `ambito audit verify`)',
      ]);
      expect(anchorLines()).toHaveLength(2);
    } finally {
      await anchoring.stop();
    }
    expect((await verify()).problems[0]).toMatch(/^la voce \d+ non è quella attestata/);
  });
});
