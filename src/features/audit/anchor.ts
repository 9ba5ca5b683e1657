import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The head of the audit chain at one instant, written outside the database and signed with a
 * key the database never sees (docs/adr, audit anchor): whoever can rewrite the database can
 * recompute the hash chain, but not an anchor, so truncation and re-chaining show.
 */
export interface Anchor {
  at: string;
  entries: number;
  lastId: number;
  lastHash: string;
}

const AnchorLine = z.strictObject({
  v: z.literal(1),
  at: z.iso.datetime(),
  entries: z.number().int().nonnegative(),
  lastId: z.number().int().nonnegative(),
  lastHash: z.string().regex(/^[0-9a-f]{64}$/),
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});

export const ANCHOR_FILE = 'anchors.jsonl';
export const KEY_FILE = 'anchor.key';

/**
 * `AUDIT_ANCHOR_DIR`, or `audit-anchors` next to the embedded database (DATA_DIR, default ./data).
 * On a PostgreSQL server the default gets one sub-folder per server and database, named from the
 * configuration (never from the database, whose owner is who the anchors guard against), so two
 * databases run from one checkout never read each other's anchors.
 */
export function anchorDirFrom(env: NodeJS.ProcessEnv, dataDir: string): string {
  const dir = env.AUDIT_ANCHOR_DIR?.trim();
  if (dir) return path.resolve(dir);
  const base = path.join(dataDir, 'audit-anchors');
  const url = env.DATABASE_URL?.trim();
  return path.resolve(url ? path.join(base, databaseFolder(url)) : base);
}

function databaseFolder(url: string): string {
  try {
    const u = new URL(url);
    const name = `${u.hostname || 'localhost'}_${u.port || '5432'}_${decodeURIComponent(u.pathname.slice(1)) || 'postgres'}`;
    return name.replace(/[^A-Za-z0-9._-]/g, '_');
  } catch {
    return 'postgres';
  }
}

function canonical(a: Anchor): string {
  return `ambito-audit-anchor|1|${a.at}|${a.entries}|${a.lastId}|${a.lastHash}`;
}

export interface AnchorFile {
  /** Every line that is well formed and carries a valid signature, in file order. */
  anchors: Anchor[];
  /** Why the file cannot be trusted, one Italian sentence each; empty when it can. */
  problems: string[];
}

export class AnchorStore {
  readonly file: string;
  readonly keyFile: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, ANCHOR_FILE);
    this.keyFile = path.join(dir, KEY_FILE);
  }

  /** The key, created on first use (owner read/write only) unless anchors already exist without it. */
  private key(create: boolean): Buffer | null {
    if (!fs.existsSync(this.keyFile)) {
      if (!create) return null;
      if (fs.existsSync(this.file))
        throw new Error(
          `chiave delle ancore mancante (${this.keyFile}): le ancore esistenti non sono verificabili`,
        );
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      try {
        fs.writeFileSync(this.keyFile, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
      } catch (error) {
        // Another process created it first: use that one.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    const text = fs.readFileSync(this.keyFile, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`chiave delle ancore illeggibile (${this.keyFile})`);
    return Buffer.from(text, 'hex');
  }

  private mac(key: Buffer, a: Anchor): string {
    return createHmac('sha256', key).update(canonical(a), 'utf8').digest('hex');
  }

  /** Reads and checks every line: a line that is not well formed or not signed by our key is a problem. */
  read(): AnchorFile {
    if (!fs.existsSync(this.file)) {
      return fs.existsSync(this.keyFile)
        ? { anchors: [], problems: [`file delle ancore mancante (${this.file}) benché la chiave esista`] }
        : { anchors: [], problems: [] };
    }
    const key = this.key(false);
    if (!key)
      return {
        anchors: [],
        problems: [`chiave delle ancore mancante (${this.keyFile}): le ancore non sono verificabili`],
      };
    const anchors: Anchor[] = [];
    const problems: string[] = [];
    const lines = fs.readFileSync(this.file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `riga ${i + 1} del file delle ancore`;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        problems.push(`${where} non leggibile`);
        return;
      }
      if (typeof json === 'object' && json !== null && !('mac' in json)) {
        problems.push(`${where} priva di firma`);
        return;
      }
      const parsed = AnchorLine.safeParse(json);
      if (!parsed.success) {
        problems.push(`${where} non valida`);
        return;
      }
      const { v: _v, mac, ...anchor } = parsed.data;
      const expected = Buffer.from(this.mac(key, anchor), 'hex');
      if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) {
        problems.push(`${where} con firma non valida (ancora alterata o falsificata)`);
        return;
      }
      anchors.push(anchor);
    });
    return { anchors, problems };
  }

  /** Appends one signed line (O_APPEND: concurrent writers never interleave a line this short). */
  append(head: Omit<Anchor, 'at'>, at = new Date()): Anchor {
    const key = this.key(true) as Buffer;
    const anchor: Anchor = { at: at.toISOString(), ...head };
    const line = JSON.stringify({ v: 1, ...anchor, mac: this.mac(key, anchor) });
    // A line cut short by a crash stays a bad line of its own instead of swallowing this one.
    const size = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
    let lead = '';
    if (size > 0) {
      const fd = fs.openSync(this.file, 'r');
      try {
        const last = Buffer.alloc(1);
        fs.readSync(fd, last, 0, 1, size - 1);
        if (last[0] !== 0x0a) lead = '\n';
      } finally {
        fs.closeSync(fd);
      }
    }
    fs.appendFileSync(this.file, `${lead}${line}\n`, { mode: 0o600 });
    return anchor;
  }
}

/** The anchor every check is made against: the one covering the most entries (the latest in time). */
export function latestAnchor(anchors: readonly Anchor[]): Anchor | null {
  let best: Anchor | null = null;
  for (const a of anchors) if (!best || a.entries >= best.entries) best = a;
  return best;
}
