import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

const PARAM = 'report';
// Kept in the history entries this hook writes: where the list was scrolled, and "this entry is an
// opened report pushed over the list" (so the back control can go back rather than forward).
const LIST_SCROLL = 'staffListScroll';
const OPENED = 'staffOpenedReport';

function readOpenId(): string | null {
  return new URLSearchParams(window.location.search).get(PARAM) || null;
}

function urlWith(id: string | null): string {
  const params = new URLSearchParams(window.location.search);
  if (id === null) params.delete(PARAM);
  else params.set(PARAM, id);
  const search = params.toString();
  return `${window.location.pathname}${search ? `?${search}` : ''}${window.location.hash}`;
}

function historyState(): Record<string, unknown> {
  const state: unknown = window.history.state;
  return state && typeof state === 'object' ? (state as Record<string, unknown>) : {};
}

/**
 * Which report of the queue is open. On a phone (`isScreen`) an opened report is a screen of its own:
 * it is pushed into the URL (`?report=<id>`), so the browser's Back, like `close`, returns to the
 * list, scrolled where it was, with the focus on the report's line. On a wide screen it opens beside
 * the list and the URL is left alone. `forget` drops an opened report that is not in the list.
 */
export function useOpenReport(isScreen: boolean) {
  const [openId, setOpenId] = useState<string | null>(readOpenId);
  // Set on the way back to the list: where to scroll once it is drawn again, and which line to focus.
  const returning = useRef<{ scroll: number; id: string | null } | null>(null);
  const openIdRef = useRef(openId);
  openIdRef.current = openId;

  useEffect(() => {
    // The list's place is put back here once it is drawn again; the browser's own restoration would
    // scroll the short detail screen before the list is back.
    const before = window.history.scrollRestoration;
    window.history.scrollRestoration = 'manual';
    const onPop = () => {
      const id = readOpenId();
      if (id === null) {
        const scroll = historyState()[LIST_SCROLL];
        returning.current = { scroll: typeof scroll === 'number' ? scroll : 0, id: openIdRef.current };
      } else {
        window.scrollTo(0, 0);
      }
      setOpenId(id);
    };
    window.addEventListener('popstate', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.history.scrollRestoration = before;
    };
  }, []);

  useLayoutEffect(() => {
    const back = returning.current;
    if (openId !== null || !back) return;
    returning.current = null;
    window.scrollTo(0, back.scroll);
    if (back.id) {
      document.querySelector<HTMLElement>(`[data-report-id="${CSS.escape(back.id)}"]`)?.focus({ preventScroll: true });
    }
  }, [openId]);

  const open = useCallback(
    (id: string) => {
      if (!isScreen) {
        setOpenId(id);
        return;
      }
      const state = historyState();
      if (state[OPENED]) {
        // Already on a report's screen: this one takes its place, Back still goes to the list.
        window.history.replaceState(state, '', urlWith(id));
      } else {
        window.history.replaceState({ ...state, [LIST_SCROLL]: window.scrollY }, '');
        window.history.pushState({ [OPENED]: true }, '', urlWith(id));
      }
      setOpenId(id);
      window.scrollTo(0, 0);
    },
    [isScreen],
  );

  const forget = useCallback(() => {
    if (readOpenId() !== null) window.history.replaceState(historyState(), '', urlWith(null));
    setOpenId(null);
  }, []);

  const close = useCallback(() => {
    if (isScreen && historyState()[OPENED]) {
      // The same as the browser's Back: the list's entry is the one before.
      window.history.back();
      return;
    }
    if (isScreen) returning.current = { scroll: 0, id: openIdRef.current };
    forget();
  }, [isScreen, forget]);

  return { openId, open, close, forget };
}
