import { useCallback, useEffect, useState } from 'react';

export interface RequestState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  load: unknown;
  nonce: number;
  data: T | undefined;
  error: unknown;
}

/**
 * Runs `load` (memoise it: a new function is a new request) and tracks its answer. Only the
 * answer of the current `load` is ever shown: a slower earlier one is aborted and dropped.
 * `reload` asks again and keeps the data it has meanwhile (a view does not flicker, nor lose
 * what its children hold). `null` loads nothing.
 */
export function useRequest<T>(load: ((signal: AbortSignal) => Promise<T>) | null): RequestState<T> {
  const [nonce, setNonce] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    if (!load) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setSettled({ load, nonce, data, error: undefined });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setSettled({ load, nonce, data: undefined, error });
      },
    );
    return () => controller.abort();
  }, [load, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const sameLoad = settled !== null && settled.load === load;
  const fresh = sameLoad && settled.nonce === nonce;
  return {
    data: sameLoad ? settled.data : undefined,
    error: fresh ? settled.error : undefined,
    loading: load !== null && !fresh,
    reload,
  };
}
