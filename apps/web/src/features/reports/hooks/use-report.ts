import { useEffect, useState } from 'react';
import type { PublicReport } from '@pave/shared';
import { ApiError, isAbortError } from '../../../lib/api-client';
import { fetchReport } from '../api/reports-api';

export type ReportState =
  { status: 'loading' } | { status: 'ready'; report: PublicReport } | { status: 'not-found' } | { status: 'error' };

// Routing and photo processing take a second or two: poll briskly while they run...
const POLL_MS = 1_500;
// ...but a tab left open on a stuck report should not hammer the API forever.
const SLOW_POLL_MS = 15_000;
const BRISK_POLL_FOR_MS = 2 * 60_000;

/** True once nothing on the page is waiting for the worker. */
function isSettled(report: PublicReport): boolean {
  return report.team !== null && !report.photos.some((photo) => photo.status === 'pending');
}

/** One public report, re-read while its team or photos are still being worked out. */
export function useReport(id: string): ReportState {
  const [state, setState] = useState<ReportState>({ status: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    const startedAt = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let hasReport = false;
    setState({ status: 'loading' });

    const scheduleNext = () => {
      const delay = Date.now() - startedAt < BRISK_POLL_FOR_MS ? POLL_MS : SLOW_POLL_MS;
      timer = setTimeout(() => void poll(), delay);
    };

    const poll = async () => {
      try {
        const report = await fetchReport(id, controller.signal);
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
          setState({ status: 'error' });
        }
      }
    };
    void poll();

    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id]);

  return state;
}
