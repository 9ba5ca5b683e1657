import type { Kysely } from 'kysely';
import { withReference, withTenant } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../http/auth.js';
import { badRequest, conflict, DomainError, notFound } from '../../http/errors.js';
import { assertCan, can, inComuneScope } from '../../http/policy.js';
import { pdfProblem } from '../../uploads/pdf.js';
import { audit } from '../audit/audit.js';
import { checkApplicant, normaliseIban } from './applicant.js';
import * as q from './calls.queries.js';
import type { ContestBody, Receipt, SubmissionBody } from './calls.schemas.js';
import { type CallRow, isOpen } from './calls.service.js';
import { checkEligibility } from './eligibility.js';
import { canonical, sha256 } from './hashes.js';
import type { Accepted, Intake } from './intake.js';
import type { CallRules } from './rules.schemas.js';
import { amountFor, scoreApplication } from './scoring.js';

interface LoadedCall {
  call: CallRow;
  members: Set<string>;
}
interface CachedCall {
  entry: Promise<LoadedCall>;
  expires: number;
}

const FORMAT = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  dateStyle: 'short',
  timeStyle: 'short',
});

/**
 * Takes applications for the intake. A published call is frozen once open, so its rules and
 * the Comuni of its residence date are cached for a moment: on a click-day every request
 * would otherwise read them again.
 */
export class Applications {
  private cache = new Map<string, CachedCall>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly intake: Intake,
  ) {}

  /** Concurrent requests share one pending load: an expired entry is read once, not once per request. */
  private load(callId: string): Promise<LoadedCall> {
    const hit = this.cache.get(callId);
    if (hit && hit.expires > Date.now()) return hit.entry;
    const entry = this.read(callId);
    this.cache.set(callId, { entry, expires: Date.now() + 2_000 });
    // Drafts and failures are not kept: a draft may change, a failure may be transient.
    entry.then(
      (e) => e.call.status === 'draft' && this.cache.delete(callId),
      () => this.cache.delete(callId),
    );
    return entry;
  }

  private async read(callId: string): Promise<LoadedCall> {
    const ambitoId = await withReference(this.db, (trx) => q.findCallAmbito(trx, callId));
    if (!ambitoId) throw notFound('Bando');
    return withTenant(this.db, { ambitoId }, async (trx) => {
      const call = await q.findCall(trx, callId);
      if (!call) throw notFound('Bando');
      const rules = call.rules as CallRules;
      return { call, members: await q.memberIstatOn(trx, rules.eligibility.residenceOn) };
    });
  }

  private codiceFiscaleOf(userId: string): Promise<string | null> {
    return withReference(this.db, (trx) => q.findUserCodiceFiscale(trx, userId));
  }

  async submit(actor: Actor, callId: string, key: string, body: SubmissionBody): Promise<Receipt> {
    if (actor.kind === 'anonymous')
      throw new DomainError('UNAUTHENTICATED', 'Accedere per presentare la domanda');
    const { call, members } = await this.load(callId.toLowerCase());
    const ambitoId = call.ambito_id;
    // The stored spelling of the id, whatever the URL said: the intake keys its numbering by it.
    const id = call.id;
    const operator = can(actor, 'applications:submit_for', { ambitoId });
    if (!operator)
      assertCan(actor, 'applications:submit', { ambitoId, resourceType: 'call', resourceId: id });
    else assertResident(actor, ambitoId, callId, body.applicant.residenceIstat);
    if (call.status === 'draft') throw notFound('Bando');
    // Read before the acceptance instant is taken: nothing awaited between that instant and the
    // queue, or two submissions could join the queue in the other order of their instants.
    const userCf = actor.kind === 'user' ? await this.codiceFiscaleOf(actor.id) : null;
    const acceptedAt = this.intake.now();
    if (!isOpen(call, acceptedAt)) {
      const when =
        acceptedAt < call.opens_at
          ? `apre il ${FORMAT.format(call.opens_at)}`
          : `è chiuso dal ${FORMAT.format(call.closes_at)}`;
      throw conflict('callId', `il bando ${when}: la domanda non è stata registrata`);
    }
    const rules = call.rules as CallRules;
    const today = acceptedAt.toISOString().slice(0, 10);
    const relationship = operator ? 'operatore' : (body.relationship ?? 'self');
    if (!operator) checkRelationship(body, userCf);
    const errors = checkApplicant(body.applicant, rules, { today });
    const attachments = prepareAttachments(rules, body.attachments, errors);
    if (errors.length > 0)
      throw new DomainError(
        'INVALID',
        `La domanda contiene ${errors.length === 1 ? 'un errore' : `${errors.length} errori`}`,
        errors.map((e) => ({
          field: e.field.startsWith('attachments') ? e.field : `applicant.${e.field}`,
          reason: e.reason,
        })),
      );
    // Stored as the bank reads it: no spaces, upper case (checkApplicant has verified it).
    const applicant = { ...body.applicant, iban: normaliseIban(body.applicant.iban) ?? body.applicant.iban };
    const dataHash = sha256(
      canonical({
        callId: id,
        applicant,
        attachments: attachments.map((a) => ({
          code: a.code,
          filename: a.filename,
          contentType: a.contentType,
          sha256: a.sha256,
        })),
      }),
    );
    const score = scoreApplication(rules, applicant);
    const item: Accepted = {
      ambitoId,
      callId: id,
      callCode: call.code,
      key,
      userId: actor.id,
      userCf,
      onBehalf: operator || relationship !== 'self',
      relationship,
      cf: applicant.codiceFiscale.toUpperCase(),
      data: applicant,
      dataHash,
      eligibility: checkEligibility(rules, applicant, { memberIstat: members }),
      points: score.points,
      score: score.breakdown,
      amountCents: amountFor(rules, applicant),
      iseeCents: applicant.isee.valueCents,
      household: applicant.householdMembers,
      birthDate: applicant.birthDate,
      attachments,
      acceptedAt,
    };
    return this.intake.submit(item);
  }
}

