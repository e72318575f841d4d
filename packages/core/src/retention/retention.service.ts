import { PHOTO_RENDITIONS, type PhotoRendition } from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { originalKey, privateOriginalKey, renditionKey } from '../photos/photos.service';
import type { Storage } from '../storage/storage';
import { eraseReportContent, findExpiredReports, type RetentionPeriods } from './retention.repo';

export type { RetentionPeriods } from './retention.repo';

/** Signalen's periods: a year for reports the city turned down or passed on, five for resolved ones. */
export const DEFAULT_RETENTION_DAYS: RetentionPeriods = {
  rejected: 365,
  duplicate: 365,
  transferred: 365,
  resolved: 5 * 365,
};

/**
 * Checks retention periods (days per final status): each a whole number of at least one day, since
 * 0 or less would erase what residents wrote the moment a report closes, before anyone could answer
 * "is it fixed?". Returns every problem, one per status; empty when all are valid.
 */
export function checkRetentionPeriods(periods: Record<keyof RetentionPeriods, number>): string[] {
  return (Object.entries(periods) as [keyof RetentionPeriods, number][])
    .filter(([, days]) => !Number.isInteger(days) || days < 1)
    .map(
      ([status, days]) =>
        `the retention period of ${status} reports is ${days} days: it must be a whole number of days, at least 1 ` +
        '(0 or less would erase a report’s text and photos as soon as it closes)',
    );
}

// Reports per transaction: the first run on years of old reports goes in bounded steps.
const BATCH = 200;

/**
 * Erases the descriptions, comments, messages and photos of reports closed longer than their status's
 * period (hourly upkeep). Photos leave the object store first, then the rows: a failure in between
 * leaves rows whose files are gone, which the next run erases, never files nobody can find.
 */
export async function sweepExpiredContent(
  deps: { db: Pool; storage: Storage },
  periods: RetentionPeriods,
): Promise<{ reports: number; photos: number }> {
  const problems = checkRetentionPeriods(periods);
  if (problems.length > 0) throw new Error(problems.join('; '));
  let reports = 0;
  let photos = 0;
  for (;;) {
    const expired = await findExpiredReports(deps.db, periods, BATCH);
    if (expired.length === 0) break;
    const expiredPhotos = expired.flatMap((r) => r.photos);
    for (const photo of expiredPhotos) {
      // The upload, the private full-size copy kept for staff blur boxes, and the renditions of every
      // revision staff blurring wrote (each under its own keys, renditions being immutable).
      const keys = [originalKey(photo.id), privateOriginalKey(photo.id)];
      for (let revision = 0; revision <= photo.lastRevision; revision += 1) {
        for (const rendition of Object.keys(PHOTO_RENDITIONS) as PhotoRendition[]) {
          keys.push(renditionKey(photo.id, rendition, revision));
        }
      }
      await Promise.all(keys.map((key) => deps.storage.delete(key)));
    }
    const erased = await withTransaction(deps.db, (tx) =>
      eraseReportContent(
        tx,
        expired.map((r) => r.id),
      ),
    );
    reports += erased.length;
    photos += expiredPhotos.length;
    if (expired.length < BATCH) break;
  }
  return { reports, photos };
}
