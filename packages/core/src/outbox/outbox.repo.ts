import { jobIdFor, type JobName, type JobPayload } from '@pave/shared';
import type { Db, PoolClient } from '../db/pool';

/** Records a job to enqueue; call it inside the transaction of the change it announces. */
export async function insertOutboxJob<N extends JobName>(
  db: Db,
  name: N,
  payload: JobPayload<N>,
  options: { runAt?: Date } = {},
): Promise<void> {
  await db.query('INSERT INTO outbox (job_name, job_id, payload, run_at) VALUES ($1, $2, $3, $4)', [
    name,
    jobIdFor(name, payload),
    JSON.stringify(payload),
    options.runAt ?? null,
  ]);
}

export interface OutboxRow {
  id: string;
  jobName: JobName;
  jobId: string;
  payload: Record<string, unknown>;
  runAt: Date | null;
}

/** Locks a batch of unsent rows; concurrent relays skip each other's rows. */
export async function lockPendingOutbox(client: PoolClient, batchSize: number): Promise<OutboxRow[]> {
  const { rows } = await client.query<{
    id: string;
    job_name: JobName;
    job_id: string;
    payload: Record<string, unknown>;
    run_at: Date | null;
  }>(
    `SELECT id, job_name, job_id, payload, run_at FROM outbox
      WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [batchSize],
  );
  return rows.map((r) => ({ id: r.id, jobName: r.job_name, jobId: r.job_id, payload: r.payload, runAt: r.run_at }));
}

export async function markOutboxSent(client: PoolClient, ids: string[]): Promise<void> {
  await client.query(
    'UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)',
    [ids],
  );
}

export async function markOutboxFailed(db: Db, ids: string[], error: string): Promise<void> {
  await db.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)', [
    ids,
    error.slice(0, 1000),
  ]);
}

/** Outbox rows not yet handed to the queue, and how old the oldest is (seconds; 0 when none). */
export async function findOutboxBacklog(db: Db): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { rows } = await db.query<{ pending: number; oldest_age_s: number }>(
    `SELECT count(*)::int AS pending,
            coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest_age_s
       FROM outbox WHERE sent_at IS NULL`,
  );
  return { pending: rows[0]!.pending, oldestAgeSeconds: rows[0]!.oldest_age_s };
}
