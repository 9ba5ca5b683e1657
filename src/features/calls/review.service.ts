import type { Kysely } from 'kysely';
import { withReference, withTenant } from '../../db/scope.js';
import type { ApplicationStatus, DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { conflict, DomainError, invalid, notFound } from '../../http/errors.js';
import { assertCan, can } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import {
  applicationsOfPerson,
  contestsOf,
  findUserCodiceFiscale,
  listPersonApplications,
  memberIstatOn,
} from './calls.queries.js';
import { type CallRow, withCall } from './calls.service.js';
import type { EligibilityResult } from './eligibility.js';
import { pseudonymise, pseudonymiseScore, pseudonymKey, pseudonymOf } from './pseudonym.js';
import * as q from './ranking.queries.js';
import { actorName, hasRanking, lockedCall, reaward } from './ranking.service.js';
import type { ApplicationDetail, ApplicationItem, OwnApplication, ReviewBody } from './review.routes.js';
import type { ApplicantData, CallRules } from './rules.schemas.js';

export const LIST_SIZE = 50;
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' });

const nameOf = (data: unknown) => {
  const d = data as Pick<ApplicantData, 'firstName' | 'lastName'>;
  return `${d.firstName} ${d.lastName}`;
};

/**
 * Checks that the actor may read the call's applications and says how: the whole record for the
 * office, or for an auditor who states a purpose; pseudonymised views otherwise (ADR 0007).
 */
function assertReader(actor: Actor, call: CallRow, purpose: string | undefined, resourceId?: string) {
  assertCan(actor, 'applications:read', {
    ambitoId: call.ambito_id,
    resourceType: resourceId ? 'application' : 'call',
    resourceId: resourceId ?? call.id,
  });
  const full = purpose !== undefined || can(actor, 'applications:read_full', { ambitoId: call.ambito_id });
  return {
    full,
    view: full ? ('full' as const) : ('pseudonymised' as const),
    /** What the audit row records: the stated purpose, the office's task, or the pseudonymised check. */
    purpose: (fallback: string) => purpose ?? (full ? fallback : 'revisione su dati pseudonimizzati'),
    detail: { view: full ? 'full' : 'pseudonymised', statedPurpose: purpose !== undefined },
  };
}

/** The call's applications for the office that reviews them; names and codici fiscali: an audited read. */
export function listApplications(
  db: Kysely<DB>,
  actor: Actor,
  callId: string,
  query: { status?: ApplicationStatus; page: number; purpose?: string },
) {
  return withCall(db, actor, callId, async (trx, call) => {
    const access = assertReader(actor, call, query.purpose);
    const { total, rows } = await q.listApplicationsPage(trx, callId, query.status, query.page, LIST_SIZE);
    const key = access.full ? '' : await pseudonymKey(trx);
    const contests = await contestsOf(
      trx,
      rows.map((r) => r.id),
    );
    await audit(trx, actor, {
      action: 'application.list.read',
      resourceType: 'call',
      resourceId: callId,
      ambitoId: call.ambito_id,
      purpose: access.purpose('istruttoria delle domande'),
      detail: { page: query.page, status: query.status ?? null, count: rows.length, ...access.detail },
    });
    const items: ApplicationItem[] = rows.map((r) => {
      const e = r.eligibility as EligibilityResult;
      return {
        id: r.id,
        protocol: r.protocol,
        receivedAt: r.received_at.toISOString(),
        status: r.status,
        points: r.points,
        amountCents: r.amount_cents,
        eligibility: { eligible: e.eligible, reasons: e.reasons.map((x) => x.code) },
        contest: contestView(contests.get(r.id), access.full),
        applicant: access.full
          ? { name: nameOf(r.data), codiceFiscale: r.applicant_cf }
          : { pseudonym: pseudonymOf(key, call.ambito_id, r.applicant_cf) },
      };
    });
    return { view: access.view, items, total, page: query.page, pageSize: LIST_SIZE };
  });
}

/** One application with its checks: the stored eligibility and the residence against the territory data now. */
export function getApplication(
  db: Kysely<DB>,
  actor: Actor,
  callId: string,
  applicationId: string,
  purpose?: string,
) {
  return withCall(db, actor, callId, async (trx, call): Promise<ApplicationDetail> => {
    const access = assertReader(actor, call, purpose, applicationId);
    const row = await q.findApplication(trx, callId, applicationId);
    if (!row) throw notFound('Domanda');
    const rules = call.rules as CallRules;
    const data = row.data as ApplicantData;
    const stored = row.eligibility as EligibilityResult;
    const [members, comune, attachments, entry] = await Promise.all([
      memberIstatOn(trx, rules.eligibility.residenceOn),
      q.findComuneName(trx, data.residenceIstat),
      q.listAttachments(trx, applicationId),
      hasRanking(call) ? q.findEntry(trx, applicationId) : undefined,
    ]);
    await audit(trx, actor, {
      action: 'application.read',
      resourceType: 'application',
      resourceId: applicationId,
      ambitoId: call.ambito_id,
      purpose: access.purpose('istruttoria della domanda'),
      detail: access.detail,
    });
    const score = row.score as ApplicationDetail['score'];
    return {
      id: row.id,
      callId,
      protocol: row.protocol,
      receivedAt: row.received_at.toISOString(),
      onBehalf: row.on_behalf,
      status: row.status,
      statusReason: row.status_reason,
      integrationDue: row.integration_due,
      reviewedBy: row.reviewed_by,
      reviewedAt: row.reviewed_at?.toISOString() ?? null,
      points: row.points,
      score: access.full ? score : pseudonymiseScore(score),
      amountCents: row.amount_cents,
      view: access.view,
      applicant: access.full ? data : pseudonymise(await pseudonymKey(trx), call.ambito_id, data),
      eligibility: stored,
      residence: {
        istatCode: data.residenceIstat,
        comune,
        on: rules.eligibility.residenceOn,
        atSubmission: !stored.reasons.some((r) => r.code === 'residence'),
        now: members.has(data.residenceIstat),
      },
      // The pseudonymised view lists none: a certificate names its holder.
      attachments: (access.full ? attachments : []).map((a) => ({
        code: a.code,
        filename: a.filename,
        contentType: a.content_type,
        bytes: a.bytes,
        sha256: a.sha256,
      })),
      ranking: entry
        ? { position: entry.position, outcome: entry.outcome, awardedCents: entry.awarded_cents }
        : null,
    };
  });
}

/** One attachment's content, for the office; the download is audited. */
export function getAttachment(
  db: Kysely<DB>,
  actor: Actor,
  callId: string,
  applicationId: string,
  code: string,
  purpose?: string,
) {
  return withCall(db, actor, callId, async (trx, call) => {
    const access = assertReader(actor, call, purpose, applicationId);
    if (!access.full) {
      const reason = 'obbligatoria per consultare gli allegati come revisore';
      const error = new DomainError(
        'FORBIDDEN',
        'Gli allegati contengono dati personali: indicare la finalità della consultazione',
        [{ field: 'purpose', reason }],
      );
      error.denied = {
        action: 'applications:read_full',
        ambitoId: call.ambito_id,
        resourceType: 'application',
        resourceId: applicationId,
      };
      throw error;
    }
    const row = await q.findAttachment(trx, callId, applicationId, code);
    if (!row) throw notFound('Allegato');
    await audit(trx, actor, {
      action: 'application.attachment.read',
      resourceType: 'application',
      resourceId: applicationId,
      ambitoId: call.ambito_id,
      purpose: access.purpose('istruttoria della domanda'),
      detail: { code, ...access.detail },
    });
    return { filename: row.filename, contentType: row.content_type, content: row.content };
  });
}

const REAWARD_REASON: Record<ReviewBody['decision'], string> = {
  admissible: 'domanda ammessa dopo riesame',
  excluded: 'domanda esclusa dopo la graduatoria',
  integration_requested: 'domanda sospesa per integrazione',
};

function checkDecision(body: ReviewBody, today: string) {
  const reason = body.reason?.trim() ?? '';
  if (body.decision !== 'admissible' && reason.length < 3)
    throw invalid(
      'reason',
      body.decision === 'excluded' ? 'indicare il motivo dell’esclusione' : 'indicare cosa integrare',
    );
  if (body.decision === 'integration_requested') {
    if (!body.integrationDue) throw invalid('integrationDue', 'indicare la scadenza per l’integrazione');
    if (body.integrationDue <= today)
      throw invalid('integrationDue', 'la scadenza deve essere una data futura');
  }
  return reason || null;
}

/** Admits, excludes with a reason, or asks the applicant to complete the application by a date. */
export function reviewApplication(
  db: Kysely<DB>,
  actor: Actor,
  callId: string,
  applicationId: string,
  body: ReviewBody,
) {
  return withCall(db, actor, callId, async (trx, loaded) => {
    assertCan(actor, 'applications:review', {
      ambitoId: loaded.ambito_id,
      resourceType: 'application',
      resourceId: applicationId,
    });
    const reason = checkDecision(body, TODAY.format(new Date()));
    const call = await lockedCall(trx, callId);
    const row = await q.findApplication(trx, callId, applicationId);
    if (!row) throw notFound('Domanda');
    if (call.status === 'final')
      throw conflict('status', 'la graduatoria è definitiva: le domande non si riesaminano più');
    if (row.status === 'withdrawn') throw conflict('status', 'la domanda è stata ritirata');
    const reviewedAt = new Date();
    await trx
      .updateTable('applications')
      .set({
        status: body.decision,
        status_reason: reason,
        integration_due: body.decision === 'integration_requested' ? (body.integrationDue ?? null) : null,
        reviewed_by: actorName(actor),
        reviewed_at: reviewedAt,
      })
      .where('id', '=', applicationId)
      .execute()
      .catch((e) => {
        if ((e as { code?: string }).code === '23505')
          throw conflict('decision', 'il richiedente ha già un’altra domanda attiva in questo bando');
        throw e;
      });
    const readmitted = body.decision === 'admissible';
    const changes =
      row.status === body.decision
        ? 0
        : await reaward(trx, actor, call, REAWARD_REASON[body.decision], { renumber: readmitted });
    await audit(trx, actor, {
      action: 'application.review',
      resourceType: 'application',
      resourceId: applicationId,
      ambitoId: call.ambito_id,
      detail: { from: row.status, to: body.decision, changes },
    });
    return {
      id: applicationId,
      status: body.decision,
      statusReason: reason,
      integrationDue: body.decision === 'integration_requested' ? (body.integrationDue ?? null) : null,
      reviewedBy: actorName(actor),
      reviewedAt: reviewedAt.toISOString(),
      changes,
    };
  });
}

/** The applicant withdraws (or the office on their behalf): funds are freed for the next ones. */
export function withdrawApplication(db: Kysely<DB>, actor: Actor, callId: string, applicationId: string) {
  if (actor.kind === 'anonymous')
    throw new DomainError('UNAUTHENTICATED', 'Accedere per ritirare la domanda');
  return withCall(db, actor, callId, async (trx, loaded) => {
    const ambitoId = loaded.ambito_id;
    const call = await lockedCall(trx, callId);
    const row = await q.findApplication(trx, callId, applicationId);
    // Who filed it, or the person it was filed for (the codice fiscale on their account).
    const own =
      Boolean(row) &&
      actor.kind === 'user' &&
      (row?.user_id === actor.id || (await findUserCodiceFiscale(trx, actor.id)) === row?.applicant_cf);
    if (!row || !(own || can(actor, 'applications:review', { ambitoId }))) {
      const hidden = notFound('Domanda');
      if (row)
        hidden.denied = {
          action: 'applications:review',
          ambitoId,
          resourceType: 'application',
          resourceId: applicationId,
        };
      throw hidden;
    }
    if (row.status === 'withdrawn') throw conflict('status', 'la domanda è già stata ritirata');
    await trx
      .updateTable('applications')
      .set({
        status: 'withdrawn',
        status_reason: own ? 'rinuncia del richiedente' : 'ritirata dall’Ufficio di Piano su richiesta',
        integration_due: null,
      })
      .where('id', '=', applicationId)
      .execute();
    const changes = await reaward(trx, actor, call, 'rinuncia alla domanda');
    await audit(trx, actor, {
      action: 'application.withdraw',
      resourceType: 'application',
      resourceId: applicationId,
      ambitoId,
      detail: { from: row.status, byApplicant: own, changes },
    });
    return { id: applicationId, status: 'withdrawn' as const, changes };
  });
}

/** A contest as the review list shows it; the note, which may name people, only in the full view. */
function contestView(c: { note: string; at: Date } | undefined, full: boolean) {
  return c ? { at: c.at.toISOString(), note: full ? c.note : null } : null;
}

/** The logged-in person's applications across Ambiti, filed by them or for them, each read in its Ambito's session. */
export async function myApplications(db: Kysely<DB>, actor: Actor): Promise<OwnApplication[]> {
  if (actor.kind !== 'user')
    throw new DomainError('UNAUTHENTICATED', 'Accedere per vedere le proprie domande');
  // Those the person filed, and those filed for them by someone else (matched by codice fiscale).
  const cf = await withReference(db, (trx) => findUserCodiceFiscale(trx, actor.id));
  const pairs = await withReference(db, (trx) => applicationsOfPerson(trx, actor.id, cf));
  const byAmbito = new Map<string, string[]>();
  for (const p of pairs) byAmbito.set(p.ambito_id, [...(byAmbito.get(p.ambito_id) ?? []), p.application_id]);
  const out: OwnApplication[] = [];
  for (const [ambitoId, ids] of byAmbito) {
    const rows = await withTenant(db, { ambitoId }, async (trx) => {
      const found = await listPersonApplications(trx, ids, actor.id, cf);
      await audit(trx, actor, {
        action: 'application.own.read',
        resourceType: 'application',
        ambitoId,
        purpose: 'consultazione delle proprie domande',
        detail: { count: found.length },
      });
      return found;
    });
    for (const r of rows)
      out.push({
        applicationId: r.id,
        callId: r.call_id,
        call: { code: r.code, title: r.title },
        protocol: r.protocol,
        receivedAt: r.received_at.toISOString(),
        status: r.status,
        statusReason: r.status_reason,
        integrationDue: r.integration_due,
        beneficiary: { name: nameOf(r.data) },
        relationship: r.relationship,
        filedByMe: r.user_id === actor.id,
        forMe: cf !== null && r.applicant_cf === cf,
        contestedAt: r.contested_at?.toISOString() ?? null,
        ranking:
          r.outcome && (r.call_status === 'ranked' || r.call_status === 'final')
            ? {
                phase: r.call_status === 'final' ? 'final' : 'provisional',
                position: r.position,
                outcome: r.outcome,
                awardedCents: r.awarded_cents ?? 0,
              }
            : null,
      });
  }
  return out.sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));
}
