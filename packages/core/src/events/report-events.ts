import { EventEmitter } from 'node:events';
import type { ReportEvent } from '@pave/shared';
import pg from 'pg';

/** The channel migration 003's triggers notify on every public change of a report. */
export const REPORT_EVENTS_CHANNEL = 'report_events';

// A lost LISTEN connection is retried at this pace; missed events are caught up by the clients,
// which reload their tiles when the stream reconnects.
const RECONNECT_MS = 1_000;

export interface ReportEventHub {
  /** Calls `listener` for every public change until the returned function is called. */
  subscribe(listener: (event: ReportEvent) => void): () => void;
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
 * One LISTEN connection per process, shared by every open event stream. It is opened on the first
 * subscriber, not at start-up, so an API that nobody watches holds no extra connection.
 * PostgreSQL fans the NOTIFY out to every API process, so each one pushes every change.
 */
export function createReportEventHub(options: {
  connectionString: string;
  onError?: (error: Error) => void;
}): ReportEventHub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let isClosed = false;
  let version: number | null = null;

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: options.connectionString, application_name: 'pave-events' });
      next.on('notification', (message) => {
        if (message.channel !== REPORT_EVENTS_CHANNEL || !message.payload) return;
        try {
          const event = toPublicEvent(JSON.parse(message.payload) as ReportEvent);
          if (client === next) version = Math.max(version ?? 0, event.version);
          emitter.emit('event', event);
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
        await next.query(`LISTEN ${REPORT_EVENTS_CHANNEL}`);
        const { rows } = await next.query<{ v: string }>(
          'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS v FROM map_data_version_seq',
        );
        client = next;
        version = Math.max(version ?? 0, Number(rows[0]!.v));
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
    version = null;
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
    version: () => (client ? version : null),
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

/** Copies the public fields only, whatever the trigger sends: the stream is public. */
function toPublicEvent(e: ReportEvent): ReportEvent {
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
