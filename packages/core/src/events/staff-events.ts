import { EventEmitter } from 'node:events';
import { REPORT_STATUSES, type ReportStatus } from '@pave/shared';
import pg from 'pg';

/** The channel migration 007's triggers notify on every change that moves a report in a queue. */
export const STAFF_EVENTS_CHANNEL = 'staff_events';

// A lost LISTEN connection is retried at this pace; the web queue reloads when its stream reconnects.
const RECONNECT_MS = 1_000;

/** A queue change: ids and status only, never a resident's data. */
export interface StaffEvent {
  type: 'created' | 'changed';
  id: string;
  teamId: number | null;
  /** The team before an update (a report re-routed away leaves that team's queue). */
  previousTeamId: number | null;
  status: ReportStatus;
}

export interface StaffEventHub {
  /** Calls `listener` for every queue change until the returned function is called. */
  subscribe(listener: (event: StaffEvent) => void): () => void;
  /** Resolves once LISTEN is in place, so nothing written after it is missed. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const toId = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);

/** Keeps the known fields only, whatever the trigger sends. */
function toStaffEvent(raw: Record<string, unknown>): StaffEvent | null {
  if (typeof raw.id !== 'string' || !(REPORT_STATUSES as readonly unknown[]).includes(raw.status)) return null;
  return {
    type: raw.type === 'created' ? 'created' : 'changed',
    id: raw.id,
    teamId: toId(raw.teamId),
    previousTeamId: toId(raw.previousTeamId),
    status: raw.status as ReportStatus,
  };
}

/** Whether a staff user whose scope covers `teamIds` (null: every team) should hear of `event`. */
export function isStaffEventInScope(event: StaffEvent, teamIds: ReadonlySet<number> | null): boolean {
  if (teamIds === null) return true;
  return (
    (event.teamId !== null && teamIds.has(event.teamId)) ||
    (event.previousTeamId !== null && teamIds.has(event.previousTeamId))
  );
}

/**
 * One LISTEN connection per process, shared by every open staff stream, opened on the first
 * subscriber (like the public hub in report-events.ts). Each stream filters by its user's scope.
 */
export function createStaffEventHub(options: {
  connectionString: string;
  onError?: (error: Error) => void;
}): StaffEventHub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let isClosed = false;

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: options.connectionString, application_name: 'pave-staff-events' });
      next.on('notification', (message) => {
        if (message.channel !== STAFF_EVENTS_CHANNEL || !message.payload) return;
        try {
          const event = toStaffEvent(JSON.parse(message.payload) as Record<string, unknown>);
          if (event) emitter.emit('event', event);
        } catch (error) {
          options.onError?.(error as Error);
        }
      });
      next.on('error', (error) => {
        options.onError?.(error);
        drop(next);
      });
      next.on('end', () => drop(next));
      try {
        await next.connect();
        await next.query(`LISTEN ${STAFF_EVENTS_CHANNEL}`);
        client = next;
      } catch (error) {
        connecting = null;
        await next.end().catch(() => {});
        throw error;
      }
    })();
    return connecting;
  };

  const scheduleReconnect = () => {
    if (isClosed || emitter.listenerCount('event') === 0) return;
    clearTimeout(retry);
    retry = setTimeout(() => {
      connect().catch((error: Error) => {
        options.onError?.(error);
        scheduleReconnect();
      });
    }, RECONNECT_MS);
  };

  const drop = (lost: pg.Client) => {
    if (client !== lost) return;
    client = null;
    connecting = null;
    scheduleReconnect();
  };

  return {
    subscribe(listener) {
      emitter.on('event', listener);
      connect().catch((error: Error) => options.onError?.(error));
      return () => {
        emitter.off('event', listener);
      };
    },
    ready: () => connect(),
    async close() {
      isClosed = true;
      clearTimeout(retry);
      emitter.removeAllListeners();
      await connecting?.catch(() => {});
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}
