import type { AmbitoSummary } from '../../api/types';
import { SelectField, TextField } from '../../components/FormField';
import { t } from '../../i18n';
import { ROLE_SCOPE } from './roles';
import { type GrantBody, ROLES, type Role } from './types';

export interface RoleDraft {
  role: Role | '';
  ambitoId: string;
  comuneIstat: string;
  organizationId: string;
}

export const EMPTY_ROLE: RoleDraft = { role: '', ambitoId: '', comuneIstat: '', organizationId: '' };

/** The grant to send: only the scope fields the role needs, as the server rejects the others. */
export function toGrant(draft: RoleDraft): GrantBody | undefined {
  if (!draft.role) return undefined;
  const need = ROLE_SCOPE[draft.role];
  return {
    role: draft.role,
    ...(need.ambito ? { ambitoId: draft.ambitoId || null } : {}),
    ...(need.comune ? { comuneIstat: draft.comuneIstat.trim() || null } : {}),
    ...(need.organization ? { organizationId: draft.organizationId.trim() || null } : {}),
  };
}

interface RoleFieldsProps {
  idPrefix: string;
  value: RoleDraft;
  onChange: (draft: RoleDraft) => void;
  ambiti: AmbitoSummary[];
  errors: Record<string, string>;
  /** Whether a role must be chosen (granting) or may be left empty (creating a user). */
  required?: boolean;
}

/** Role select plus the scope inputs that role needs (Ambito, Comune, ente), shown only then. */
export function RoleFields({ idPrefix, value, onChange, ambiti, errors, required }: RoleFieldsProps) {
  const need = value.role ? ROLE_SCOPE[value.role] : undefined;
  const set = (patch: Partial<RoleDraft>) => onChange({ ...value, ...patch });
  return (
    <>
      <SelectField
        id={`${idPrefix}-role`}
        label={t.users.role}
        value={value.role}
        onChange={(e) => set({ role: e.target.value as Role | '' })}
        required={required}
        error={errors.role}
      >
        <option value="">{t.users.roleNone}</option>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {t.roles[r]}
          </option>
        ))}
      </SelectField>
      {need?.ambito ? (
        <SelectField
          id={`${idPrefix}-ambito`}
          label={t.users.ambito}
          value={value.ambitoId}
          onChange={(e) => set({ ambitoId: e.target.value })}
          required
          error={errors.ambitoId}
        >
          <option value="">{t.users.ambitoNone}</option>
          {ambiti.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {need?.comune ? (
        <TextField
          id={`${idPrefix}-comune`}
          label={t.users.comune}
          hint={t.users.comuneHint}
          value={value.comuneIstat}
          onChange={(e) => set({ comuneIstat: e.target.value })}
          inputMode="numeric"
          maxLength={6}
          required
          error={errors.comuneIstat}
        />
      ) : null}
      {need?.organization ? (
        <TextField
          id={`${idPrefix}-organization`}
          label={t.users.organization}
          hint={t.users.organizationHint}
          value={value.organizationId}
          onChange={(e) => set({ organizationId: e.target.value })}
          spellCheck={false}
          required
          error={errors.organizationId}
        />
      ) : null}
    </>
  );
}
