import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-client';
import { createReport, type CreatedReportWithTracking } from '../api/reports-api';
import { rememberMyReport } from '../lib/my-reports';
import { deleteDraft, findPendingDraft, saveDraft, type ReportDraft } from '../lib/report-drafts';

export type SendState =
  | { status: 'idle' }
  | { status: 'sending'; draft: ReportDraft; isResumed: boolean }
  /** Not an error: the report is safe on the phone and goes as soon as the server answers. */
  | { status: 'waiting'; draft: ReportDraft; reason: 'network' | 'server'; isResumed: boolean }
  | { status: 'refused'; error: unknown }
  | { status: 'created'; report: CreatedReportWithTracking };

// A phone coming out of a tunnel is back within seconds; one left in a cellar needs no hammering.
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60_000;

/** Worth trying again with the same key: no answer, or the server said "not now". */
function isRetryable(error: unknown): 'network' | 'server' | null {
  if (!(error instanceof ApiError)) return 'network';
  if (error.code === 'NETWORK') return 'network';
  if (error.status >= 500 || error.status === 429 || error.status === 408) return 'server';
  return null;
}

/**
 * Sends reports so that none is lost and none is filed twice: the draft (with its photos) is kept
 * in IndexedDB under its Idempotency-Key until the server acknowledges it, retried on `online`
 * and with a backoff while the page is open, and resumed the next time the form opens.
 */
export function useReportSender(): {
  state: SendState;
  submit: (fields: Omit<ReportDraft, 'id' | 'savedAt'>) => void;
  retryNow: () => void;
  discard: () => void;
  reset: () => void;
} {
  const [state, setState] = useState<SendState>({ status: 'idle' });
  const draftRef = useRef<ReportDraft | null>(null);
  const isResumedRef = useRef(false);
  const inFlight = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const failures = useRef(0);
  const isMounted = useRef(true);

  const attempt = useCallback(async () => {
    const draft = draftRef.current;
    if (!draft || inFlight.current) return;
    inFlight.current = true;
    clearTimeout(timer.current);
    setState({ status: 'sending', draft, isResumed: isResumedRef.current });
    try {
      const { id: key, category, location, description, email, severity, photos, language } = draft;
      const report = await createReport({ category, location, description, email, severity, photos, language }, key);
      draftRef.current = null;
      await deleteDraft(key);
      if (report.trackingUrl) rememberMyReport({ ref: report.ref, trackingUrl: report.trackingUrl });
      if (isMounted.current) setState({ status: 'created', report });
    } catch (error) {
      const reason = isRetryable(error);
      if (!reason) {
        // The server read it and said no: retrying the same thing would get the same answer.
        draftRef.current = null;
        await deleteDraft(draft.id);
        if (isMounted.current) setState({ status: 'refused', error });
      } else if (isMounted.current) {
        setState({ status: 'waiting', draft, reason, isResumed: isResumedRef.current });
        const delay = Math.min(FIRST_RETRY_MS * 2 ** failures.current, MAX_RETRY_MS);
        failures.current += 1;
        timer.current = setTimeout(() => void attempt(), delay);
      }
    } finally {
      inFlight.current = false;
    }
  }, []);

  useEffect(() => {
    isMounted.current = true;
    const onOnline = () => {
      failures.current = 0;
      void attempt();
    };
    window.addEventListener('online', onOnline);
    // A report left waiting when the app was closed goes first, with its original key.
    void findPendingDraft().then((draft) => {
      if (!draft || draftRef.current || !isMounted.current) return;
      draftRef.current = draft;
      isResumedRef.current = true;
      void attempt();
    });
    return () => {
      isMounted.current = false;
      window.removeEventListener('online', onOnline);
      clearTimeout(timer.current);
    };
  }, [attempt]);

  const submit = useCallback(
    (fields: Omit<ReportDraft, 'id' | 'savedAt'>) => {
      if (draftRef.current) return;
      const draft: ReportDraft = { ...fields, id: crypto.randomUUID(), savedAt: new Date().toISOString() };
      draftRef.current = draft;
      isResumedRef.current = false;
      failures.current = 0;
      setState({ status: 'sending', draft, isResumed: false });
      // Saved first so that closing the tab mid-upload loses nothing; without IndexedDB
      // (some private modes) the report still goes, it just cannot outlive the page.
      void saveDraft(draft)
        .catch(() => undefined)
        .then(() => attempt());
    },
    [attempt],
  );

  const retryNow = useCallback(() => {
    failures.current = 0;
    void attempt();
  }, [attempt]);

  const discard = useCallback(() => {
    const draft = draftRef.current;
    draftRef.current = null;
    clearTimeout(timer.current);
    if (draft) void deleteDraft(draft.id);
    setState({ status: 'idle' });
  }, []);

  const reset = useCallback(() => setState({ status: 'idle' }), []);

  return { state, submit, retryNow, discard, reset };
}
