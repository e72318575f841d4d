import { useEffect, useState } from 'react';
import type { CategorySuggestion } from '@pave/shared';
import { isAbortError } from '../../../lib/api-client';
import { fetchCategorySuggestions } from '../api/categories-api';

// Long enough not to ask at every keystroke, short enough to feel immediate after a pause.
const DEBOUNCE_MS = 300;

export interface SuggestionsState {
  /** `idle`: nothing to ask with yet; `loading`: asking; `ready`: answered (possibly with none, or failed). */
  status: 'idle' | 'loading' | 'ready';
  suggestions: CategorySuggestion[];
}

/**
 * Suggested categories for the point and the words so far: none while nothing is known, or when
 * the server cannot be asked (offline): the full picker is then the way.
 */
export function useCategorySuggestions(point: [number, number] | null, text: string): SuggestionsState {
  const [state, setState] = useState<SuggestionsState>({ status: 'idle', suggestions: [] });
  const lon = point?.[0];
  const lat = point?.[1];
  const words = text.trim();

  useEffect(() => {
    if ((lon === undefined || lat === undefined) && words === '') {
      setState({ status: 'idle', suggestions: [] });
      return;
    }
    const controller = new AbortController();
    setState((current) => ({ ...current, status: 'loading' }));
    const timer = window.setTimeout(() => {
      const at: [number, number] | null = lon === undefined || lat === undefined ? null : [lon, lat];
      fetchCategorySuggestions({ text: words, point: at }, controller.signal).then(
        (answer) => setState({ status: 'ready', suggestions: answer.suggestions }),
        (error: unknown) => {
          if (!isAbortError(error)) setState({ status: 'ready', suggestions: [] });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [lon, lat, words]);

  return state;
}
