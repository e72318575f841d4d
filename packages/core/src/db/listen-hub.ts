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
  /**
   * For events kept in a log (migration 020): an event's id, and how to read the log's newest id and
   * the payloads logged after an id (`events` null: no longer known). After a lost connection the
   * hub hands out what it missed before the live events, so its subscribers see no gap.
   */
  log?: {
    idOf: (event: T) => bigint;
    readAfter: (client: pg.Client, afterId: bigint | null) => Promise<{ newestId: bigint; events: unknown[] | null }>;
  };
  onDropped?: () => void;
  onError?: (error: Error) => void;
}): ListenHub<T> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let isClosed = false;
  // The newest logged event handed out, on any connection: where a new connection catches up from.
  let lastId: bigint | null = null;

  const deliver = (event: T) => {
    if (options.log) {
      const id = options.log.idOf(event);
      if (lastId !== null && id <= lastId) return;
      lastId = id;
    }
    options.onEvent?.(event);
    emitter.emit('event', event);
  };
  const parse = (payload: unknown): T | null => {
    try {
      return options.parse(payload);
    } catch (error) {
      options.onError?.(error as Error);
      return null;
    }
  };

  const connect = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({
        connectionString: options.connectionString,
        application_name: options.applicationName,
      });
      // Held until the state and the missed events are read, then handed out after them, in order.
      let held: T[] | null = [];
      next.on('notification', (message) => {
        if (message.channel !== options.channel || !message.payload) return;
        let event: T | null;
        try {
          event = parse(JSON.parse(message.payload));
        } catch (error) {
          options.onError?.(error as Error);
          return;
        }
        if (event === null) return;
        if (held) held.push(event);
        else if (client === next) deliver(event);
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
        if (options.log) {
          const since = lastId;
          const log = await options.log.readAfter(next, since);
          // The first connection starts at the newest event: subscribers read older ones themselves.
          if (since === null) lastId = log.newestId;
          else if (log.events === null)
            options.onError?.(new Error(`${options.channel}: missed events no longer logged`));
          for (const payload of log.events ?? []) {
            const event = parse(payload);
            if (event !== null) deliver(event);
          }
        }
        for (const event of held) deliver(event);
        held = null;
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
