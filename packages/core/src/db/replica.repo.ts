import type { Db } from './pool';

/** The primary's current WAL position (`pg_lsn` as text): every transaction committed so far lies before it. */
export async function findCurrentWalLsn(db: Db): Promise<string> {
  const { rows } = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

/**
 * Whether a streaming replica has replayed the WAL up to `lsn`. A server not in recovery (a primary
 * given as the replica, or the primary the read pool fell back to) has nothing to replay: always true.
 * `pg_last_wal_replay_lsn()` alone cannot tell: on a primary that went through crash recovery it stays
 * at the last record replayed then, for ever behind the current position.
 */
export async function hasReplayedWal(db: Db, lsn: string): Promise<boolean> {
  const { rows } = await db.query<{ done: boolean }>(
    'SELECT NOT pg_is_in_recovery() OR coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done',
    [lsn],
  );
  return rows[0]!.done;
}
