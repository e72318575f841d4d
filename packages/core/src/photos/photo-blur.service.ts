import { AppError, isUuid, type BlurBox, type BlurBoxesBody, type PhotoBlur } from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import { appendReportHistory } from '../reports/reports.repo';
import { requireRole } from '../staff/roles';
import { isReportReadableBy, lockReportInScope } from '../staff/staff-reports.repo';
import type { StaffUser } from '../staff/staff.repo';
import type { Storage } from '../storage/storage';
import { findPhoto, lockPhoto, setPhotoBlurBoxes, type PhotoRecord } from './photos.repo';
import { renditionKey } from './photos.service';

/**
 * Who may blur: the crews who photograph and fix (they see the plates on their own "after" photos),
 * supervisors and admins. The council reads reports and analyses them; agents file for residents.
 */
const BLUR_ROLES = ['crew', 'supervisor', 'admin'] as const;

/** Below this (a thousandth of the side, under two pixels of a large rendition) a box blurs nothing. */
const MIN_BOX_SIDE = 0.001;
/** Floating-point slack for a box drawn to the very edge (x + width computed in the browser). */
const EDGE_SLACK = 1e-9;

/** Refuses a box outside the photo or of no size, naming which one (400 BLUR_BOX_INVALID). */
export function checkBlurBoxes(boxes: readonly BlurBox[]): BlurBox[] {
  return boxes.map((box, index) => {
    const values = [box.x, box.y, box.width, box.height];
    const where = `Box ${index + 1}`;
    if (!values.every(Number.isFinite))
      throw new AppError('BLUR_BOX_INVALID', `${where}: x, y, width and height must be numbers.`);
    if (box.x < 0 || box.y < 0 || box.x > 1 || box.y > 1)
      throw new AppError('BLUR_BOX_INVALID', `${where} starts outside the photo (x and y go from 0 to 1).`);
    if (box.width < MIN_BOX_SIDE || box.height < MIN_BOX_SIDE)
      throw new AppError('BLUR_BOX_INVALID', `${where} has no size: draw a rectangle over what to hide.`);
    if (box.x + box.width > 1 + EDGE_SLACK || box.y + box.height > 1 + EDGE_SLACK)
      throw new AppError('BLUR_BOX_INVALID', `${where} goes past the edge of the photo.`);
    return {
      x: box.x,
      y: box.y,
      width: Math.min(box.width, 1 - box.x),
      height: Math.min(box.height, 1 - box.y),
    };
  });
}

function toPhotoBlur(storage: Storage, photo: PhotoRecord): PhotoBlur {
  const isReady = photo.status === 'ready' && photo.renderedRevision !== null;
  return {
    photoId: photo.id,
    reportId: photo.reportId,
    status: photo.status,
    boxes: photo.blurBoxes,
    detectedFaces: photo.detectedFaces ? photo.detectedFaces.length : null,
    isRendered: isReady && photo.renderedRevision! >= photo.renderRevision,
    largeUrl: isReady ? storage.publicUrl(renditionKey(photo.id, 'large', photo.renderedRevision!)) : null,
  };
}

function photoNotFound(): AppError {
  return new AppError('PHOTO_NOT_FOUND', 'No photo with this id in your queues.');
}

/** A photo's staff boxes and detected faces, for a user whose queues hold its report. */
export async function findPhotoBlur(
  deps: { db: Pool; storage: Storage },
  user: StaffUser,
  photoId: string,
): Promise<PhotoBlur> {
  requireRole(user, BLUR_ROLES);
  const photo = isUuid(photoId) ? await findPhoto(deps.db, photoId) : null;
  if (!photo || !(await isReportReadableBy(deps.db, user, photo.reportId))) throw photoNotFound();
  return toPhotoBlur(deps.storage, photo);
}

/**
 * Replaces a photo's staff boxes and queues a new render of its public renditions (a new revision,
 * so a new job id), with the change kept in the report's staff history, all in one transaction.
 */
export async function setPhotoBlur(
  deps: { db: Pool; storage: Storage },
  user: StaffUser,
  photoId: string,
  body: BlurBoxesBody,
): Promise<PhotoBlur> {
  requireRole(user, BLUR_ROLES);
  const boxes = checkBlurBoxes(body.boxes);
  if (!isUuid(photoId)) throw photoNotFound();
  return withTransaction(deps.db, async (tx) => {
    const found = await findPhoto(tx, photoId);
    if (!found || !(await lockReportInScope(tx, user, found.reportId))) throw photoNotFound();
    const photo = (await lockPhoto(tx, photoId))!;
    if (photo.status === 'failed')
      throw new AppError('PHOTO_NOT_FOUND', 'This photo could not be processed: there is nothing to blur.');
    const revision = await setPhotoBlurBoxes(tx, photoId, boxes);
    await appendReportHistory(tx, {
      reportId: photo.reportId,
      actor: `staff:${user.id}`,
      event: 'photo_blur',
      isPublic: false,
      data: { photoId, boxes: boxes.length, previousBoxes: photo.blurBoxes.length, revision },
    });
    await insertOutboxJob(tx, 'photo.process', { photoId, revision: String(revision) });
    return toPhotoBlur(deps.storage, { ...photo, blurBoxes: boxes, renderRevision: revision });
  });
}
