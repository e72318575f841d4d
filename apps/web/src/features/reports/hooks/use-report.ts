import { useCallback, useEffect, useState } from 'react';
import { ApiError, isAbortError } from '../../../lib/api-client';
import { fetchReport, fetchReportByRef, type ReportView } from '../api/reports-api';

export type ReportState =
  { status: 'loading' } | { status: 'ready'; report: ReportView } | { status: 'not-found' } | { status: 'error' };

export type ReportLookup = { by: 'id' | 'ref'; value: string };

// Routing and photo processing take a second or two: poll briskly while they run...
const POLL_MS = 1_500;
// ...but a tab left open on a stuck report should not hammer the API forever.
const SLOW_POLL_MS = 15_000;
const BRISK_POLL_FOR_MS = 2 * 60_000;

/** True once nothing on the page is waiting for the worker. */
function isSettled(report: ReportView): boolean {
  return report.team !== null && !report.photos.some((photo) => photo.status === 'pending');
}

/**
 * One public report, re-read while its team or photos are still being worked out.
 * `reload` fetches it again at once, after the resident changed something (a "+1", an answer).
 */
export function useReport({ by, value }: ReportLookup): [ReportState, () => void] {
  const [state, setState] = useState<ReportState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    const startedAt = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let hasReport = false;
    const load = by === 'ref' ? fetchReportByRef : fetchReport;

    const scheduleNext = () => {
      const delay = Date.now() - startedAt < BRISK_POLL_FOR_MS ? POLL_MS : SLOW_POLL_MS;
      timer = setTimeout(() => void poll(), delay);
    };

    const poll = async () => {
      try {
        const report = await load(value, controller.signal);
        hasReport = true;
        setState({ status: 'ready', report });
        if (!isSettled(report)) scheduleNext();
      } catch (error) {
        if (isAbortError(error)) return;
        // A malformed id is refused as invalid input: for a visitor it is just as missing.
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
          setState({ status: 'not-found' });
        } else if (hasReport) {
          // Keep showing what we have; a blip while polling is not worth an error screen.
          scheduleNext();
        } else {
          setState((current) => (current.status === 'ready' ? current : { status: 'error' }));
        }
      }
    };
    void poll();

    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [by, value, generation]);

  return [state, reload];
}
