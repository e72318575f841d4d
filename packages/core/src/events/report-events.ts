import type { ReportEvent } from '@pave/shared';
import { findMapDataVersion } from '../tiles/tiles.repo';
import { createListenHub } from '../db/listen-hub';
import { HUB_CATCH_UP_LIMIT, readEventLog, type LoggedEvent } from './event-log.repo';

/** The channel migration 020's triggers notify on every public change of a report, at commit, with its log id. */
export const REPORT_EVENTS_CHANNEL = 'report_events';

export interface ReportEventHub {
  /** Calls `listener` for every public change until the returned function is called. */
  subscribe(listener: (event: LoggedEvent<ReportEvent>) => void): () => void;
  /** Resolves once LISTEN is in place, so nothing written after it is missed. */
  ready(): Promise<void>;
  /**
   * The map's data version as of the last committed change this process heard of, or null while
   * not listening. NOTIFY is delivered at commit, so unlike the sequence it never runs ahead of the data.
   */
  version(): number | null;
  close(): Promise<void>;
}

/**
 * The public changes, from one LISTEN connection per process (listen-hub.ts), with the map's data
 * version kept from the events. PostgreSQL fans the NOTIFY out to every API process, so each one
 * pushes every change.
 */
export function createReportEventHub(options: {
  connectionString: string;
  onError?: (error: Error) => void;
}): ReportEventHub {
  let version: number | null = null;
  const hub = createListenHub<LoggedEvent<ReportEvent>>({
    ...options,
    channel: REPORT_EVENTS_CHANNEL,
    applicationName: 'pave-events',
    log: {
      idOf: (event) => BigInt(event.eventId),
      readAfter: (client, afterId) => readEventLog(client, 'public', afterId, HUB_CATCH_UP_LIMIT),
    },
    parse: (payload) => {
      const { eventId, event } = payload as LoggedEvent<ReportEvent>;
      return typeof eventId === 'string' && event ? { eventId, event: toPublicEvent(event) } : null;
    },
    async onListening(client) {
      version = Math.max(version ?? 0, await findMapDataVersion(client));
    },
    onEvent({ event }) {
      version = Math.max(version ?? 0, event.version);
    },
    onDropped() {
      version = null;
    },
  });
  return {
    subscribe: hub.subscribe,
    ready: hub.ready,
    version: () => (hub.isListening() ? version : null),
    close: hub.close,
  };
}

/** Copies the public fields only, whatever the trigger or the log holds: the stream is public. */
export function toPublicEvent(e: ReportEvent): ReportEvent {
  return {
    type: e.type,
    version: e.version,
    id: e.id,
    status: e.status,
    category: e.category,
    group: e.group,
    lon: e.lon,
    lat: e.lat,
    createdAt: e.createdAt,
  };
}
