import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type Role = 'admin';

export type Actor = { kind: 'anonymous' } | { kind: 'operator'; id: string; roles: Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

const ANONYMOUS: Actor = { kind: 'anonymous' };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves who is calling into `request.actor`. Until user accounts exist, the only
 * credential is the platform operator's token (AMBITO_ADMIN_TOKEN) sent as a Bearer token;
 * everyone else is anonymous and may read only public territory data.
 */
export function registerAuth(app: FastifyInstance, opts: { adminToken: string | undefined }): void {
  app.decorateRequest('actor', null as unknown as Actor);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (opts.adminToken && header?.startsWith('Bearer ') && sameSecret(header.slice(7), opts.adminToken)) {
      request.actor = { kind: 'operator', id: 'admin-token', roles: ['admin'] };
    } else {
      request.actor = ANONYMOUS;
    }
  });
}
