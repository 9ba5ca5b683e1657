import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import argon2 from 'argon2';

const WEAK = new Set(
  fs
    .readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'weak-passwords.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);

export const MIN_PASSWORD_LENGTH = 12;

/** The reason a password is refused, in Italian, or null when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `la password deve avere almeno ${MIN_PASSWORD_LENGTH} caratteri`;
  if (password.length > 256) return 'la password non può superare 256 caratteri';
  const lower = password.toLowerCase();
  if (WEAK.has(lower)) return 'la password è tra quelle più comuni o già violate: sceglierne un’altra';
  // A padded common password ("password12345678") is no stronger than the word itself.
  const core = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (core.length >= 4 && WEAK.has(core) && core.length < MIN_PASSWORD_LENGTH)
    return 'la password è una parola comune seguita da numeri o simboli: sceglierne un’altra';
  if (/^(.)\1+$/u.test(password)) return 'la password non può essere un solo carattere ripetuto';
  if (username && username.length >= 3 && lower.includes(username.toLowerCase()))
    return 'la password non può contenere il nome utente';
  return null;
}

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  // Without a hash, still spend the same time, so timing does not reveal whether a user exists.
  if (!hash) {
    await argon2.hash(password, OPTIONS);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
