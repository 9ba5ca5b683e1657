import { z } from 'zod';
import { ROLES } from '../../http/auth.js';
import { IstatCode } from '../territory/territory.schemas.js';

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._@-]{3,64}$/, 'da 3 a 64 caratteri tra lettere, cifre e . _ @ -');

export const LoginBody = z.object({
  username: z.string().min(1, 'obbligatorio').max(128),
  password: z.string().min(1, 'obbligatoria').max(256),
  totp: z
    .string()
    .regex(/^([0-9]{6}|[a-z0-9]{5}-[a-z0-9]{5})$/, 'codice di 6 cifre o codice di recupero')
    .optional(),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const RoleAssignmentView = z.object({
  id: z.uuid(),
  role: z.enum(ROLES),
  ambitoId: z.uuid().nullable(),
  comuneIstat: z.string().nullable(),
  organizationId: z.uuid().nullable(),
});

export const SessionView = z.object({
  user: z.object({ id: z.uuid(), username: z.string(), displayName: z.string(), totpEnabled: z.boolean() }),
  roles: z.array(RoleAssignmentView),
  csrfToken: z.string(),
  expiresAt: z.iso.datetime(),
});
export type SessionView = z.infer<typeof SessionView>;

export const LogoutQuery = z.object({
  everywhere: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: termina tutte le sessioni dell’utente'),
});

export const TotpSetupView = z.object({ secret: z.string(), otpauthUri: z.string() });
export const TotpCode = z.object({ code: z.string().regex(/^[0-9]{6}$/, 'codice di 6 cifre') });
/** A code of the authenticator app or a recovery code, as at login. */
const SecondFactorCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([0-9]{6}|[a-z0-9]{5}-[a-z0-9]{5})$/, 'codice di 6 cifre o codice di recupero');
const CurrentPassword = z.string().min(1, 'obbligatoria').max(256).describe('la password attuale');
/** Setting up a second factor asks for the password; replacing an active one also for a code. */
export const TotpStartBody = z.object({
  password: CurrentPassword,
  code: SecondFactorCode.optional().describe('obbligatorio se il secondo fattore è già attivo'),
});
export const TotpDisableBody = z.object({ password: CurrentPassword, code: SecondFactorCode });
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

export const GrantBody = z.object({
  role: z.enum(ROLES),
  ambitoId: z.uuid().nullable().optional(),
  comuneIstat: IstatCode.nullable().optional(),
  organizationId: z.uuid().nullable().optional(),
});
export type GrantBody = z.infer<typeof GrantBody>;

export const CreateUserBody = z.object({
  username: Username,
  displayName: z.string().trim().min(2, 'almeno 2 caratteri').max(200),
  email: z.email('indirizzo email non valido').nullable().optional(),
  /** The person's codice fiscale: their applications are then the ones filed for it (issue 16). */
  codiceFiscale: z
    .string()
    .trim()
    .toUpperCase()
    .regex(
      /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/,
      'codice fiscale non valido',
    )
    .nullable()
    .optional(),
  password: z.string().max(256).optional(),
  roles: z.array(GrantBody).max(20).default([]),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UserView = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  disabled: z.boolean(),
  totpEnabled: z.boolean(),
  demo: z.boolean(),
  roles: z.array(RoleAssignmentView),
});
export type UserView = z.infer<typeof UserView>;
export const UserList = z.object({ items: z.array(UserView) });
export const UserParams = z.object({ id: z.uuid('identificativo non valido') });
export const AssignmentParams = UserParams.extend({ assignmentId: z.uuid('identificativo non valido') });
