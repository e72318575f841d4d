import { randomUUID } from 'node:crypto';
import { PHOTO_RENDITIONS, type PhotoKind, type PhotoRendition, type PublicPhoto } from '@pave/shared';
import type { Db, Pool } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import type { Logger } from '../logger';
import { PUBLIC_PREFIX, type Storage } from '../storage/storage';
import { renderRenditions } from './image';
import type { ImageInfo } from './image';
import { findPhoto, findPhotosOfReport, insertPhoto, markPhotoFailed, markPhotoReady } from './photos.repo';

export function newPhotoId(): string {
  return randomUUID();
}

export function originalKey(photoId: string): string {
  return `originals/${photoId}`;
}

export function renditionKey(photoId: string, rendition: PhotoRendition): string {
  return `${PUBLIC_PREFIX}photos/${photoId}/${rendition}.jpg`;
}

export type ProcessOutcome = 'processed' | 'already-done' | 'missing' | 'failed';

/**
 * Makes the public renditions of one photo. Idempotent: a photo already processed
 * (or already failed) is skipped. A photo that cannot be decoded is marked failed
 * and reported as `failed`, so the caller can stop retrying.
 *
 * Then the upload itself is deleted: it carries the phone's EXIF block (GPS position, device,
 * time), and the renditions, stripped of every metadata block, are all that is ever shown. Once a
 * photo is ready or failed nothing reads it again; a run that stopped between the two steps deletes
 * it on the next pass (deleting is idempotent). A run that stopped after uploading the renditions but
 * before marking the row ready leaves the photo pending: the next run (the job's retry, or the sweep's)
 * renders them again under the same keys, overwriting rather than adding (tests/worker/photo-crash.test.ts).
 */
export async function processPhoto(
  deps: { db: Pool; storage: Storage; logger: Logger },
  photoId: string,
): Promise<ProcessOutcome> {
  const photo = await findPhoto(deps.db, photoId);
  if (!photo) return 'missing';
  if (photo.status !== 'pending') {
    await deps.storage.delete(photo.originalKey);
    return 'already-done';
  }

  const original = await deps.storage.get(photo.originalKey);
  let renditions;
  try {
    renditions = await renderRenditions(original);
  } catch (error) {
    deps.logger.warn({ photoId, err: error }, 'photo cannot be decoded; marked failed');
    await markPhotoFailed(deps.db, photoId, (error as Error).message);
    await deps.storage.delete(photo.originalKey);
    return 'failed';
  }
  for (const r of renditions) await deps.storage.put(renditionKey(photoId, r.name), r.data);
  const large = renditions.find((r) => r.name === 'large')!;
  await markPhotoReady(deps.db, photoId, { width: large.width, height: large.height });
  await deps.storage.delete(photo.originalKey);
  return 'processed';
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
              storage.publicUrl(renditionKey(p.id, r)),
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
