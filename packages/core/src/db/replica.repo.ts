import type { Db } from './pool';

/** The primary's current WAL position (`pg_lsn` as text): every transaction committed so far lies before it. */
export async function findCurrentWalLsn(db: Db): Promise<string> {
  const { rows } = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

/**
 * Whether a streaming replica has replayed the WAL up to `lsn`. A server not in recovery (a primary
 * given as the replica) has nothing to replay: always true.
 */
export async function hasReplayedWal(db: Db, lsn: string): Promise<boolean> {
  const { rows } = await db.query<{ done: boolean }>(
    'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, true) AS done',
    [lsn],
  );
  return rows[0]!.done;
}
