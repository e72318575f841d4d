import { useEffect, useState } from 'react';
import { isAbortError } from '../../../lib/api-client';

export interface AnalyticsState<T> {
  /** The last answer, kept while a newer one loads so tables do not flash empty at each filter change. */
  data: T | null;
  isLoading: boolean;
  error: unknown;
}

/**
 * Loads `key`'s data, aborting the previous request when the key changes: a council member clicking
 * through filters must not pay for every figure computed along the way.
 */
export function useAnalytics<T>(key: string, load: (signal: AbortSignal) => Promise<T>): AnalyticsState<T> {
  const [state, setState] = useState<AnalyticsState<T>>({ data: null, isLoading: true, error: null });
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, isLoading: true, error: null }));
    load(controller.signal).then(
      (data) => setState({ data, isLoading: false, error: null }),
      (error: unknown) => {
        if (isAbortError(error) || controller.signal.aborted) return;
        setState({ data: null, isLoading: false, error });
      },
    );
    return () => controller.abort();
    // `key` names everything `load` depends on.
  }, [key]);
  return state;
}
