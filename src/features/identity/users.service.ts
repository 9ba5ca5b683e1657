import { type Kysely, sql } from 'kysely';
import { type Tx, withReference } from '../../db/scope.js';
import type { DB } from '../../db/types.js';
import type { Actor, Role } from '../../http/auth.js';
import { conflict, DomainError, invalid, notFound } from '../../http/errors.js';
import { assertCan, PERSONAL_DATA_ROLES } from '../../http/policy.js';
import { audit } from '../audit/audit.js';
import type { CreateUserBody, GrantBody, UserView } from './identity.schemas.js';
import { hashPassword, passwordProblem } from './password.js';

/** Which scope fields each role needs, as the database's check constraint also says. */
const SCOPE: Record<Role, { ambito: boolean; comune: boolean; organization: boolean }> = {
  admin: { ambito: false, comune: false, organization: false },
  ufficio_di_piano: { ambito: true, comune: false, organization: false },
  revisore: { ambito: true, comune: false, organization: false },
  ats_asst: { ambito: true, comune: false, organization: false },
  assistente_sociale: { ambito: true, comune: true, organization: false },
  assemblea: { ambito: true, comune: true, organization: false },
  terzo_settore: { ambito: false, comune: false, organization: true },
  cittadino: { ambito: false, comune: false, organization: false },
};

async function validateGrant(trx: Tx, g: GrantBody, field: string): Promise<void> {
  const need = SCOPE[g.role];
  const check = (name: 'ambitoId' | 'comuneIstat' | 'organizationId', required: boolean) => {
    const has = g[name] !== undefined && g[name] !== null;
    if (required && !has) throw invalid(`${field}.${name}`, `obbligatorio per il ruolo ${g.role}`);
    if (!required && has) throw invalid(`${field}.${name}`, `non previsto per il ruolo ${g.role}`);
  };
  check('ambitoId', need.ambito);
  check('comuneIstat', need.comune);
  check('organizationId', need.organization);
  if (
    g.ambitoId &&
    !(await trx.selectFrom('ambiti').select('id').where('id', '=', g.ambitoId).executeTakeFirst())
  )
    throw invalid(`${field}.ambitoId`, 'Ambito inesistente');
  if (g.ambitoId && g.comuneIstat) {
    // The Comune must belong to that Ambito today: read inside the Ambito's tenant session.
    await sql`select set_config('app.ambito_id', ${g.ambitoId}, true)`.execute(trx);
    const today = new Date().toISOString().slice(0, 10);
    const member = await trx
      .selectFrom('ambito_comuni')
      .select('istat_code')
      .where('istat_code', '=', g.comuneIstat)
      .where('valid_from', '<=', today)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)]))
      .executeTakeFirst();
    if (!member) throw invalid(`${field}.comuneIstat`, 'il Comune non appartiene all’Ambito indicato');
  }
  if (
    g.organizationId &&
    !(await trx
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', g.organizationId)
      .executeTakeFirst())
  )
    throw invalid(`${field}.organizationId`, 'organizzazione inesistente');
}

async function insertGrant(trx: Tx, userId: string, g: GrantBody) {
  return trx
    .insertInto('role_assignments')
    .values({
      user_id: userId,
      role: g.role,
      ambito_id: g.ambitoId ?? null,
      comune_istat: g.comuneIstat ?? null,
      organization_id: g.organizationId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((e) => {
      if ((e as { code?: string }).code === '23505')
        throw conflict('role', 'l’utente ha già questo ruolo con lo stesso ambito');
      throw e;
    });
}

/**
 * Grants and revocations of roles that read personal data are recorded under their own action,
 * in the Ambito they cover, so that its Ufficio di Piano and auditors see them (ADR 0007).
 */
function grantAudit(
  change: 'grant' | 'revoke',
  userId: string,
  g: { role: Role; ambitoId: string | null; comuneIstat: string | null },
  assignmentId: string,
) {
  const personalData = PERSONAL_DATA_ROLES.includes(g.role);
  return {
    action: personalData ? `user.${change}_personal_data` : `user.${change}`,
    resourceType: 'user',
    resourceId: userId,
    ambitoId: g.ambitoId,
    detail: { role: g.role, assignmentId, comune: g.comuneIstat, personalData },
  };
}

/** Nobody widens their own access: another administrator must grant it, and see it recorded. */
function refuseSelf(actor: Actor, userId: string, message: string) {
  if (actor.kind !== 'user' || actor.id !== userId) return;
  const error = new DomainError('FORBIDDEN', message);
  error.denied = { action: 'users:manage', resourceType: 'user', resourceId: userId };
  throw error;
}

export async function createUser(
  db: Kysely<DB>,
  actor: Actor,
  input: CreateUserBody,
  opts: { demo?: boolean } = {},
) {
  assertCan(actor, 'users:manage');
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, input.username);
    if (problem) throw invalid('password', problem);
  }
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : null;
  return withReference(db, async (trx) => {
    if (await trx.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst())
      throw conflict('username', `il nome utente ${input.username} è già in uso`);
    for (const [i, g] of input.roles.entries()) await validateGrant(trx, g, `roles[${i}]`);
    const { id } = await trx
      .insertInto('users')
      .values({
        username: input.username,
        display_name: input.displayName,
        email: input.email ?? null,
        codice_fiscale: input.codiceFiscale ?? null,
        password_hash: passwordHash,
        demo: opts.demo ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const assignments = [];
    for (const g of input.roles) assignments.push({ g, id: (await insertGrant(trx, id, g)).id });
    await audit(trx, actor, {
      action: 'user.create',
      resourceType: 'user',
      resourceId: id,
      detail: { roles: input.roles.map((r) => r.role) },
    });
    for (const a of assignments)
      if (PERSONAL_DATA_ROLES.includes(a.g.role))
        await audit(
          trx,
          actor,
          grantAudit(
            'grant',
            id,
            { role: a.g.role, ambitoId: a.g.ambitoId ?? null, comuneIstat: a.g.comuneIstat ?? null },
            a.id,
          ),
        );
    return { id };
  });
}

export async function listUsers(db: Kysely<DB>, actor: Actor): Promise<UserView[]> {
  assertCan(actor, 'users:read');
  return withReference(db, async (trx) => {
    const users = await trx.selectFrom('users').selectAll().orderBy('username').execute();
    const roles = await trx.selectFrom('role_assignments').selectAll().orderBy('created_at').execute();
    // Names and e-mail addresses are personal data: their reading is recorded.
    await audit(trx, actor, { action: 'user.list', resourceType: 'user', detail: { count: users.length } });
    return users.map((u) => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      email: u.email,
      disabled: u.disabled_at !== null,
      totpEnabled: u.totp_enabled_at !== null,
      demo: u.demo,
      roles: roles
        .filter((r) => r.user_id === u.id)
        .map((r) => ({
          id: r.id,
          role: r.role as Role,
          ambitoId: r.ambito_id,
          comuneIstat: r.comune_istat,
          organizationId: r.organization_id,
        })),
    }));
  });
}

