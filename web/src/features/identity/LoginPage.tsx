import { Alert, Button } from 'design-react-kit';
import { type FormEvent, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, apiUrl, errorMessage, fieldErrors } from '../../api/client';
import { TextField } from '../../components/FormField';
import { Loading } from '../../components/QueryState';
import { usePageTitle } from '../../components/usePageTitle';
import { t } from '../../i18n';
import { useLogin, useOidcInfo, useSession } from './api';

/** Only same-site paths are followed after login: `?da=https://elsewhere` must not redirect away. */
function safeReturn(value: string | null): string {
  return value?.startsWith('/') && !/^\/[/\\]/.test(value) ? value : '/ambiti';
}

export function LoginPage() {
  usePageTitle(t.login.title);
  const [params] = useSearchParams();
  const returnTo = safeReturn(params.get('da'));
  const externalError = params.get('errore');
  const navigate = useNavigate();
  const session = useSession();
  const oidc = useOidcInfo();
  const login = useLogin();

  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const [message, setMessage] = useState('');
  const totpRef = useRef<HTMLInputElement>(null);

  if (session.isPending) return <Loading />;
  // Already logged in (e.g. the back button after login): straight on.
  if (session.data && !login.isPending && !login.isSuccess) return <Navigate to={returnTo} replace />;

  const errors = fieldErrors(login.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const miss = { username: !username.trim(), password: !password, totp: needTotp && !totp.trim() };
    setMissing(miss);
    if (miss.username || miss.password || miss.totp) {
      setMessage(t.users.formErrors);
      return;
    }
    setMessage('');
    login.mutate(
      { username: username.trim(), password, ...(needTotp ? { totp: totp.trim() } : {}) },
      {
        onSuccess: () => navigate(returnTo, { replace: true }),
        onError: (err) => {
          if (err instanceof ApiError && err.status === 401 && fieldErrors(err).totp !== undefined) {
            const first = !needTotp;
            setNeedTotp(true);
            if (first) {
              setMessage(t.login.totpRequired);
              setTimeout(() => totpRef.current?.focus(), 0);
              return;
            }
          }
          setMessage(err instanceof ApiError && err.status === 429 ? t.login.throttled : errorMessage(err));
        },
      },
    );
  };

  const isError = login.isError && message !== t.login.totpRequired;

  return (
    <div className="row justify-content-center">
      <div className="col-lg-6 col-md-8">
        <h1>{t.login.title}</h1>
        <p className="lead mb-4">{t.login.lead}</p>
        {externalError ? (
          <Alert color="danger">
            <p className="mb-0">{t.login.externalError}</p>
          </Alert>
        ) : null}
        <div aria-live="assertive" aria-atomic="true">
          {message ? (
            <Alert color={isError || message === t.users.formErrors ? 'danger' : 'info'}>
              <p className="mb-0">{message}</p>
            </Alert>
          ) : null}
        </div>
        <form className="login-form mt-4" onSubmit={onSubmit} noValidate>
          <TextField
            id="login-username"
            label={t.login.username}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            error={missing.username ? t.login.required : errors.username}
          />
          <TextField
            id="login-password"
            type="password"
            label={t.login.password}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
            error={missing.password ? t.login.required : errors.password}
          />
          {needTotp ? (
            <TextField
              id="login-totp"
              inputRef={totpRef}
              label={t.login.totp}
              hint={t.login.totpHint}
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
              autoComplete="one-time-code"
              autoCapitalize="none"
              spellCheck={false}
              required
              error={missing.totp ? t.login.required : undefined}
            />
          ) : null}
          <Button type="submit" color="primary" disabled={login.isPending}>
            {login.isPending ? t.login.submitting : t.login.submit}
          </Button>
        </form>
        {oidc.data?.enabled ? (
          <div className="mt-5">
            <p className="text-secondary">{t.login.or}</p>
            <a className="btn btn-outline-primary" href={apiUrl('/auth/oidc/login', { returnTo })}>
              {t.login.oidc(oidc.data.label)}
            </a>
          </div>
        ) : null}
        <p className="mt-5">
          <Link to="/ambiti">{t.login.goHome}</Link>
        </p>
      </div>
    </div>
  );
}
