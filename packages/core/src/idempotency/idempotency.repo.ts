import type { Db } from '../db/pool';

export interface StoredResponse {
  requestHash: string;
  response: Record<string, unknown>;
}

export async function findIdempotentResponse(db: Db, key: string): Promise<StoredResponse | null> {
  const { rows } = await db.query<{ request_hash: string; response: Record<string, unknown> }>(
    'SELECT request_hash, response FROM idempotency_keys WHERE key = $1',
    [key],
  );
  const r = rows[0];
  return r ? { requestHash: r.request_hash, response: r.response } : null;
}

/** Records the answer to a key; a concurrent duplicate fails on the primary key (23505). */
export async function insertIdempotentResponse(
  db: Db,
  entry: { key: string; requestHash: string; reportId: string; response: Record<string, unknown> },
): Promise<void> {
  await db.query('INSERT INTO idempotency_keys (key, request_hash, report_id, response) VALUES ($1, $2, $3, $4)', [
    entry.key,
    entry.requestHash,
    entry.reportId,
    JSON.stringify(entry.response),
  ]);
}
