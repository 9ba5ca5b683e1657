import { Alert, Button, Spinner } from 'design-react-kit';
import { errorMessage } from '../api/client';
import { t } from '../i18n';

/** Polite live region: screen readers announce the wait without interrupting. */
export function Loading({ label = t.state.loading }: { label?: string }) {
  return (
    <div className="d-flex align-items-center gap-3 py-4" role="status" aria-live="polite">
      <Spinner active small label="" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

interface ErrorStateProps {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  /** h1 when the error replaces the whole page content. */
  heading?: 'h1' | 'h2';
}

/** Shows the server's problem `detail`; the kit's Alert carries role="alert", so it is read at once. */
export function ErrorState({ error, title = t.state.errorTitle, onRetry, heading = 'h2' }: ErrorStateProps) {
  const Heading = heading;
  return (
    <div className="my-4">
      <Alert color="danger">
        <Heading className="h5 alert-heading">{title}</Heading>
        <p className="mb-0">{errorMessage(error)}</p>
        {onRetry ? (
          <Button color="primary" outline size="sm" className="mt-3" onClick={onRetry}>
            {t.state.retry}
          </Button>
        ) : null}
      </Alert>
    </div>
  );
}
