import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { badRequest, conflict, notFound, unsupportedMediaType } from '../../http/errors.js';
import { assertCan } from '../../http/policy.js';
import { checkPdf } from '../../uploads/pdf.js';
import { audit } from '../audit/audit.js';
import * as q from './plan.queries.js';
import type { ActInput, ActView } from './plan.schemas.js';
import { toActView } from './plan.tree.js';

export const MAX_ACT_PDF_BYTES = 20 * 1024 * 1024;

/** Formal acts are published (albo pretorio, D.Lgs. 33/2013): anyone may read the registry. */
export function listActs(db: Kysely<DB>, ambitoId: string): Promise<ActView[]> {
  return withTenant(db, { ambitoId }, async (trx) => {
    if (!(await trx.selectFrom('ambiti').select('id').where('id', '=', ambitoId).executeTakeFirst()))
      throw notFound('Ambito');
    const rows = await trx
      .selectFrom('acts')
      .select([
        'id',
        'kind',
        'body',
        'number',
        'act_date',
        'subject',
        (eb) => eb('pdf', 'is not', null).as('has_pdf'),
      ])
      .orderBy('act_date', 'desc')
      .orderBy('number')
      .execute();
    return rows.map((r) => toActView({ ...r, has_pdf: Boolean(r.has_pdf) }));
  });
}

export function createAct(
  db: Kysely<DB>,
  actor: Actor,
  ambitoId: string,
  input: ActInput,
): Promise<{ id: string }> {
  assertCan(actor, 'acts:write', { ambitoId, resourceType: 'act' });
  return withTenant(db, { ambitoId }, async (trx) => {
    if (!(await trx.selectFrom('ambiti').select('id').where('id', '=', ambitoId).executeTakeFirst()))
      throw notFound('Ambito');
    const row = await trx
      .insertInto('acts')
      .values({
        ambito_id: ambitoId,
        kind: input.kind,
        body: input.body,
        number: input.number,
        act_date: input.date,
        subject: input.subject,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((e) => {
        if ((e as { code?: string }).code === '23505')
          throw conflict('number', 'atto già registrato con lo stesso numero e data');
        throw e;
      });
    await audit(trx, actor, {
      action: 'act.create',
      resourceType: 'act',
      resourceId: row.id,
      ambitoId,
      detail: { kind: input.kind, number: input.number, date: input.date },
    });
    return row;
  });
}

/** Attaches the signed PDF; it must be a PDF, and it is kept with its SHA-256. */
export function attachActPdf(db: Kysely<DB>, actor: Actor, ambitoId: string, actId: string, pdf: unknown) {
  assertCan(actor, 'acts:write', { ambitoId, resourceType: 'act', resourceId: actId });
  // No body at all, or one the server parsed as JSON or text: not a PDF upload.
  if (pdf === undefined || pdf === null || pdf === '') throw badRequest('body', 'file PDF mancante');
  if (!Buffer.isBuffer(pdf)) throw unsupportedMediaType('application/pdf');
  // Its header and its end, without parsing it (the body limit already stopped anything larger).
  checkPdf(pdf, 'Il PDF dell’atto', MAX_ACT_PDF_BYTES);
  return withTenant(db, { ambitoId }, async (trx) => {
    if (!(await q.findAct(trx, actId))) throw notFound('Atto');
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    await trx.updateTable('acts').set({ pdf, pdf_sha256: sha256 }).where('id', '=', actId).execute();
    await audit(trx, actor, {
      action: 'act.attach_pdf',
      resourceType: 'act',
      resourceId: actId,
      ambitoId,
      detail: { sha256, bytes: pdf.length },
    });
    return { sha256 };
  });
}

export function getActPdf(db: Kysely<DB>, ambitoId: string, actId: string) {
  return withTenant(db, { ambitoId }, async (trx) => {
    const row = await trx
      .selectFrom('acts')
      .select(['pdf', 'number', 'act_date'])
      .where('id', '=', actId)
      .executeTakeFirst();
    if (!row?.pdf) throw notFound('Documento dell’atto');
    return {
      pdf: Buffer.from(row.pdf),
      filename: `atto-${row.number.replace(/[^\w-]/g, '_')}-${row.act_date}.pdf`,
    };
  });
}