/**
 * A citizen whose account carries a codice fiscale (SPID/CIE, or set on the account) applies for
 * themself unless they declare in what capacity they apply for someone else; an account without
 * one is taken at its word.
 */
function checkRelationship(body: SubmissionBody, userCf: string | null) {
  if (userCf === null) return;
  const forSelf = body.applicant.codiceFiscale.toUpperCase() === userCf;
  const declared = body.relationship ?? 'self';
  if (declared === 'self' && !forSelf)
    throw badRequest(
      'relationship',
      'il codice fiscale indicato non è il tuo: dichiarare per chi si presenta la domanda (familiare, tutore, amministratore di sostegno, patronato)',
    );
  if (declared !== 'self' && forSelf)
    throw badRequest('relationship', 'il codice fiscale indicato è il tuo: scegliere «per me»');
}

/** Decodes and checks the attachments against the call: known code, PDF, size, required ones present. */
function prepareAttachments(
  rules: CallRules,
  sent: SubmissionBody['attachments'],
  errors: Array<{ field: string; reason: string }>,
): Accepted['attachments'] {
  const out: Accepted['attachments'] = [];
  const seen = new Set<string>();
  for (const [i, a] of sent.entries()) {
    const content = Buffer.from(a.contentBase64, 'base64');
    const problem = attachmentProblem(rules, a, content, seen);
    if (problem) errors.push({ field: `attachments[${i}].${problem[0]}`, reason: problem[1] });
    else
      out.push({
        code: a.code,
        filename: a.filename,
        contentType: a.contentType,
        sha256: sha256(content),
        content,
      });
    seen.add(a.code);
  }
  for (const spec of rules.attachments)
    if (spec.required && !seen.has(spec.code))
      errors.push({ field: 'attachments', reason: `allegato obbligatorio mancante: ${spec.label}` });
  return out;
}

function attachmentProblem(
  rules: CallRules,
  a: SubmissionBody['attachments'][number],
  content: Buffer,
  seen: Set<string>,
): [field: string, reason: string] | undefined {
  const spec = rules.attachments.find((s) => s.code === a.code);
  if (!spec) return ['code', `allegato non previsto dal bando: ${a.code}`];
  if (seen.has(a.code)) return ['code', 'allegato ripetuto'];
  if (!(spec.types as readonly string[]).includes(a.contentType))
    return ['contentType', `tipo non ammesso: ${spec.types.join(', ')}`];
  if (content.length > spec.maxBytes)
    return ['contentBase64', `file oltre ${Math.ceil(spec.maxBytes / 1024)} KB`];
  // Its header and its end (a truncated upload lacks it), without parsing it.
  const pdf = a.contentType === 'application/pdf' ? pdfProblem(content) : undefined;
  if (pdf) return ['contentBase64', pdf];
  return undefined;
}

/**
 * An operator whose grant names a Comune (an assistente sociale) files only for that Comune's
 * residents, as the applicant declares them.
 */
function assertResident(actor: Actor, ambitoId: string, callId: string, residenceIstat: string) {
  if (inComuneScope(actor, 'applications:submit_for', ambitoId, residenceIstat)) return;
  const reason = 'il richiedente non risiede nel Comune di competenza dell’operatore';
  const error = new DomainError(
    'FORBIDDEN',
    'Puoi presentare domande solo per i residenti del Comune per cui operi',
    [{ field: 'applicant.residenceIstat', reason }],
  );
  error.denied = { action: 'applications:submit_for', ambitoId, resourceType: 'call', resourceId: callId };
  throw error;
}

const residenceOf = (data: unknown) => String((data as { residenceIstat?: unknown }).residenceIstat ?? '');

