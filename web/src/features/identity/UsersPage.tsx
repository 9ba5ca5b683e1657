import { Button } from 'design-react-kit';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/client';
import type { AmbitoSummary } from '../../api/types';
import { TextField } from '../../components/FormField';
import { ErrorState, Loading } from '../../components/QueryState';
import { ResponsiveTable } from '../../components/ResponsiveTable';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { useAmbiti } from '../territory/api';
import { useCreateUser, useDisableUser, useGrantRole, useRevokeRole, useUsers } from './api';
import { RequireSession } from './RequireSession';
import { EMPTY_ROLE, type RoleDraft, RoleFields, toGrant } from './RoleFields';
import { hasRole } from './roles';
import type { RoleAssignment, UserView } from './types';

type AmbitoNames = Map<string, string>;

function roleText(r: RoleAssignment, ambiti: AmbitoNames): string {
  const scope = [
    r.ambitoId ? (ambiti.get(r.ambitoId) ?? r.ambitoId) : '',
    r.comuneIstat ? `${t.users.comune} ${r.comuneIstat}` : '',
    r.organizationId ? `${t.users.organization} ${r.organizationId}` : '',
  ].filter(Boolean);
  return scope.length ? `${t.roles[r.role]} — ${scope.join(', ')}` : t.roles[r.role];
}

function DisableButton({ user, onDone }: { user: UserView; onDone: (msg: string) => void }) {
  const [asking, setAsking] = useState(false);
  const disable = useDisableUser();
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The button just pressed is gone: focus goes to the question's answer.
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (user.disabled) return null;
  if (!asking)
    return (
      <Button
        color="danger"
        outline
        size="xs"
        onClick={() => setAsking(true)}
        aria-label={t.users.disableLabel(user.displayName)}
      >
        {t.users.disable}
      </Button>
    );
  return (
    <div className="disable-confirm">
      <p className="small mb-1">{t.users.disableConfirm(user.displayName)}</p>
      {disable.isError ? <p className="small text-danger mb-1">{errorMessage(disable.error)}</p> : null}
      <div className="d-flex gap-2">
        <Button
          innerRef={confirmRef}
          color="danger"
          size="xs"
          disabled={disable.isPending}
          onClick={() =>
            disable.mutate(user.id, {
              onSuccess: () => {
                setAsking(false);
                onDone(t.users.disabledDone(user.displayName));
              },
            })
          }
        >
          {t.users.confirm}
        </Button>
        <Button color="secondary" outline size="xs" onClick={() => setAsking(false)}>
          {t.users.cancel}
        </Button>
      </div>
    </div>
  );
}

