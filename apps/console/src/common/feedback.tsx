import { ApiError, describeError, isRetryable } from '../api/errors';

/** The loading state of a request: a status that reads "Loading…" while it runs. */
export function Loading({ busy = true }: { busy?: boolean }) {
  return busy ? (
    <p role="status" className="loading">
      Loading…
    </p>
  ) : null;
}

/** What an act did, as a status a screen reader announces ("Test record sent to siem."); nothing while there is none. */
export function Notice({ text }: { text: string | null }) {
  return text ? (
    <p role="status" className="note">
      {text}
    </p>
  ) : null;
}

/**
 * An error as an alert: 429 and 503 say to retry (with Retry-After), others give the API's
 * message. A 401 shows nothing here: the console signs out (or the embed says the link is
 * not valid) instead.
 */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: (() => void) | undefined }) {
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError && error.status === 401) return null;
  return (
    <div role="alert" className="alert alert-error">
      <p>{describeError(error)}</p>
      {onRetry && isRetryable(error) ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
