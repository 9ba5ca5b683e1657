import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random token for cookies and CSRF: 32 bytes, URL-safe. */
export const randomToken = () => randomBytes(32).toString('base64url');

/** Sessions are looked up by the hash of their token, so a copy of the table logs nobody in. */
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF token of a visitor without a session: bound to their pre-session cookie by an HMAC. */
export const anonymousCsrf = (secret: string, cookie: string) =>
  createHmac('sha256', secret).update(`csrf:${cookie}`).digest('base64url');
