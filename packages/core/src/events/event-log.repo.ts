import type { Db } from '../db/pool';

/** The streams of migration 020's `event_log`. */
export type EventStreamName = 'public' | 'staff';

/** An event as logged and NOTIFYed: its log id (a bigint, as text) and its payload. */
export interface LoggedEvent<T> {
  eventId: string;
  event: T;
}

export interface EventLogRead {
  /** The newest event id of any stream (the id a fresh client starts from). */
  newestId: bigint;
  /** Events of the stream after the id asked for, oldest first; null when they cannot all be given. */
  events: LoggedEvent<unknown>[] | null;
}

/**
 * The stream's events after `afterId` (none asked: null), read in one snapshot with the pruning
 * horizon: `events` is null when `afterId` is older than what the log still holds, newer than its
 * newest event (another database, a restore), or followed by more than `limit` events.
 */
export async function readEventLog(
  db: Db,
  stream: EventStreamName,
  afterId: bigint | null,
  limit: number,
): Promise<EventLogRead> {
  const { rows } = await db.query<{ pruned: string; newest: string; events: { id: string; payload: unknown }[] }>(
    `SELECT h.pruned_through::text AS pruned,
            GREATEST(h.pruned_through, (SELECT max(id) FROM event_log))::text AS newest,
            COALESCE((SELECT json_agg(json_build_object('id', e.id::text, 'payload', e.payload) ORDER BY e.id)
                        FROM (SELECT id, payload FROM event_log
                               WHERE stream = $1 AND $2::bigint IS NOT NULL AND id > $2::bigint
                               ORDER BY id LIMIT $3) e), '[]') AS events
       FROM event_log_horizon h`,
    [stream, afterId?.toString() ?? null, limit + 1],
  );
  const row = rows[0]!;
  const newestId = BigInt(row.newest);
  const isCovered = afterId !== null && afterId >= BigInt(row.pruned) && afterId <= newestId;
  const events =
    isCovered && row.events.length <= limit ? row.events.map((e) => ({ eventId: e.id, event: e.payload })) : null;
  return { newestId, events };
}

/**
 * Deletes the events older than `keepSeconds`, oldest first, and moves the horizon past them.
 * Returns how many. Running it twice, or on two workers at once, deletes nothing more.
 */
export async function pruneEventLog(db: Db, keepSeconds: number): Promise<number> {
  const { rows } = await db.query<{ deleted: string }>(
    `WITH cut AS (
       SELECT max(id) AS id FROM event_log WHERE created_at < now() - make_interval(secs => $1)
     ), gone AS (
       DELETE FROM event_log WHERE id <= (SELECT id FROM cut) RETURNING id
     ), horizon AS (
       UPDATE event_log_horizon SET pruned_through = GREATEST(pruned_through, (SELECT id FROM cut))
        WHERE (SELECT id FROM cut) IS NOT NULL
     )
     SELECT count(*)::text AS deleted FROM gone`,
    [keepSeconds],
  );
  return Number(rows[0]!.deleted);
}

/** A LISTEN hub back after more missed events than this logs the gap instead (its clients get `reset` when they reconnect later). */
export const HUB_CATCH_UP_LIMIT = 10_000;