/**
 * One application's receipt, for its applicant, the office, or the operator of the applicant's
 * Comune (others get 404: its existence is not revealed). Auditors read the pseudonymised review
 * views instead (ADR 0007). The read is audited.
 */
export async function getReceipt(db: Kysely<DB>, actor: Actor, callId: string, applicationId: string) {
  const ambitoId = await withReference(db, (trx) => q.findCallAmbito(trx, callId));
  if (!ambitoId) throw notFound('Domanda');
  return withTenant(db, { ambitoId }, async (trx) => {
    const row = await trx
      .selectFrom('applications as a')
      .innerJoin('calls as c', (j) =>
        j.onRef('c.ambito_id', '=', 'a.ambito_id').onRef('c.id', '=', 'a.call_id'),
      )
      .select([
        'a.id',
        'a.call_id',
        'a.protocol',
        'a.received_at',
        'a.receipt_hash',
        'a.data_hash',
        'a.user_id',
        'a.applicant_cf',
        'a.data',
        'a.status',
        'c.title',
        'c.code',
      ])
      .where('a.id', '=', applicationId)
      .where('a.call_id', '=', callId)
      .executeTakeFirst();
    // Who filed it, and the person it was filed for (matched by the codice fiscale on their account).
    const own =
      row &&
      actor.kind === 'user' &&
      (row.user_id === actor.id || (await q.findUserCodiceFiscale(trx, actor.id)) === row.applicant_cf);
    if (
      !row ||
      !(
        own ||
        can(actor, 'applications:read_full', { ambitoId }) ||
        (can(actor, 'applications:submit_for', { ambitoId }) &&
          inComuneScope(actor, 'applications:submit_for', ambitoId, residenceOf(row.data)))
      )
    ) {
      const hidden = notFound('Domanda');
      if (row && actor.kind !== 'anonymous')
        hidden.denied = {
          action: 'applications:read',
          ambitoId,
          resourceType: 'application',
          resourceId: applicationId,
        };
      throw hidden;
    }
    await audit(trx, actor, {
      action: 'application.receipt.read',
      resourceType: 'application',
      resourceId: applicationId,
      ambitoId,
      purpose: own ? 'consultazione della propria domanda' : 'istruttoria della domanda',
    });
    const data = row.data as { firstName: string; lastName: string; codiceFiscale: string };
    return {
      receipt: {
        applicationId: row.id,
        callId: row.call_id,
        protocol: row.protocol,
        receivedAt: row.received_at.toISOString(),
        hash: row.receipt_hash,
        dataHash: row.data_hash,
      } satisfies Receipt,
      call: { code: row.code, title: row.title },
      applicant: { name: `${data.firstName} ${data.lastName}`, codiceFiscale: data.codiceFiscale },
      status: row.status,
    };
  });
}

/**
 * The person an application was filed for (matched by the codice fiscale on their account)
 * contests it to the office: a note recorded on the application and shown in the office's review
 * list. Anyone else gets the same 404 as for an application that does not exist.
 */
export async function contestApplication(
  db: Kysely<DB>,
  actor: Actor,
  callId: string,
  applicationId: string,
  body: ContestBody,
) {
  if (actor.kind !== 'user') throw new DomainError('UNAUTHENTICATED', 'Accedere per contestare la domanda');
  const [ambitoId, cf] = await withReference(db, (trx) =>
    Promise.all([q.findCallAmbito(trx, callId), q.findUserCodiceFiscale(trx, actor.id)]),
  );
  if (!ambitoId) throw notFound('Domanda');
  return withTenant(db, { ambitoId }, async (trx) => {
    const row = await trx
      .selectFrom('applications')
      .select(['id', 'applicant_cf', 'user_id', 'status', 'contested_at'])
      .where('id', '=', applicationId)
      .where('call_id', '=', callId)
      .forUpdate()
      .executeTakeFirst();
    if (!row || cf === null || row.applicant_cf !== cf) {
      const hidden = notFound('Domanda');
      if (row)
        hidden.denied = {
          action: 'applications:contest',
          ambitoId,
          resourceType: 'application',
          resourceId: applicationId,
        };
      throw hidden;
    }
    if (row.user_id === actor.id)
      throw conflict('note', 'la domanda l’hai presentata tu: se non è corretta puoi ritirarla');
    if (row.status === 'withdrawn') throw conflict('status', 'la domanda è già stata ritirata');
    if (row.contested_at)
      throw conflict('note', 'hai già contestato questa domanda: l’Ufficio di Piano la sta verificando');
    const contestedAt = new Date();
    await trx
      .updateTable('applications')
      .set({ contest_note: body.note, contested_at: contestedAt })
      .where('id', '=', applicationId)
      .execute();
    await audit(trx, actor, {
      action: 'application.contest',
      resourceType: 'application',
      resourceId: applicationId,
      ambitoId,
      detail: { status: row.status },
    });
    return { id: applicationId, contestedAt: contestedAt.toISOString() };
  });
}