function UsersTable({
  users,
  ambiti,
  onManage,
  onDone,
}: {
  users: UserView[];
  ambiti: AmbitoNames;
  onManage: (id: string) => void;
  onDone: (msg: string) => void;
}) {
  const sorted = [...users].sort((a, b) => a.username.localeCompare(b.username, 'it'));
  return (
    <ResponsiveTable captionId="users-caption">
      <table className="table align-middle users-table">
        <caption id="users-caption">
          {t.users.caption} ({t.users.count(users.length)})
        </caption>
        <thead>
          <tr>
            <th scope="col">{t.users.username}</th>
            <th scope="col">{t.users.displayName}</th>
            <th scope="col">{t.users.roles}</th>
            <th scope="col">{t.users.state}</th>
            <th scope="col">{t.users.totp}</th>
            <th scope="col">{t.users.actions}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((u) => (
            <tr key={u.id}>
              <th scope="row" className="font-monospace fw-semibold">
                {u.username}
              </th>
              <td>
                {u.displayName}
                {u.email ? <div className="small text-secondary">{u.email}</div> : null}
              </td>
              <td>
                {u.roles.length === 0 ? (
                  <span className="text-secondary">{t.users.noRoles}</span>
                ) : (
                  <ul className="list-unstyled mb-0">
                    {u.roles.map((r) => (
                      <li key={r.id}>{roleText(r, ambiti)}</li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <span className={`badge ${u.disabled ? 'bg-secondary' : 'bg-success'}`}>
                  {u.disabled ? t.users.disabled : t.users.active}
                </span>
                {u.demo ? <div className="small text-secondary">{t.users.demo}</div> : null}
              </td>
              <td>{u.totpEnabled ? t.users.totpOn : t.users.totpOff}</td>
              <td>
                <div className="d-flex flex-column align-items-start gap-2">
                  <Button
                    color="primary"
                    outline
                    size="xs"
                    onClick={() => onManage(u.id)}
                    aria-label={t.users.manageRolesLabel(u.displayName)}
                  >
                    {t.users.manageRoles}
                  </Button>
                  <DisableButton user={u} onDone={onDone} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResponsiveTable>
  );
}

function RolesPanel({
  user,
  ambiti,
  ambitiNames,
  onClose,
  onDone,
}: {
  user: UserView;
  ambiti: AmbitoSummary[];
  ambitiNames: AmbitoNames;
  onClose: () => void;
  onDone: (msg: string) => void;
}) {
  const [draft, setDraft] = useState<RoleDraft>(EMPTY_ROLE);
  const [missing, setMissing] = useState(false);
  const grant = useGrantRole();
  const revoke = useRevokeRole();
  const errors = fieldErrors(grant.error);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const body = toGrant(draft);
    setMissing(!body);
    if (!body) return;
    grant.mutate(
      { userId: user.id, grant: body },
      {
        onSuccess: () => {
          setDraft(EMPTY_ROLE);
          onDone(t.users.granted);
        },
      },
    );
  };

  return (
    <section className="mt-5 p-4 border rounded" aria-labelledby="roles-title">
      <h2 id="roles-title" className="h4" tabIndex={-1} ref={headingRef}>
        {t.users.rolesTitle(user.displayName)}
      </h2>
      {user.roles.length === 0 ? (
        <p>{t.users.noRoles}</p>
      ) : (
        <ul className="list-unstyled">
          {user.roles.map((r) => (
            <li key={r.id} className="d-flex align-items-center gap-3 mb-2">
              <span>{roleText(r, ambitiNames)}</span>
              <Button
                color="danger"
                outline
                size="xs"
                disabled={revoke.isPending}
                aria-label={t.users.revokeLabel(roleText(r, ambitiNames))}
                onClick={() =>
                  revoke.mutate(
                    { userId: user.id, assignmentId: r.id },
                    { onSuccess: () => onDone(t.users.revoked) },
                  )
                }
              >
                {t.users.revoke}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {revoke.isError ? <p className="text-danger">{errorMessage(revoke.error)}</p> : null}
      <h3 className="h5 mt-4">{t.users.grantTitle}</h3>
      <form onSubmit={onSubmit} noValidate className="mt-3">
        <div aria-live="assertive">
          {grant.isError &&
          !errors.role &&
          !errors.ambitoId &&
          !errors.comuneIstat &&
          !errors.organizationId ? (
            <p className="text-danger">{errorMessage(grant.error)}</p>
          ) : null}
        </div>
        <RoleFields
          idPrefix="grant"
          value={draft}
          onChange={setDraft}
          ambiti={ambiti}
          errors={missing ? { ...errors, role: t.login.required } : errors}
          required
        />
        <div className="d-flex gap-2">
          <Button type="submit" color="primary" disabled={grant.isPending}>
            {t.users.grantSubmit}
          </Button>
          <Button type="button" color="secondary" outline onClick={onClose}>
            {t.users.close}
          </Button>
        </div>
      </form>
    </section>
  );
}

interface CreateDraft {
  username: string;
  displayName: string;
  email: string;
  password: string;
}
const EMPTY_USER: CreateDraft = { username: '', displayName: '', email: '', password: '' };

function CreateUserForm({ ambiti, onDone }: { ambiti: AmbitoSummary[]; onDone: (msg: string) => void }) {
  const [draft, setDraft] = useState<CreateDraft>(EMPTY_USER);
  const [role, setRole] = useState<RoleDraft>(EMPTY_ROLE);
  const create = useCreateUser();
  const errors = fieldErrors(create.error);
  const set = (patch: Partial<CreateDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const grant = toGrant(role);
    const username = draft.username.trim();
    create.mutate(
      {
        username,
        displayName: draft.displayName.trim(),
        email: draft.email.trim() || null,
        ...(draft.password ? { password: draft.password } : {}),
        roles: grant ? [grant] : [],
      },
      {
        onSuccess: () => {
          setDraft(EMPTY_USER);
          setRole(EMPTY_ROLE);
          onDone(t.users.created(username));
        },
      },
    );
  };

  const known = [
    'username',
    'displayName',
    'email',
    'password',
    'role',
    'ambitoId',
    'comuneIstat',
    'organizationId',
  ];
  const hasFieldErrors = Object.keys(errors).some((k) => known.includes(k));

  return (
    <section className="mt-5" aria-labelledby="create-title">
      <h2 id="create-title" className="h3">
        {t.users.createTitle}
      </h2>
      <div aria-live="assertive">
        {create.isError ? (
          <p className="text-danger fw-semibold">
            {hasFieldErrors ? t.users.formErrors : errorMessage(create.error)}
          </p>
        ) : null}
      </div>
      <form onSubmit={onSubmit} noValidate className="row mt-4 create-user-form">
        <div className="col-lg-6">
          <TextField
            id="new-username"
            label={t.users.username}
            value={draft.username}
            onChange={(e) => set({ username: e.target.value })}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            required
            error={errors.username}
          />
          <TextField
            id="new-name"
            label={t.users.displayName}
            value={draft.displayName}
            onChange={(e) => set({ displayName: e.target.value })}
            autoComplete="off"
            required
            error={errors.displayName}
          />
          <TextField
            id="new-email"
            type="email"
            label={t.users.email}
            value={draft.email}
            onChange={(e) => set({ email: e.target.value })}
            autoComplete="off"
            error={errors.email}
          />
          <TextField
            id="new-password"
            type="password"
            label={t.users.password}
            hint={t.users.passwordHint}
            value={draft.password}
            onChange={(e) => set({ password: e.target.value })}
            autoComplete="new-password"
            error={errors.password}
          />
        </div>
        <div className="col-lg-6">
          <RoleFields idPrefix="new" value={role} onChange={setRole} ambiti={ambiti} errors={errors} />
        </div>
        <div className="col-12">
          <Button type="submit" color="primary" disabled={create.isPending}>
            {t.users.createSubmit}
          </Button>
        </div>
      </form>
    </section>
  );
}

function UsersView() {
  const users = useUsers();
  const ambiti = useAmbiti();
  const [managing, setManaging] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const ambitiList = [...(ambiti.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'it'));
  const names: AmbitoNames = new Map(ambitiList.map((a) => [a.id, a.name]));
  const managed = users.data?.find((u) => u.id === managing);

  return (
    <>
      <h1>{t.users.title}</h1>
      <p className="lead mb-4">{t.users.lead}</p>
      <p className="users-status" role="status" aria-live="polite">
        {status}
      </p>
      {users.isPending ? <Loading /> : null}
      {users.isError ? <ErrorState error={users.error} onRetry={() => users.refetch()} /> : null}
      {users.data ? (
        users.data.length === 0 ? (
          <p>{t.users.empty}</p>
        ) : (
          <UsersTable users={users.data} ambiti={names} onManage={setManaging} onDone={setStatus} />
        )
      ) : null}
      {managed ? (
        <RolesPanel
          key={managed.id}
          user={managed}
          ambiti={ambitiList}
          ambitiNames={names}
          onClose={() => setManaging(null)}
          onDone={setStatus}
        />
      ) : null}
      <CreateUserForm ambiti={ambitiList} onDone={setStatus} />
    </>
  );
}

export function UsersPage() {
  usePageTitle(t.users.title);
  return <RequireSession allow={(s) => hasRole(s, 'admin')}>{() => <UsersView />}</RequireSession>;
}
