import { Alert, Button } from 'design-react-kit';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorMessage, fieldErrors } from '../../api/client';
import { TextField } from '../../components/FormField';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { useConfirmTotp, useDisableTotp, useStartTotp } from './api';
import { RequireSession } from './RequireSession';
import { isStaff } from './roles';
import type { SessionView } from './types';

const CODE = /^[0-9]{6}$/;

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
  const serverError = error ? (fieldErrors(error).code ?? errorMessage(error)) : undefined;
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
          error={invalid ? t.login.required : serverError}
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

function SecurityView({ session }: { session: SessionView }) {
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const disable = useDisableTotp();
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [status, setStatus] = useState('');
  const recoveryRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (recovery) recoveryRef.current?.focus();
  }, [recovery]);

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

      {!enabled && !recovery ? (
        start.data ? (
          <section className="mt-4" aria-labelledby="setup-title">
            <h2 id="setup-title" className="h4">
              {t.security.setupTitle}
            </h2>
            <p>{t.security.setupText}</p>
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
                    setStatus(t.security.enabled);
                  },
                })
              }
            />
          </section>
        ) : (
          <>
            {start.isError ? (
              <Alert color="danger">
                <p className="mb-0">{errorMessage(start.error)}</p>
              </Alert>
            ) : null}
            <Button color="primary" disabled={start.isPending} onClick={() => start.mutate()}>
              {t.security.enable}
            </Button>
          </>
        )
      ) : null}

      {enabled && !recovery ? (
        <section className="mt-4" aria-labelledby="disable-title">
          <h2 id="disable-title" className="h4">
            {t.security.disableTitle}
          </h2>
          <CodeForm
            id="totp-disable"
            submit={t.security.disable}
            pending={disable.isPending}
            error={disable.error}
            onSubmit={(code) => disable.mutate(code, { onSuccess: () => setStatus(t.security.disabled) })}
          />
        </section>
      ) : null}
    </>
  );
}

export function SecurityPage() {
  usePageTitle(t.security.title);
  return <RequireSession allow={isStaff}>{(session) => <SecurityView session={session} />}</RequireSession>;
}
