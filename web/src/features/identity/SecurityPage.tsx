import { Alert, Button } from 'design-react-kit';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/client';
import { TextField } from '../../components/FormField';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { type ReauthInput, useConfirmTotp, useDisableTotp, useStartTotp } from './api';
import { RequireSession } from './RequireSession';
import { isStaff } from './roles';
import type { SessionView } from './types';

const CODE = /^[0-9]{6}$/;
/** A code of the app or a recovery code, as the server accepts them. */
const ANY_CODE = /^([0-9]{6}|[a-z0-9]{5}-[a-z0-9]{5})$/;

/** The server's words for a field, or for the whole request when it names no field of this form. */
function serverErrors(error: unknown, fields: string[]) {
  if (!error) return { byField: {} as Record<string, string>, general: undefined };
  const byField = fieldErrors(error);
  const general = fields.some((f) => byField[f]) ? undefined : errorMessage(error);
  return { byField, general };
}

function CodeForm({
  id,
  submit,
  pending,
  error,
  onSubmit,
}: {
  id: string;
  submit: string;
  pending: boolean;
  error: unknown;
  onSubmit: (code: string) => void;
}) {
  const [code, setCode] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { byField, general } = serverErrors(error, ['code']);
  const handle = (e: FormEvent) => {
    e.preventDefault();
    const value = code.replace(/\s/g, '');
    setInvalid(!CODE.test(value));
    if (CODE.test(value)) onSubmit(value);
  };
  return (
    <form onSubmit={handle} noValidate className="row align-items-start">
      <div className="col-md-6">
        <TextField
          id={id}
          label={t.security.code}
          hint={t.security.codeHint}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          error={invalid ? t.security.codeSixDigits : (byField.code ?? general)}
        />
      </div>
      <div className="col-12">
        <Button type="submit" color="primary" disabled={pending}>
          {submit}
        </Button>
      </div>
    </form>
  );
}

/** The current password, and a code of the active factor when there is one: who is asking again. */
function ReauthForm({
  id,
  withCode,
  submit,
  pending,
  error,
  onSubmit,
}: {
  id: string;
  withCode: boolean;
  submit: string;
  pending: boolean;
  error: unknown;
  onSubmit: (input: ReauthInput) => void;
}) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [local, setLocal] = useState<{ password?: string; code?: string }>({});
  const { byField, general } = serverErrors(error, ['password', 'code']);
  const handle = (e: FormEvent) => {
    e.preventDefault();
    const value = code.replace(/\s/g, '').toLowerCase();
    const problems: { password?: string; code?: string } = {};
    if (!password) problems.password = t.login.required;
    if (withCode && !value) problems.code = t.login.required;
    else if (withCode && !ANY_CODE.test(value)) problems.code = t.security.codeInvalid;
    setLocal(problems);
    if (!problems.password && !problems.code) onSubmit(withCode ? { password, code: value } : { password });
  };
  return (
    <form onSubmit={handle} noValidate className="row align-items-start">
      {general ? (
        <div className="col-12">
          <Alert color="danger">
            <p className="mb-0">{general}</p>
          </Alert>
        </div>
      ) : null}
      <div className="col-md-6">
        <TextField
          id={`${id}-password`}
          label={t.security.password}
          hint={t.security.passwordHint}
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
          error={local.password ?? byField.password}
        />
      </div>
      {withCode ? (
        <div className="col-md-6">
          <TextField
            id={`${id}-code`}
            label={t.security.codeAny}
            hint={t.security.codeAnyHint}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            maxLength={12}
            required
            error={local.code ?? byField.code}
          />
        </div>
      ) : null}
      <div className="col-12">
        <Button type="submit" color="primary" disabled={pending}>
          {submit}
        </Button>
      </div>
    </form>
  );
}

