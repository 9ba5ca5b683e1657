import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/types.js';
import { type Anchor, type AnchorStore, latestAnchor } from './anchor.js';
import { type ChainCheck, GENESIS_HASH, verifyAuditChain } from './audit.js';

const INSTANT = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
export const formatInstant = (iso: string) => INSTANT.format(new Date(iso)).replace(',', '');

export interface AuditVerification {
  entries: number;
  /** Italian sentences; empty when the chain is intact and agrees with every anchor. */
  problems: string[];
  /** The anchor the chain was checked against (the latest valid one), if any. */
  anchor: Anchor | null;
  /** The anchor written after a clean check; none is written over a failed one. */
  written: Anchor | null;
}

/** Why the chain disagrees with one anchor, or null when it agrees. */
function anchorProblem(a: Anchor, chain: ChainCheck): string | null {
  if (a.entries === 0) return null;
  const when = formatInstant(a.at);
  const seen = chain.seen.get(a.lastId);
  if (!seen) {
    return chain.entries < a.entries
      ? `registro troncato: l’ancora del ${when} attesta ${a.entries} voci fino alla voce ${a.lastId}, il registro ne contiene ${chain.entries}`
      : `la voce ${a.lastId} attestata dall’ancora del ${when} non esiste più: il registro è stato riscritto`;
  }
  if (seen.hash !== a.lastHash)
    return `la voce ${a.lastId} non è quella attestata dall’ancora del ${when}: il registro è stato modificato e la catena ricalcolata`;
  if (seen.entries !== a.entries)
    return `fino alla voce ${a.lastId} il registro contiene ${seen.entries} voci, l’ancora del ${when} ne attesta ${a.entries}: voci rimosse o aggiunte`;
  return null;
}

/**
 * `ambito audit verify`: recomputes the whole chain (owner connection), checks it against every
 * valid anchor and the anchor file itself, and only when all is well anchors the verified head.
 */
export async function verifyAuditLog(db: Kysely<DB>, store: AnchorStore): Promise<AuditVerification> {
  const file = store.read();
  const problems = [...file.problems];
  const anchor = latestAnchor(file.anchors);
  const chain = await verifyAuditChain(db, new Set(file.anchors.map((a) => a.lastId)));
  if (chain.firstBroken) {
    problems.unshift(
      `registro alterato alla voce ${chain.firstBroken.id}: ${chain.firstBroken.reason} (voci integre prima di essa: ${chain.entries})`,
    );
  } else {
    const failing = file.anchors.map((a) => anchorProblem(a, chain)).filter((p) => p !== null);
    const first = failing[0];
    if (first)
      problems.unshift(
        failing.length > 1
          ? `${first} (${failing.length} ancore su ${file.anchors.length} non corrispondono)`
          : first,
      );
  }
  const written =
    problems.length === 0
      ? store.append({ entries: chain.entries, lastId: chain.lastId, lastHash: chain.lastHash })
      : null;
  return { entries: chain.entries, problems, anchor, written };
}

interface Log {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AuditAnchoring {
  /** Anchors the current head if it moved and still extends the last anchor. */
  anchorNow(): Promise<Anchor | null>;
  /** Stops the timer after one last anchor. */
  stop(): Promise<void>;
}

/**
 * While the server runs: every `intervalMs` the head of the chain is read through `audit_head`
 * (the application role sees no entry's content) and anchored when it moved. A head that no
 * longer extends the last anchor is not anchored, so the tampering stays provable, and is logged.
 * Each anchor is also logged: log shipping keeps a second copy away from this machine.
 */
export function startAuditAnchoring(
  db: Kysely<DB>,
  store: AnchorStore,
  log: Log,
  intervalMs = 60_000,
): AuditAnchoring {
  let last: Anchor | null = null;
  let disabled = false;
  try {
    const file = store.read();
    last = latestAnchor(file.anchors);
    if (file.problems.length)
      log.error({ problems: file.problems.length, dir: store.dir }, 'audit anchor file does not verify');
  } catch (error) {
    disabled = true;
    log.error({ err: (error as Error).message }, 'audit anchoring disabled');
  }
  let running: Promise<Anchor | null> | null = null;

  const tick = async (): Promise<Anchor | null> => {
    const { rows } = await sql<{
      entries: number;
      last_id: number | null;
      last_hash: string | null;
      anchored_hash: string | null;
      anchored_entries: number;
    }>`select * from audit_head(${last?.lastId ?? 0})`.execute(db);
    const h = rows[0];
    if (!h) return null;
    const head = {
      entries: Number(h.entries),
      lastId: Number(h.last_id ?? 0),
      lastHash: h.last_hash ?? GENESIS_HASH,
    };
    if (
      last &&
      last.entries > 0 &&
      (h.anchored_hash !== last.lastHash || Number(h.anchored_entries) !== last.entries)
    ) {
      log.error(
        { anchoredId: last.lastId, anchoredAt: last.at },
        'the audit chain no longer matches its last anchor: not anchoring (run `ambito audit verify`)',
      );
      return null;
    }
    if (last && last.lastId === head.lastId && last.entries === head.entries) return null;
    last = store.append(head);
    log.info({ auditAnchor: last }, 'audit chain anchored');
    return last;
  };

  const anchorNow = (): Promise<Anchor | null> => {
    if (disabled) return Promise.resolve(null);
    running ??= tick()
      .catch((error: unknown) => {
        log.error({ err: (error as Error).message }, 'audit anchoring failed');
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const timer = setInterval(() => void anchorNow(), intervalMs);
  timer.unref();
  void anchorNow();
  return {
    anchorNow,
    stop: async () => {
      clearInterval(timer);
      await running;
      await anchorNow();
    },
  };
}
