import type { BlurBox, PhotoKind, PhotoStatus } from '@pave/shared';
import type { DetectedFace } from '../anonymise/face-detector';
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
  /** Staff boxes to blur, normalised to the upright image. */
  blurBoxes: BlurBox[];
  /** Faces found at the last render (null before it). */
  detectedFaces: DetectedFace[] | null;
  /** The render staff last asked for, and the one on show (null before the first). */
  renderRevision: number;
  renderedRevision: number | null;
  /** Set once the private original is deleted (its retention ended). */
  originalDeletedAt: Date | null;
}

interface PhotoRow {
  id: string;
  report_id: string;
  status: PhotoStatus;
  original_key: string;
  blur_boxes: BlurBox[];
  detected_faces: DetectedFace[] | null;
  render_revision: number;
  rendered_revision: number | null;
  original_deleted_at: Date | null;
}

const PHOTO_COLUMNS = `id, report_id, status, original_key, blur_boxes, detected_faces, render_revision,
  rendered_revision, original_deleted_at`;

function toPhotoRecord(r: PhotoRow): PhotoRecord {
  return {
    id: r.id,
    reportId: r.report_id,
    status: r.status,
    originalKey: r.original_key,
    blurBoxes: r.blur_boxes,
    detectedFaces: r.detected_faces,
    renderRevision: r.render_revision,
    renderedRevision: r.rendered_revision,
    originalDeletedAt: r.original_deleted_at,
  };
}

export async function findPhoto(db: Db, id: string): Promise<PhotoRecord | null> {
  const { rows } = await db.query<PhotoRow>(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE id = $1`, [id]);
  return rows[0] ? toPhotoRecord(rows[0]) : null;
}

/** The photo row, locked for a staff edit (the caller's transaction). */
export async function lockPhoto(db: Db, id: string): Promise<PhotoRecord | null> {
  const { rows } = await db.query<PhotoRow>(`SELECT ${PHOTO_COLUMNS} FROM photos WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? toPhotoRecord(rows[0]) : null;
}

/** Stores a new set of staff boxes and asks for a new render; returns the new render revision. */
export async function setPhotoBlurBoxes(db: Db, id: string, boxes: readonly BlurBox[]): Promise<number> {
  const { rows } = await db.query<{ render_revision: number }>(
    `UPDATE photos SET blur_boxes = $2::jsonb, render_revision = render_revision + 1 WHERE id = $1
     RETURNING render_revision`,
    [id, JSON.stringify(boxes)],
  );
  return rows[0]!.render_revision;
}

/** Photos of several reports, in display order. */
export async function findPhotosOfReport(
  db: Db,
  reportId: string,
): Promise<{ id: string; status: PhotoStatus; kind: PhotoKind; renderedRevision: number | null }[]> {
  const { rows } = await db.query<{
    id: string;
    status: PhotoStatus;
    kind: PhotoKind;
    rendered_revision: number | null;
  }>(
    // Initial photos first, then "after", then comments: the order a reader expects.
    `SELECT id, status, kind, rendered_revision FROM photos WHERE report_id = $1
      ORDER BY CASE kind WHEN 'initial' THEN 0 WHEN 'after' THEN 1 ELSE 2 END, position`,
    [reportId],
  );
  return rows.map((r) => ({ id: r.id, status: r.status, kind: r.kind, renderedRevision: r.rendered_revision }));
}

/**
 * Records a render as the one on show, unless a later revision is already there (two renders that
 * overlap: the newer wins). The first render also starts the upload's retention. Returns whether it won.
 */
export async function markPhotoReady(
  db: Db,
  id: string,
  render: { width: number; height: number; revision: number; faces: DetectedFace[]; keepOriginalDays: number },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE photos SET status = 'ready', width = $2, height = $3, processed_at = now(), failure = NULL,
            rendered_revision = $4, detected_faces = $5::jsonb,
            original_delete_after = coalesce(original_delete_after, now() + make_interval(days => $6))
      WHERE id = $1 AND (rendered_revision IS NULL OR rendered_revision < $4)`,
    [id, render.width, render.height, render.revision, JSON.stringify(render.faces), render.keepOriginalDays],
  );
  return rowCount === 1;
}

/** Records that the private original is gone (its retention is over). */
export async function markOriginalDeleted(db: Db, id: string): Promise<void> {
  await db.query('UPDATE photos SET original_deleted_at = now() WHERE id = $1 AND original_deleted_at IS NULL', [id]);
}

/** Uploads whose retention has ended and are still stored (a bounded batch, oldest first). */
export async function findExpiredOriginals(db: Db, limit: number): Promise<{ id: string }[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM photos
      WHERE original_deleted_at IS NULL AND original_delete_after <= now()
      ORDER BY original_delete_after LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id }));
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
