import {
  AppError,
  OPEN_STATUSES,
  publicStatusLabel,
  isLatitude,
  isLongitude,
  parseCoordinate,
  type ReportStatus,
  isUuid,
} from '@pave/shared';
import type { RedisConnection } from '../queue/queue';
import { withTransaction, type Pool } from '../db/pool';
import { enforceRateLimits } from '../rate-limit/rate-limit';
import { inspectImage } from '../photos/image';
import { countPhotos } from '../photos/photos.repo';
import { attachPhoto, newPhotoId, renditionKey, withPhotoCleanup } from '../photos/photos.service';
import type { Storage } from '../storage/storage';
import {
  addSupport,
  findNearbyOpenReports,
  findReportIdByRef,
  isActiveFollower,
  lockReportResolution,
  reportExists,
  unsubscribeFollower,
} from './follow-up.repo';
import { insertFeedback } from '../analytics/satisfaction.repo';
import { changeReportStatus } from './report-status.service';
import type { TokenSigner } from '../tokens/report-tokens';

export type TokenRole = 'reporter' | 'follower';
import { appendReportHistory } from './reports.repo';
import { holdCommentIfListed } from '../moderation/moderation.service';

const DEVICE = /^[A-Za-z0-9_-]{8,64}$/;
const COMMENT_MAX = 2000;
/** "+1"s a day from one client address on one report: a family or an office behind one address. */
const SUPPORTS_PER_ADDRESS_AND_REPORT = 5;

/** Same answer for an unknown report and a wrong token: a token guess learns nothing. */
export function notFound(): AppError {
  return new AppError('REPORT_NOT_FOUND', 'No report with this id.');
}

/** Refuses an id that cannot name a report with the same 404, before any query. */
export function assertReportId(id: string): void {
  if (!isUuid(id)) throw notFound();
}

/** Open reports of the same group near a point, within the category's duplicate radius. */
export async function findDuplicateCandidates(
  deps: { db: Pool; storage: Storage },
  query: { lat?: string; lon?: string; category?: string },
) {
  const lat = parseCoordinate(query.lat);
  const lon = parseCoordinate(query.lon);
  if (lat === null || lon === null || !isLatitude(lat) || !isLongitude(lon)) {
    throw new AppError('LOCATION_INVALID', 'lat and lon are required decimal numbers within range.');
  }
  const { radiusM, rows } = await findNearbyOpenReports(deps.db, {
    lon,
    lat,
    categoryCode: query.category?.trim() ?? '',
    openStatuses: OPEN_STATUSES,
    limit: 10,
  });
  if (radiusM === null) throw new AppError('CATEGORY_UNKNOWN', 'Unknown category.');
  return {
    radiusMeters: radiusM,
    reports: rows.map((r) => ({
      id: r.id,
      ref: r.ref,
      status: r.status,
      statusLabel: publicStatusLabel(r.status, r.is_routed),
      category: { code: r.category_code, label: { fr: r.category_label_fr, en: r.category_label_en } },
      distanceMeters: Math.round(r.distance_m),
      createdAt: r.created_at.toISOString(),
      supportCount: r.support_count,
      thumbUrl: r.photo_id ? deps.storage.publicUrl(renditionKey(r.photo_id, 'thumb')) : null,
    })),
  };
}

/**
 * "+1": one support per device. A device id is the client's to invent, so supports are also bounded
 * per client address and report (a household behind one address counts, a script does not).
 */
export async function supportReport(
  deps: { db: Pool; redis: RedisConnection; rateLimitPrefix: string },
  input: { reportId: string; deviceId: string | undefined; ip: string },
): Promise<{ supportCount: number }> {
  assertReportId(input.reportId);
  if (!input.deviceId || !DEVICE.test(input.deviceId)) {
    throw new AppError(
      'VALIDATION_FAILED',
      'The X-Pave-Device header must be a device id of 8–64 URL-safe characters.',
    );
  }
  await enforceRateLimits(
    deps.redis,
    deps.rateLimitPrefix,
    [
      {
        key: `support:ip-report:${input.ip}|${input.reportId}`,
        max: SUPPORTS_PER_ADDRESS_AND_REPORT,
        windowSeconds: 86_400,
      },
      { key: `support:ip:${input.ip}`, max: 120, windowSeconds: 60 * 60 },
    ],
    'Too many "+1" from this network; try again later.',
  );
  const supportCount = await addSupport(deps.db, input.reportId, input.deviceId);
  if (supportCount === null) throw notFound();
  return { supportCount };
}

/** One-click unsubscribe: the follower's own link is the only credential. */
export async function unfollowReport(
  deps: { db: Pool; tokens: TokenSigner },
  input: { reportId: string; token: string },
): Promise<void> {
  assertReportId(input.reportId);
  const holder = deps.tokens.read(input.reportId, input.token);
  if (holder?.role !== 'follower' || !(await unsubscribeFollower(deps.db, input.reportId, holder.followerId))) {
    throw notFound();
  }
}

