import type { Db } from '../db/pool';

/** One page of a keyset scan: ids in `(at, id)` order, and where the next page starts. */
export interface SweepPage {
  ids: string[];
  next: { at: Date; id: string } | null;
}

/**
 * Reports without a team whose last change is older than `olderThanMs`: new ones the route job
 * has not reached yet are left to it. Keyset-paged so reports whose job failed never hide newer ones.
 */
export async function findUnroutedReportIds(
  db: Db,
  olderThanMs: number,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<SweepPage> {
  const { rows } = await db.query<{ id: string; at: Date }>(
    `SELECT id, updated_at AS at FROM reports
      WHERE team_id IS NULL AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
        AND ($2::timestamptz IS NULL OR (updated_at, id) > ($2, $3::uuid))
      ORDER BY updated_at, id LIMIT $4`,
    [olderThanMs, after?.at ?? null, after?.id ?? null, limit],
  );
  return pageOf(rows, limit);
}

/** Photos still pending `olderThanMs` after their upload, keyset-paged like reports. */
export async function findPendingPhotoIds(
  db: Db,
  olderThanMs: number,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<SweepPage> {
  const { rows } = await db.query<{ id: string; at: Date }>(
    `SELECT id, created_at AS at FROM photos
      WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::float8 / 1000)
        AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
      ORDER BY created_at, id LIMIT $4`,
    [olderThanMs, after?.at ?? null, after?.id ?? null, limit],
  );
  return pageOf(rows, limit);
}

function pageOf(rows: { id: string; at: Date }[], limit: number): SweepPage {
  const last = rows.at(-1);
  return { ids: rows.map((r) => r.id), next: rows.length === limit && last ? { at: last.at, id: last.id } : null };
}

/**
 * Marks the outbox rows whose jobs an emptied Redis may have held as unsent, so the relay sends them
 * again under the same job ids: every delayed row still due or due within `lookbackMs` (deadline
 * checks), and every row sent within `lookbackMs`. Handlers are idempotent, so a job that had already
 * run does nothing the second time. Returns how many rows were reset.
 */
export async function resetOutboxAfterRedisLoss(db: Db, lookbackMs: number): Promise<number> {
  // No index on sent_at: this runs only when Redis has lost its data, a rare event.
  const { rowCount } = await db.query(
    `UPDATE outbox SET sent_at = NULL, last_error = 'requeued: Redis lost its jobs'
      WHERE sent_at IS NOT NULL
        AND (sent_at > now() - make_interval(secs => $1::float8 / 1000)
             OR run_at > now() - make_interval(secs => $1::float8 / 1000))`,
    [lookbackMs],
  );
  return rowCount ?? 0;
}

/** What staff need to recognise a job: the report behind it (directly, or through a photo or history entry). */
export interface JobSubject {
  reportId: string;
  ref: string;
}

/** Resolves the report of each job payload id in one query; unknown ids are absent from the map. */
export async function findJobSubjects(
  db: Db,
  ids: { reportIds: string[]; photoIds: string[]; historyIds: string[] },
): Promise<{
  byReport: Map<string, JobSubject>;
  byPhoto: Map<string, JobSubject>;
  byHistory: Map<string, JobSubject>;
}> {
  const { rows } = await db.query<{
    kind: 'report' | 'photo' | 'history';
    key: string;
    report_id: string;
    ref: string;
  }>(
    `SELECT 'report' AS kind, r.id::text AS key, r.id AS report_id, r.ref FROM reports r WHERE r.id = ANY($1::uuid[])
     UNION ALL
     SELECT 'photo', p.id::text, r.id, r.ref FROM photos p JOIN reports r ON r.id = p.report_id WHERE p.id = ANY($2::uuid[])
     UNION ALL
     SELECT 'history', h.id::text, r.id, r.ref FROM report_history h JOIN reports r ON r.id = h.report_id
      WHERE h.id = ANY($3::bigint[])`,
    [ids.reportIds, ids.photoIds, ids.historyIds],
  );
  const maps = { byReport: new Map(), byPhoto: new Map(), byHistory: new Map() } as const;
  for (const r of rows) {
    const map = r.kind === 'report' ? maps.byReport : r.kind === 'photo' ? maps.byPhoto : maps.byHistory;
    map.set(r.key, { reportId: r.report_id, ref: r.ref });
  }
  return maps;
}
