import { REPORT_STATUSES, type QueueEvent, type ReportStatus } from '@pave/shared';
import { createListenHub } from '../db/listen-hub';
import type { TownScope } from '../db/town-scope';
import { HUB_CATCH_UP_LIMIT, readEventLog, type LoggedEvent } from './event-log.repo';

/** The channel migration 020's triggers notify (at commit, with the log id) on every change that moves a report in a queue. */
export const STAFF_EVENTS_CHANNEL = 'staff_events';

/** A queue change: ids and status only, never a resident's data; the team ids stay server-side. */
export interface StaffEvent extends QueueEvent {
  teamId: number | null;
  /** The team before an update (a report re-routed away leaves that team's queue). */
  previousTeamId: number | null;
  /** The report's town (INSEE code), and the one it left when its pin crossed a boundary. */
  town: string | null;
  previousTown: string | null;
  status: ReportStatus;
}

export interface StaffEventHub {
  /** Calls `listener` for every queue change until the returned function is called. */
  subscribe(listener: (event: LoggedEvent<StaffEvent>) => void): () => void;
  /** Resolves once LISTEN is in place, so nothing written after it is missed. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const toId = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);

/** Keeps the known fields only, whatever the trigger or the log holds. */
export function toStaffEvent(raw: Record<string, unknown>): StaffEvent | null {
  if (typeof raw.id !== 'string' || !(REPORT_STATUSES as readonly unknown[]).includes(raw.status)) return null;
  return {
    type: raw.type === 'created' ? 'created' : 'changed',
    id: raw.id,
    teamId: toId(raw.teamId),
    previousTeamId: toId(raw.previousTeamId),
    town: typeof raw.town === 'string' ? raw.town : null,
    previousTown: typeof raw.previousTown === 'string' ? raw.previousTown : null,
    status: raw.status as ReportStatus,
  };
}

/**
 * Whether a staff user whose scope covers `teamIds` (null: every team) in `towns` (a town's code, or
 * '*' for a metropolitan account) should hear of `event`. Events come from NOTIFY, which row-level
 * security does not filter: the town is checked here.
 */
export function isStaffEventInScope(
  event: StaffEvent,
  teamIds: ReadonlySet<number> | null,
  towns: TownScope = '*',
): boolean {
  if (towns !== '*' && event.town !== towns && event.previousTown !== towns) return false;
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
  const hub = createListenHub<LoggedEvent<StaffEvent>>({
    ...options,
    channel: STAFF_EVENTS_CHANNEL,
    applicationName: 'pave-staff-events',
    log: {
      idOf: (event) => BigInt(event.eventId),
      readAfter: (client, afterId) => readEventLog(client, 'staff', afterId, HUB_CATCH_UP_LIMIT),
    },
    parse: (payload) => {
      const { eventId, event } = payload as LoggedEvent<Record<string, unknown>>;
      const staffEvent = typeof eventId === 'string' && event ? toStaffEvent(event) : null;
      return staffEvent && { eventId, event: staffEvent };
    },
  });
  return { subscribe: hub.subscribe, ready: hub.ready, close: hub.close };
}
