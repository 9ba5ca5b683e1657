import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** What Fastify's `trustProxy` accepts from us: off, every proxy, a hop count, or addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length || !address) return false;
  const family = net.isIP(address);
  if (!family) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: unset or "false" (the client address is the connection's), "true" (believe every
 * proxy: only when nothing but the proxy can reach the server), a hop count ("1": the nearest
 * proxy), or a comma-separated list of proxy addresses and CIDR ranges.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '' || text.toLowerCase() === 'false') return false;
  if (text.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > 10) throw new Error('TRUST_PROXY: il numero di proxy deve essere tra 1 e 10');
    return hops;
  }
  const entries = text.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrCidr(e));
  if (bad !== undefined)
    throw new Error(
      `TRUST_PROXY: "${bad}" non è un indirizzo IP né un intervallo CIDR (valori ammessi: false, true, un numero di proxy, indirizzi o CIDR separati da virgole)`,
    );
  return entries;
}

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Only this machine by default: listening on every interface (0.0.0.0) is a choice to make.
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // External login through OpenID Connect (a SPID/CIE broker): enabled when OIDC_ISSUER is set.
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URI: z.string().url().optional(),
  OIDC_SCOPES: z.string().min(1).default('openid profile email'),
  OIDC_LABEL: z.string().min(1).default('SPID / CIE'),
  TRUST_PROXY: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  logLevel: string;
  /** Passed to Fastify: whose X-Forwarded-For / X-Forwarded-Proto to believe. */
  trustProxy: TrustProxy;
  /** Undefined when OIDC_ISSUER is unset: the external login then answers 404. */
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    redirectUri: string;
    scopes: string;
    label: string;
  };
}

/** Reads the environment once; an invalid value stops the process with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Configurazione non valida: ${issues}`);
  }
  const e = parsed.data;
  let trustProxy: TrustProxy;
  try {
    trustProxy = parseTrustProxy(e.TRUST_PROXY);
  } catch (error) {
    throw new Error(`Configurazione non valida: ${(error as Error).message}`);
  }
  if (e.OIDC_ISSUER && (!e.OIDC_CLIENT_ID || !e.OIDC_REDIRECT_URI))
    throw new Error(
      'Configurazione non valida: con OIDC_ISSUER servono anche OIDC_CLIENT_ID e OIDC_REDIRECT_URI',
    );
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    production: e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    trustProxy,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_REDIRECT_URI
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            ...(e.OIDC_CLIENT_SECRET ? { clientSecret: e.OIDC_CLIENT_SECRET } : {}),
            redirectUri: e.OIDC_REDIRECT_URI,
            scopes: e.OIDC_SCOPES,
            label: e.OIDC_LABEL,
          }
        : undefined,
  };
}