function SecurityView({ session }: { session: SessionView }) {
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const disable = useDisableTotp();
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [status, setStatus] = useState('');
  const recoveryRef = useRef<HTMLHeadingElement>(null);
  const setupRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (recovery) recoveryRef.current?.focus();
  }, [recovery]);
  useEffect(() => {
    if (start.data) setupRef.current?.focus();
  }, [start.data]);

  const enabled = session.user.totpEnabled;

  return (
    <>
      <h1>{t.security.title}</h1>
      <p className="lead mb-4">{t.security.lead}</p>
      <p role="status" aria-live="polite" className="fw-semibold">
        {status}
      </p>
      <p>
        <span className={`badge ${enabled ? 'bg-success' : 'bg-secondary'} me-2`}>
          {enabled ? t.users.totpOn : t.users.totpOff}
        </span>
        {enabled ? t.security.statusOn : t.security.statusOff}
      </p>

      {recovery ? (
        <section className="mt-4 p-4 border rounded" aria-labelledby="recovery-title">
          <h2 id="recovery-title" className="h4" tabIndex={-1} ref={recoveryRef}>
            {t.security.recoveryTitle}
          </h2>
          <p>{t.security.recoveryText}</p>
          <ul className="list-unstyled font-monospace recovery-codes">
            {recovery.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <Button color="primary" onClick={() => setRecovery(null)}>
            {t.security.recoveryDone}
          </Button>
        </section>
      ) : null}

      {start.data && !recovery ? (
        <section className="mt-4" aria-labelledby="setup-title">
          <h2 id="setup-title" className="h4" tabIndex={-1} ref={setupRef}>
            {t.security.setupTitle}
          </h2>
          <p>{t.security.setupText}</p>
          {enabled ? <p>{t.security.pendingNote}</p> : null}
          <dl className="totp-setup">
            <dt>{t.security.secret}</dt>
            <dd className="font-monospace text-break">{start.data.secret}</dd>
            <dt>{t.security.uri}</dt>
            <dd className="font-monospace text-break small">{start.data.otpauthUri}</dd>
          </dl>
          <CodeForm
            id="totp-confirm"
            submit={t.security.confirm}
            pending={confirm.isPending}
            error={confirm.error}
            onSubmit={(code) =>
              confirm.mutate(code, {
                onSuccess: (r) => {
                  start.reset();
                  setRecovery(r.recoveryCodes);
                  setStatus(enabled ? t.security.changed : t.security.enabled);
                },
              })
            }
          />
          <Button color="secondary" outline className="mt-3" onClick={() => start.reset()}>
            {t.security.cancelSetup}
          </Button>
        </section>
      ) : null}

      {!enabled && !recovery && !start.data ? (
        <section className="mt-4" aria-labelledby="enable-title">
          <h2 id="enable-title" className="h4">
            {t.security.enableTitle}
          </h2>
          <p>{t.security.enableText}</p>
          <ReauthForm
            id="totp-enable"
            withCode={false}
            submit={t.security.enable}
            pending={start.isPending}
            error={start.error}
            onSubmit={(input) => start.mutate(input)}
          />
        </section>
      ) : null}

      {enabled && !recovery && !start.data ? (
        <>
          <section className="mt-4" aria-labelledby="change-title">
            <h2 id="change-title" className="h4">
              {t.security.changeTitle}
            </h2>
            <p>{t.security.changeText}</p>
            <ReauthForm
              id="totp-change"
              withCode
              submit={t.security.change}
              pending={start.isPending}
              error={start.error}
              onSubmit={(input) => start.mutate(input)}
            />
          </section>
          <section className="mt-5" aria-labelledby="disable-title">
            <h2 id="disable-title" className="h4">
              {t.security.disableTitle}
            </h2>
            <p>{t.security.disableText}</p>
            <ReauthForm
              id="totp-disable"
              withCode
              submit={t.security.disable}
              pending={disable.isPending}
              error={disable.error}
              onSubmit={(input) =>
                disable.mutate(input as Required<ReauthInput>, {
                  onSuccess: () => setStatus(t.security.disabled),
                })
              }
            />
          </section>
        </>
      ) : null}
    </>
  );
}

export function SecurityPage() {
  usePageTitle(t.security.title);
  return <RequireSession allow={isStaff}>{(session) => <SecurityView session={session} />}</RequireSession>;
}
