import { randomUUID } from 'node:crypto';
import { PHOTO_RENDITIONS, type PhotoKind, type PhotoRendition, type PublicPhoto } from '@pave/shared';
import type { Db, Pool } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import type { Logger } from '../logger';
import { PUBLIC_PREFIX, type Storage } from '../storage/storage';
import { detectFaces, FaceDetectionError, type FaceDetector } from '../anonymise/face-detector';
import { renderRenditions } from './image';
import type { ImageInfo } from './image';
import {
  findExpiredOriginals,
  findPhoto,
  findPhotosOfReport,
  insertPhoto,
  markOriginalDeleted,
  markPhotoFailed,
  markPhotoReady,
} from './photos.repo';

export function newPhotoId(): string {
  return randomUUID();
}

export function originalKey(photoId: string): string {
  return `originals/${photoId}`;
}

/**
 * Where a rendition is served. Revision 0 (the worker's first render) keeps the key photos always had;
 * each staff edit renders under a key of its own: renditions are cached as immutable for a year, so
 * a face blurred under an old URL would stay unblurred in every browser and CDN that kept it.
 */
export function renditionKey(photoId: string, rendition: PhotoRendition, revision = 0): string {
  return revision > 0
    ? `${PUBLIC_PREFIX}photos/${photoId}/r${revision}/${rendition}.jpg`
    : `${PUBLIC_PREFIX}photos/${photoId}/${rendition}.jpg`;
}

/**
 * Where a photo's private original is kept: the upload's pixels at full resolution, upright, without
 * its metadata (the phone's GPS position, device and time, which nothing needs once the renditions
 * exist). Outside `public/`, so never served. A staff box is blurred from these pixels.
 */
export function privateOriginalKey(photoId: string): string {
  return `private/photos/${photoId}/original.jpg`;
}

/**
 * How long the private original is kept after the first render: long enough for staff to triage
 * the report and draw the boxes the detector missed. After it (`purgeExpiredOriginals`), a new box
 * is drawn on the large rendition on show instead (already blurred, and the largest size ever shown).
 */
export const ORIGINAL_KEEP_DAYS = 30;

export type ProcessOutcome = 'processed' | 'already-done' | 'missing' | 'failed';

export interface PhotoDeps {
  db: Pool;
  storage: Storage;
  logger: Logger;
  /** The face detector; the default loads the model shipped in node_modules (once per process). */
  detect?: FaceDetector;
}

/**
 * Makes the public renditions of one photo, with every face the detector finds and every staff box
 * blurred (`renderRenditions`). Idempotent: a photo whose latest revision is on show (or that failed)
 * is skipped. A photo that cannot be decoded is marked failed and reported as `failed`, so the caller
 * can stop retrying. A detector that throws fails the run: the job retries, and the photo stays
 * unpublished rather than shown with its faces.
 *
 * The first render also stores the private original (`privateOriginalKey`), then deletes the upload
 * itself, which carries the phone's EXIF block: nothing reads it again. Once a photo is ready or
 * failed a run that stopped between the two steps deletes it on the next pass (deleting is
 * idempotent). A run that stopped after uploading the renditions but before marking the row ready
 * leaves the revision unrendered: the next run renders it again under the same keys, overwriting
 * rather than adding (tests/worker/photo-crash.test.ts). Later revisions (staff boxes) are rendered
 * from the private original, or from the large rendition once the original's retention has ended.
 */
