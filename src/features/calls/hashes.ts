import { createHash } from 'node:crypto';

/** The hashes that make receipts and the protocol register verifiable (ADR 0005). */

export const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** JSON with sorted keys: the same content always hashes the same. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function receiptHash(protocol: string, receivedAt: string, callId: string, dataHash: string): string {
  return sha256(`${protocol}|${receivedAt}|${callId}|${dataHash}`);
}

export function registerHash(e: {
  prevHash: string;
  seq: number;
  protocol: string;
  receivedAt: string;
  dataHash: string;
  applicationId: string;
}): string {
  return sha256(`${e.prevHash}|${e.seq}|${e.protocol}|${e.receivedAt}|${e.dataHash}|${e.applicationId}`);
}
