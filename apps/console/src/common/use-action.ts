import { useCallback, useState } from 'react';

/**
 * A change the user asked for (create, rotate, remove …): `run` marks it busy and clears the
 * last error, then calls `onDone` with its answer, or keeps its error for an ErrorAlert.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(<T>(call: Promise<T>, onDone: (value: T) => void) => {
    setBusy(true);
    setError(null);
    call.then(
      (value) => {
        setBusy(false);
        onDone(value);
      },
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  }, []);
  return { busy, error, setError, run };
}
