import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { type Tx, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { invalid } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { audit } from './audit.js';
import type { AuditEntryView, AuditQuery } from './audit.schemas.js';

function query(trx: Tx, q: Omit<AuditQuery, 'limit' | 'before'> & { limit?: number; before?: number }) {
  let s = trx.selectFrom('audit_log').selectAll().orderBy('id', 'desc');
  if (q.user) s = s.where('actor_username', '=', q.user.toLowerCase());
  if (q.resourceType) s = s.where('resource_type', '=', q.resourceType);
  if (q.resourceId) s = s.where('resource_id', '=', q.resourceId);
  if (q.action) s = s.where('action', '=', q.action);
  if (q.from) s = s.where('at', '>=', new Date(`${q.from}T00:00:00Z`));
  if (q.to) s = s.where('at', '<', new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000));
  if (q.before) s = s.where('id', '<', q.before);
  if (q.limit) s = s.limit(q.limit);
  return s.execute();
}

function toView(r: Awaited<ReturnType<typeof query>>[number]): AuditEntryView {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    username: r.actor_username,
    ip: r.ip,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    purpose: r.purpose,
    outcome: r.outcome as AuditEntryView['outcome'],
    detail: (r.detail ?? {}) as Record<string, unknown>,
  };
}

function checkPeriod(q: { from?: string; to?: string }) {
  if (q.from && q.to && q.to < q.from) throw invalid('to', 'la data finale precede quella iniziale');
}

/** Auditors read their Ambito's log inside its tenant session; the reading is itself logged. */
export async function searchAudit(db: Kysely<DB>, actor: Actor, ambitoId: string, q: AuditQuery) {
  assertCan(actor, 'audit:read', { ambitoId, resourceType: 'audit_log' });
  checkPeriod(q);
  return withTenant(db, { ambitoId }, async (trx) => {
    const rows = await query(trx, q);
    await audit(trx, actor, {
      action: 'audit.read',
      resourceType: 'audit_log',
      ambitoId,
      detail: { filters: { ...q } },
    });
    return { items: rows.map(toView) };
  });
}

const CSV_COLUMNS = [
  'id',
  'data e ora',
  'utente',
  'indirizzo',
  'azione',
  'tipo risorsa',
  'risorsa',
  'finalità',
  'esito',
  'dettagli',
];

/** CSV for Italian spreadsheets: UTF-8 with BOM, `;` separated. */
export async function exportAuditCsv(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  q: Omit<AuditQuery, 'limit' | 'before'>,
) {
  assertCan(actor, 'audit:read', { ambitoId, resourceType: 'audit_log' });
  checkPeriod(q);
  return withTenant(db, { ambitoId }, async (trx) => {
    const rows = (await query(trx, q)).map(toView);
    await audit(trx, actor, {
      action: 'audit.export',
      resourceType: 'audit_log',
      ambitoId,
      detail: { rows: rows.length },
    });
    const body = stringify(
      rows.map((r) => [
        r.id,
        r.at,
        r.username ?? '',
        r.ip ?? '',
        r.action,
        r.resourceType ?? '',
        r.resourceId ?? '',
        r.purpose ?? '',
        r.outcome,
        JSON.stringify(r.detail),
      ]),
      { delimiter: ';', header: true, columns: CSV_COLUMNS, record_delimiter: '\r\n' },
    );
    return `\uFEFF${body}`;
  });
}
