import type { PhotoKind, PhotoStatus } from '@pave/shared';
import type { Db } from '../db/pool';

export interface NewPhoto {
  id: string;
  reportId: string;
  position: number;
  kind?: PhotoKind;
  originalKey: string;
  mimeType: string;
  byteSize: number;
  width: number;
  height: number;
}

export async function insertPhoto(db: Db, photo: NewPhoto): Promise<void> {
  await db.query(
    `INSERT INTO photos (id, report_id, position, original_key, mime_type, byte_size, width, height, kind)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      photo.id,
      photo.reportId,
      photo.position,
      photo.originalKey,
      photo.mimeType,
      photo.byteSize,
      photo.width,
      photo.height,
      photo.kind ?? 'initial',
    ],
  );
}

export interface PhotoRecord {
  id: string;
  reportId: string;
  status: PhotoStatus;
  originalKey: string;
}

export async function findPhoto(db: Db, id: string): Promise<PhotoRecord | null> {
  const { rows } = await db.query<{ id: string; report_id: string; status: PhotoStatus; original_key: string }>(
    'SELECT id, report_id, status, original_key FROM photos WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, reportId: r.report_id, status: r.status, originalKey: r.original_key } : null;
}

/** Photos of several reports, in display order. */
export async function findPhotosOfReport(
  db: Db,
  reportId: string,
): Promise<{ id: string; status: PhotoStatus; kind: PhotoKind }[]> {
  const { rows } = await db.query<{ id: string; status: PhotoStatus; kind: PhotoKind }>(
    // Initial photos first, then "after", then comments: the order a reader expects.
    `SELECT id, status, kind FROM photos WHERE report_id = $1
      ORDER BY CASE kind WHEN 'initial' THEN 0 WHEN 'after' THEN 1 ELSE 2 END, position`,
    [reportId],
  );
  return rows;
}

export async function markPhotoReady(db: Db, id: string, size: { width: number; height: number }): Promise<void> {
  await db.query(
    `UPDATE photos SET status = 'ready', width = $2, height = $3, processed_at = now(), failure = NULL WHERE id = $1`,
    [id, size.width, size.height],
  );
}

export async function markPhotoFailed(db: Db, id: string, failure: string): Promise<void> {
  await db.query(`UPDATE photos SET status = 'failed', failure = $2, processed_at = now() WHERE id = $1`, [
    id,
    failure.slice(0, 500),
  ]);
}

/** How many photos of a kind a report has (the next one's position). */
export async function countPhotos(db: Db, reportId: string, kind: PhotoKind): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM photos WHERE report_id = $1 AND kind = $2',
    [reportId, kind],
  );
  return rows[0]!.n;
}
