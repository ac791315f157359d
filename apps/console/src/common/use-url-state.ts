import { useCallback, useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { needsPin, pinPreset, type TimeRange } from './time-range';

/** Moves to `next` (a new history entry, or in place with `replace`). */
export type Go<S> = (next: S, replace?: boolean) => void;

/**
 * A view's state kept in its URL: `read` takes it from the search params, `write` puts it
 * into a copy of them (other keys stay). Both must be stable (module-level) functions.
 */
export function useUrlState<S>(read: (params: URLSearchParams) => S, write: (state: S, base: URLSearchParams) => URLSearchParams): [S, Go<S>] {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => read(params), [read, params]);
  const go = useCallback((next: S, replace = false) => setParams(write(next, params), { replace }), [write, params, setParams]);
  return [state, go];
}

/**
 * A preset range without its start (a hand-written link) is pinned to now, once, in place
 * and back on the first page. True while it is unpinned: nothing should load meanwhile.
 */
export function usePinnedTime<S extends { time: TimeRange; cursor?: string | undefined }>(state: S, go: Go<S>): boolean {
  const pinning = needsPin(state.time);
  useEffect(() => {
    if (pinning) go({ ...state, time: pinPreset(state.time), cursor: undefined }, true);
  }, [pinning, go, state]);
  return pinning;
}
