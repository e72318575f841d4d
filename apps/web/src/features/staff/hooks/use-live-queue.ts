import { useEffect } from 'react';
import { subscribeToQueueEvents } from '../api/staff-api';

// Several changes often land together (a bulk action, routing right after a report is filed):
// one reload for the burst. Short enough that a new report still shows well within 2 seconds.
const DEBOUNCE_MS = 250;

/**
 * Calls `refresh` when the queue changes on the server (GET /api/staff/events, scoped to the user),
 * when the stream opens, and on `reset`: a reconnection the server could not replay the missed changes to.
 */
export function useLiveQueue(refresh: () => void): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    };
    const unsubscribe = subscribeToQueueEvents({
      onChange: schedule,
      // Also the first time: a change between the first load and LISTEN would otherwise be missed.
      onOpen: schedule,
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [refresh]);
}