export async function processPhoto(deps: PhotoDeps, photoId: string): Promise<ProcessOutcome> {
  const photo = await findPhoto(deps.db, photoId);
  if (!photo) return 'missing';
  const revision = photo.renderRevision;
  if (photo.status === 'failed' || (photo.status === 'ready' && (photo.renderedRevision ?? -1) >= revision)) {
    await deps.storage.delete(photo.originalKey);
    return 'already-done';
  }

  const isFirst = photo.status === 'pending';
  const hasOriginal = photo.originalDeletedAt === null;
  const source = isFirst
    ? await deps.storage.get(photo.originalKey)
    : await deps.storage.get(
        hasOriginal ? privateOriginalKey(photoId) : renditionKey(photoId, 'large', photo.renderedRevision ?? 0),
      );
  let rendered;
  try {
    rendered = await renderRenditions(source, {
      // A rendition's faces are already blurred: only the staff boxes are new there.
      detect: hasOriginal ? guardDetector(deps.detect ?? detectFaces) : undefined,
      boxes: photo.blurBoxes,
      withOriginal: isFirst,
    });
  } catch (error) {
    if (error instanceof FaceDetectionError) throw error;
    deps.logger.warn({ photoId, err: error }, 'photo cannot be decoded; marked failed');
    await markPhotoFailed(deps.db, photoId, (error as Error).message);
    await deps.storage.delete(photo.originalKey);
    return 'failed';
  }
  if (rendered.original) await deps.storage.put(privateOriginalKey(photoId), rendered.original);
  const faces = hasOriginal ? rendered.faces : (photo.detectedFaces ?? []);
  for (const r of rendered.renditions) await deps.storage.put(renditionKey(photoId, r.name, revision), r.data);
  const large = rendered.renditions.find((r) => r.name === 'large')!;
  const isShown = await markPhotoReady(deps.db, photoId, {
    width: large.width,
    height: large.height,
    revision,
    faces,
    keepOriginalDays: ORIGINAL_KEEP_DAYS,
  });
  if (isShown && revision > 0) {
    // Links made before this revision (Open311 media_url, mails, the timeline) name revision 0's
    // keys: they get the blurred pixels too, wherever no cache kept the old ones.
    for (const r of rendered.renditions) await deps.storage.put(renditionKey(photoId, r.name, 0), r.data);
  }
  // The revision no listing serves any more: the one replaced, or this one if a newer won meanwhile.
  const stale = isShown ? photo.renderedRevision : revision;
  if (stale !== null && stale > 0 && !(isShown && stale === revision)) {
    await Promise.all(
      (Object.keys(PHOTO_RENDITIONS) as PhotoRendition[]).map((r) =>
        deps.storage.delete(renditionKey(photoId, r, stale)),
      ),
    );
  }
  if (isFirst) await deps.storage.delete(photo.originalKey);
  deps.logger.info({ photoId, revision, faces: faces.length, boxes: photo.blurBoxes.length }, 'photo rendered');
  return 'processed';
}

/** Tells the detector's own failures (model, runtime) from the photo's: those are retried, never "failed". */
function guardDetector(detect: FaceDetector): FaceDetector {
  return async (image) => {
    try {
      return await detect(image);
    } catch (error) {
      throw new FaceDetectionError(error);
    }
  };
}

/**
 * Deletes the private originals whose retention has ended (hourly upkeep). The row goes first, so a
 * photo is never rendered from a file about to disappear; a store that fails leaves a file no row uses.
 */
export async function purgeExpiredOriginals(deps: { db: Pool; storage: Storage }, limit = 500): Promise<number> {
  const expired = await findExpiredOriginals(deps.db, limit);
  for (const photo of expired) {
    await markOriginalDeleted(deps.db, photo.id);
    await deps.storage.delete(privateOriginalKey(photo.id));
  }
  return expired.length;
}

/** The public description of a report's photos: rendition URLs once ready, never the original. */
export async function listPublicPhotos(db: Pool, storage: Storage, reportId: string): Promise<PublicPhoto[]> {
  const photos = await findPhotosOfReport(db, reportId);
  return photos.map((p) => ({
    id: p.id,
    kind: p.kind,
    status: p.status,
    urls:
      p.status === 'ready'
        ? (Object.fromEntries(
            (Object.keys(PHOTO_RENDITIONS) as PhotoRendition[]).map((r) => [
              r,
              storage.publicUrl(renditionKey(p.id, r, p.renderedRevision ?? 0)),
            ]),
          ) as Record<PhotoRendition, string>)
        : null,
  }));
}

/**
 * Runs `write`, the transaction that attaches these photos (`attachPhoto`); when it fails, for any
 * reason (a refused field, the object store down halfway, PostgreSQL), the originals it may have stored
 * are deleted, so a request that wrote no row leaves no object either. A store that is down cannot
 * delete either: what remains is an unreferenced `originals/` object, never a row without its file.
 */
export async function withPhotoCleanup<T>(
  storage: Storage,
  photoIds: readonly string[],
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await Promise.all(photoIds.map((id) => storage.delete(originalKey(id)).catch(() => {})));
    throw error;
  }
}

/**
 * Stores an accepted upload as a report photo inside the caller's transaction: the original under
 * `originals/` (never served), its row, and the outbox job that makes its renditions. The caller wraps
 * the transaction in `withPhotoCleanup`, which deletes the file if the transaction fails. The file is
 * written first: a store that refuses it (`STORAGE_UNAVAILABLE`) aborts the transaction before any row.
 */
export async function attachPhoto(
  tx: Db,
  storage: Storage,
  photo: { id: string; data: Buffer; info: ImageInfo; reportId: string; kind: PhotoKind; position: number },
): Promise<string> {
  const key = originalKey(photo.id);
  await storage.put(key, photo.data);
  await insertPhoto(tx, {
    id: photo.id,
    reportId: photo.reportId,
    position: photo.position,
    kind: photo.kind,
    originalKey: key,
    mimeType: photo.info.mimeType,
    byteSize: photo.data.length,
    width: photo.info.width,
    height: photo.info.height,
  });
  await insertOutboxJob(tx, 'photo.process', { photoId: photo.id });
  return key;
}
