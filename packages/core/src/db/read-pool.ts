import type { Logger } from '../logger';
import { createPool, type Pool, type PoolClient, type PoolOptions } from './pool';

/** Why a read meant for the replica went to the primary. */
export type ReplicaFallbackReason = 'down' | 'lagging';

/** What the replica's pool knows of the replica, for the metrics and the map's lag check. */
export interface ReplicaHealth {
  /** False while reads go to the primary (for `retryAfterMs` after the replica failed or lagged). */
  isUp(): boolean;
  /** The map found the replica too far behind: reads go to the primary for a while. */
  markLagging(): void;
  /** Counts one read sent to the primary instead of the replica. */
  noteFallback(reason: ReplicaFallbackReason): void;
  /** Called on every fallback (the metrics' counter). */
  onFallback(listener: (reason: ReplicaFallbackReason) => void): void;
}

export interface ReadPoolOptions extends PoolOptions {
  /** Where reads go while the replica is down or lagging. */
  primary: Pool;
  /**
   * How long reads stay on the primary after the replica failed to connect or lagged, before it is
   * tried again. Without the pause, a replica that swallows packets (no refusal) would cost every
   * read the pool's 5 s connection timeout.
   */
  retryAfterMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

const DEFAULT_RETRY_AFTER_MS = 5_000;

/**
 * The pool of the read replica (DATABASE_REPLICA_URL), falling back to the primary: a connection the
 * replica cannot give (down, refusing, full) is taken from the primary instead, for this read and the
 * next `retryAfterMs`, so the public map and analytics keep answering, slower but current. The pool is
 * a real `pg.Pool` (its `connect`, which `query` uses too, is the one changed), so repositories,
 * cursors and `acquire` events work as on any pool; a client from the primary is released to the
 * primary. A connection that breaks mid-query still fails that query (503): only connecting falls back.
 */
export function createReadPool(options: ReadPoolOptions): { pool: Pool; health: ReplicaHealth } {
  const { primary, logger } = options;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const pool = createPool(options);
  const connectToReplica = pool.connect.bind(pool) as () => Promise<PoolClient>;
  const listeners: ((reason: ReplicaFallbackReason) => void)[] = [];
  let pausedUntil = 0;
  let pauseReason: ReplicaFallbackReason = 'down';
  let hasFailed = false;

  const pause = (reason: ReplicaFallbackReason, error?: unknown) => {
    if (Date.now() >= pausedUntil) {
      logger?.warn({ err: error, reason, retryAfterMs }, 'read replica unusable: public reads go to the primary');
    }
    pausedUntil = Date.now() + retryAfterMs;
    pauseReason = reason;
    hasFailed = true;
  };
  const health: ReplicaHealth = {
    isUp: () => Date.now() >= pausedUntil,
    markLagging: () => pause('lagging'),
    noteFallback(reason) {
      for (const listener of listeners) listener(reason);
    },
    onFallback(listener) {
      listeners.push(listener);
    },
  };
  const connect = async (): Promise<PoolClient> => {
    if (!health.isUp()) {
      health.noteFallback(pauseReason);
      return primary.connect();
    }
    try {
      const client = await connectToReplica();
      if (hasFailed) {
        hasFailed = false;
        logger?.info('read replica usable again: public reads go to it');
      }
      return client;
    } catch (error) {
      // Our own pool closing is not the replica failing.
      if (pool.ending) throw error;
      pause('down', error);
      health.noteFallback('down');
      return primary.connect();
    }
  };
  // Both forms pg-pool has: the promise one (ours, cursors) and the callback one its own `query` uses.
  pool.connect = ((callback?: (error: Error | undefined, client?: PoolClient, done?: () => void) => void) => {
    if (!callback) return connect();
    connect().then(
      (client) => callback(undefined, client, () => client.release()),
      (error: Error) => callback(error),
    );
    return undefined;
  }) as Pool['connect'];
  return { pool, health };
}
