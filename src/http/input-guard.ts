import type { FastifyInstance } from 'fastify';
import { findUnsafeText, UNSAFE_TEXT_REASON } from '../contract/text.js';
import { badRequest } from './errors.js';

/** Any UUID, whatever its version, in either case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a value sits, named as the schema validation names it in its problems. */
const PARTS = [
  ['params', 'params'],
  ['querystring', 'query'],
  ['body', 'body'],
] as const;

/**
 * Lower-cases, in place, every string that is a UUID: ids are stored and compared in lower case,
 * so an upper-case id is read as the same id everywhere, before any schema or query sees it.
 */
function lowerUuids(value: unknown, depth = 0): void {
  if (depth > 32 || !value || typeof value !== 'object' || value instanceof Uint8Array) return;
  const node = value as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    const inner = node[key];
    if (typeof inner === 'string') {
      if (UUID.test(inner) && inner !== inner.toLowerCase()) node[key] = inner.toLowerCase();
    } else lowerUuids(inner, depth + 1);
  }
}

/**
 * One guard in front of every route, before its own validation: no text with control characters
 * (other than tab, newline, carriage return) or lone surrogates gets past it, in path parameters,
 * query strings or bodies, so none reaches PostgreSQL (which refuses NUL with an error), a CSV, a
 * PDF or a log. The 400 names the field. Registered on the root instance, so no route escapes it.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [where, part] of PARTS) {
      const value = request[part];
      const found = findUnsafeText(value, [where]);
      if (found !== undefined) throw badRequest(found, UNSAFE_TEXT_REASON);
      lowerUuids(value);
    }
  });
}