/** What a private token lets its holder do on this report; `REPORT_NOT_FOUND` otherwise (no hint). */
export async function resolveToken(
  deps: { db: Pool; tokens: TokenSigner },
  reportId: string,
  token: unknown,
): Promise<TokenRole> {
  assertReportId(reportId);
  const holder = typeof token === 'string' ? deps.tokens.read(reportId, token) : null;
  if (holder?.role === 'reporter' && (await reportExists(deps.db, reportId))) return 'reporter';
  if (holder?.role === 'follower' && (await isActiveFollower(deps.db, reportId, holder.followerId))) return 'follower';
  throw notFound();
}

export async function describeTokenHolder(deps: { db: Pool; tokens: TokenSigner }, reportId: string, token: unknown) {
  const role = await resolveToken(deps, reportId, token);
  return { role, following: true };
}

/** A public comment (and optional photo) from the reporter or a follower; identity is never shown. */
export async function addResidentComment(
  deps: { db: Pool; storage: Storage; tokens: TokenSigner },
  input: { reportId: string; token: unknown; text?: string; photo?: { data: Buffer } },
): Promise<{ ok: true }> {
  const role = await resolveToken(deps, input.reportId, input.token);
  const text = input.text?.trim() ?? '';
  if (!text && !input.photo) throw new AppError('COMMENT_INVALID', 'A comment needs a text or a photo.');
  if (text.length > COMMENT_MAX)
    throw new AppError('COMMENT_INVALID', `A comment is limited to ${COMMENT_MAX} characters.`);
  const photo = input.photo ? { ...input.photo, info: await inspectImage(input.photo.data), id: newPhotoId() } : null;
  await withPhotoCleanup(deps.storage, photo ? [photo.id] : [], () =>
    withTransaction(deps.db, async (tx) => {
      let photoId: string | null = null;
      if (photo) {
        const position = await countPhotos(tx, input.reportId, 'comment');
        await attachPhoto(tx, deps.storage, { ...photo, reportId: input.reportId, kind: 'comment', position });
        photoId = photo.id;
      }
      const historyId = await appendReportHistory(tx, {
        reportId: input.reportId,
        actor: role,
        event: 'comment',
        isPublic: true,
        data: { text, photoId },
      });
      // A listed word holds the comment for a moderator before anyone else reads it.
      await holdCommentIfListed(tx, historyId, text);
    }),
  );
  return { ok: true };
}

/**
 * The reporter's or a follower's answer to "is it fixed, and how satisfied are you (1–5)?" on a
 * resolved report. "No" reopens it, the top complaint about other systems being "marked fixed but it
 * isn't". One answer per person per resolution, kept for the council's satisfaction figures.
 */
export async function answerFixed(
  deps: { db: Pool; tokens: TokenSigner },
  input: { reportId: string; token: unknown; fixed: boolean; comment?: string; rating?: number },
): Promise<{ status: ReportStatus }> {
  const role = await resolveToken(deps, input.reportId, input.token);
  const comment = input.comment?.trim().slice(0, COMMENT_MAX) || null;
  const rating = input.rating ?? null;
  if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) {
    throw new AppError('VALIDATION_FAILED', 'rating must be a whole number from 1 to 5.');
  }
  const holder = deps.tokens.read(input.reportId, String(input.token));
  return withTransaction(deps.db, async (tx) => {
    const { status, closedAt } = (await lockReportResolution(tx, input.reportId))!;
    if (status !== 'resolved') {
      throw new AppError('REPORT_NOT_RESOLVED', 'Only a report marked resolved can be confirmed or reopened.');
    }
    const isFirstAnswer = await insertFeedback(tx, {
      reportId: input.reportId,
      role,
      followerId: holder?.role === 'follower' ? holder.followerId : null,
      resolvedAt: closedAt!,
      fixed: input.fixed,
      rating,
      comment,
    });
    if (!isFirstAnswer) {
      throw new AppError('FEEDBACK_ALREADY_GIVEN', 'You already answered for this resolution.');
    }
    if (input.fixed) {
      await appendReportHistory(tx, {
        reportId: input.reportId,
        actor: role,
        event: 'confirmed_fixed',
        isPublic: true,
        data: { comment },
      });
      return { status };
    }
    await changeReportStatus(tx, {
      reportId: input.reportId,
      from: status,
      to: 'reopened',
      actor: role,
      reason: 'not_fixed',
      message: comment ?? undefined,
    });
    return { status: 'reopened' as const };
  });
}

/** The id behind a public reference; `REPORT_NOT_FOUND` when there is none. */
export async function findReportIdForRef(deps: { db: Pool }, ref: string): Promise<string> {
  if (!/^PAV-\d{4}-\d{6,}$/.test(ref)) throw notFound();
  const id = await findReportIdByRef(deps.db, ref);
  if (!id) throw notFound();
  return id;
}
