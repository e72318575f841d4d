import { EventEmitter } from 'node:events';
import pg from 'pg';

// A lost LISTEN connection is retried at this pace; clients catch up when their stream reconnects.
const RECONNECT_MS = 1_000;

export interface ListenHub<T> {
  /** Calls `listener` for every event until the returned function is called. */
  subscribe(listener: (event: T) => void): () => void;
  /** Resolves once LISTEN is in place, so nothing written after it is missed. */
  ready(): Promise<void>;
  /** Whether the LISTEN connection is up right now. */
  isListening(): boolean;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per process on one channel, shared by every subscriber. It is opened on the
 * first subscriber, not at start-up, so a process nobody watches holds no extra connection, and it
 * reconnects while anyone still listens. `parse` keeps the known fields of a payload (null drops it).
 */
export function createListenHub<T>(options: {
  connectionString: string;
  channel: string;
  applicationName: string;
  parse: (payload: unknown) => T | null;
  /** After LISTEN, before events count as current: read state the events will then keep up to date. */
  onListening?: (client: pg.Client) => Promise<void>;
  /** Each event heard on the current connection, before subscribers get it. */
  onEvent?: (event: T) => void;
  onDropped?: () => void;
  onError?: (error: Error) => void;
}): ListenHub<T> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let isClosed = false;

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({
        connectionString: options.connectionString,
        application_name: options.applicationName,
      });
      next.on('notification', (message) => {
        if (message.channel !== options.channel || !message.payload) return;
        try {
          const event = options.parse(JSON.parse(message.payload));
          if (event === null) return;
          if (client === next) options.onEvent?.(event);
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
        await next.query(`LISTEN ${options.channel}`);
        await options.onListening?.(next);
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
    options.onDropped?.();
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
    isListening: () => client !== null,
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