async function requireUser(trx: Tx, id: string) {
  const user = await trx
    .selectFrom('users')
    .select(['id', 'username', 'disabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!user) throw notFound('Utente');
  return user;
}

/** Disabling ends every session of the user at once. */
export async function disableUser(db: Kysely<DB>, actor: Actor, id: string) {
  assertCan(actor, 'users:manage');
  if (actor.kind === 'user' && actor.id === id)
    throw new DomainError('CONFLICT', 'Non è possibile disattivare il proprio utente');
  await withReference(db, async (trx) => {
    await requireUser(trx, id);
    await trx
      .updateTable('users')
      .set({ disabled_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await audit(trx, actor, { action: 'user.disable', resourceType: 'user', resourceId: id });
  });
}

export async function grantRole(db: Kysely<DB>, actor: Actor, userId: string, g: GrantBody) {
  assertCan(actor, 'users:manage');
  refuseSelf(
    actor,
    userId,
    'Non è possibile assegnare ruoli al proprio utente: deve farlo un altro amministratore',
  );
  return withReference(db, async (trx) => {
    await requireUser(trx, userId);
    await validateGrant(trx, g, 'body');
    const { id } = await insertGrant(trx, userId, g);
    await audit(
      trx,
      actor,
      grantAudit(
        'grant',
        userId,
        { role: g.role, ambitoId: g.ambitoId ?? null, comuneIstat: g.comuneIstat ?? null },
        id,
      ),
    );
    return { id };
  });
}

export async function revokeRole(db: Kysely<DB>, actor: Actor, userId: string, assignmentId: string) {
  assertCan(actor, 'users:manage');
  await withReference(db, async (trx) => {
    const removed = await trx
      .deleteFrom('role_assignments')
      .where('id', '=', assignmentId)
      .where('user_id', '=', userId)
      .returning(['role', 'ambito_id', 'comune_istat'])
      .executeTakeFirst();
    if (!removed) throw notFound('Assegnazione di ruolo');
    if (removed.role === 'admin' && actor.kind === 'user' && actor.id === userId) {
      // Read after the delete, in the same transaction: a refusal rolls the delete back.
      const left = await trx
        .selectFrom('role_assignments')
        .select('id')
        .where('user_id', '=', userId)
        .where('role', '=', 'admin')
        .executeTakeFirst();
      if (!left)
        throw conflict('assignmentId', 'non è possibile rimuovere il proprio ultimo ruolo di amministratore');
    }
    await audit(
      trx,
      actor,
      grantAudit(
        'revoke',
        userId,
        { role: removed.role as Role, ambitoId: removed.ambito_id, comuneIstat: removed.comune_istat },
        assignmentId,
      ),
    );
  });
}

export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
}

/** The assignment of exactly this role and scope, if the user holds it. */
export function findAssignment(db: Kysely<DB>, userId: string, g: GrantBody) {
  const ambito = g.ambitoId ?? null;
  const comune = g.comuneIstat ?? null;
  const organization = g.organizationId ?? null;
  return db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', g.role)
    .where('ambito_id', ambito ? '=' : 'is', ambito)
    .where('comune_istat', comune ? '=' : 'is', comune)
    .where('organization_id', organization ? '=' : 'is', organization)
    .executeTakeFirst();
}
