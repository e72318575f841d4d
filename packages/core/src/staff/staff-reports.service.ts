import {
  AppError,
  REJECTION_REASONS,
  REPORT_LIMITS,
  REPORT_STATUSES,
  TRANSITION_REQUIREMENTS,
  canTransition,
  isLatitude,
  isLongitude,
  type ReportStatus,
  type StaffRole,
  isUuid,
} from '@pave/shared';
import { findAreaIdAt } from '../areas/areas.repo';
import { findCategoryByCode } from '../categories/categories.repo';
import { withTransaction, type Pool } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import { inspectImage } from '../photos/image';
import { countPhotos } from '../photos/photos.repo';
import { attachPhoto, newPhotoId } from '../photos/photos.service';
import { appendReportHistory } from '../reports/reports.repo';
import type { Storage } from '../storage/storage';
import { OPEN_STATUSES } from '../reports/follow-up.service';
import { changeReportStatus } from '../reports/report-status.service';
import {
  findQueue,
  isMergeTarget,
  lockReportInScope,
  mergeDuplicateInto,
  requalify,
  updateTriageFields,
} from './staff-reports.repo';
import type { StaffUser } from './staff.repo';

/** Refuses a user whose role is not in `roles` (403). */
export function requireRole(user: StaffUser, roles: readonly StaffRole[]): void {
  if (!roles.includes(user.role)) throw new AppError('FORBIDDEN', 'Your role does not allow this action.');
}

export interface QueueQuery {
  status?: string;
  category?: string;
  area?: string;
  team?: string;
  late?: boolean;
  q?: string;
  limit?: number;
}

/** The queue a staff user works, with filters; every role but council's is scoped to its teams. */
export async function listQueue(deps: { db: Pool }, user: StaffUser, query: QueueQuery) {
  requireRole(user, ['crew', 'supervisor', 'council', 'admin']);
  const statuses = query.status ? query.status.split(',').map((s) => s.trim()) : OPEN_STATUSES;
  const unknown = statuses.find((s) => !(REPORT_STATUSES as readonly string[]).includes(s));
  if (unknown) throw new AppError('VALIDATION_FAILED', `Unknown status "${unknown.slice(0, 40)}".`);
  const rows = await findQueue(deps.db, user, {
    statuses: statuses as ReportStatus[],
    categoryCode: query.category || null,
    areaCode: query.area || null,
    teamCode: query.team || null,
    lateOnly: query.late === true,
    search: query.q?.trim() || null,
    limit: Math.min(query.limit ?? 200, REPORT_LIMITS.listMaxLimit),
  });
  return {
    reports: rows.map((r) => ({
      id: r.id,
      ref: r.ref,
      status: r.status,
      priority: r.priority,
      severity: r.severity,
      category: { code: r.category_code, label: r.category_label_fr },
      team: r.team_name,
      area: r.area_name,
      description: r.description,
      location: { type: 'Point' as const, coordinates: [r.lon, r.lat] },
      createdAt: r.created_at.toISOString(),
      deadlineAt: r.deadline_at?.toISOString() ?? null,
      isLate: r.is_late,
      supportCount: r.support_count,
    })),
  };
}

export interface TransitionInput {
  to: string;
  reason?: string;
  message?: string;
  note?: string;
  duplicateOf?: string;
  transferredTo?: string;
  scheduledFor?: string;
}

/**
 * Moves a report through the state machine on a staff user's behalf: role and scope checked,
 * the transition checked against the one table (409 when not allowed), its required detail checked,
 * then the change, its history entry and the mail to the reporter and followers in one transaction.
 */
export async function transitionReport(deps: { db: Pool }, user: StaffUser, reportId: string, input: TransitionInput) {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (!isUuid(reportId)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  const to = input.to as ReportStatus;
  if (!(REPORT_STATUSES as readonly string[]).includes(to))
    throw new AppError('VALIDATION_FAILED', `Unknown status "${input.to.slice(0, 40)}".`);
  const needs = TRANSITION_REQUIREMENTS[to];
  const fields: Parameters<typeof updateTriageFields>[2] = {};
  if (needs === 'reason') {
    if (!input.reason || !(input.reason in REJECTION_REASONS)) {
      throw new AppError(
        'TRANSITION_INCOMPLETE',
        `A rejection needs a reason: ${Object.keys(REJECTION_REASONS).join(', ')}.`,
      );
    }
    fields.rejectionReason = input.reason;
  }
  if (needs === 'duplicateOf') {
    if (!input.duplicateOf || !isUuid(input.duplicateOf) || input.duplicateOf === reportId) {
      throw new AppError('TRANSITION_INCOMPLETE', 'A duplicate needs the id of the original report.');
    }
    fields.duplicateOf = input.duplicateOf;
  }
  if (needs === 'transferredTo') {
    if (!input.transferredTo?.trim())
      throw new AppError('TRANSITION_INCOMPLETE', 'A transfer needs the body it goes to.');
    fields.transferredTo = input.transferredTo.trim().slice(0, 200);
  }
  if (needs === 'scheduledFor') {
    const when = input.scheduledFor ? new Date(input.scheduledFor) : null;
    if (!when || Number.isNaN(when.getTime()))
      throw new AppError('TRANSITION_INCOMPLETE', 'Scheduling needs a date (ISO 8601).');
    fields.scheduledFor = when;
  }
  return withTransaction(deps.db, async (tx) => {
    const report = await lockReportInScope(tx, user, reportId);
    if (!report) throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your queues.');
    if (!canTransition(report.status, to)) {
      throw new AppError('TRANSITION_NOT_ALLOWED', `A report cannot go from ${report.status} to ${to}.`);
    }
    if (fields.duplicateOf && !(await isMergeTarget(tx, fields.duplicateOf))) {
      throw new AppError('TRANSITION_INCOMPLETE', 'The original report does not exist or is itself a duplicate.');
    }
    await updateTriageFields(tx, reportId, fields);
    if (fields.duplicateOf) await mergeDuplicateInto(tx, reportId, fields.duplicateOf);
    await changeReportStatus(tx, {
      reportId,
      from: report.status,
      to,
      actor: `staff:${user.id}`,
      reason: input.reason,
      message: input.message?.trim().slice(0, 2000) || undefined,
      note: input.note?.trim().slice(0, 2000) || undefined,
    });
    return { id: reportId, status: to };
  });
}

/** A crew's "after" photo (proof of the fix), processed like any photo and mailed with the resolution. */
export async function addAfterPhoto(
  deps: { db: Pool; storage: Storage },
  user: StaffUser,
  reportId: string,
  data: Buffer | undefined,
): Promise<{ photoId: string }> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (!isUuid(reportId)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  if (!data) throw new AppError('VALIDATION_FAILED', 'Send the photo in the field "photo".');
  const photo = { id: newPhotoId(), data, info: await inspectImage(data) };
  await withTransaction(deps.db, async (tx) => {
    if (!(await lockReportInScope(tx, user, reportId)))
      throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your queues.');
    const position = await countPhotos(tx, reportId, 'after');
    await attachPhoto(tx, deps.storage, { ...photo, reportId, kind: 'after', position });
    await appendReportHistory(tx, {
      reportId,
      actor: `staff:${user.id}`,
      event: 'after_photo',
      isPublic: false,
      data: { photoId: photo.id },
    });
  });
  return { photoId: photo.id };
}

/**
 * Changes a report's category and/or moves its pin, then routes it again: routing is cleared and a
 * `report.route` job queued in the same transaction, and the change is kept in the history.
 */
export async function requalifyReport(
  deps: { db: Pool },
  user: StaffUser,
  reportId: string,
  input: { category?: string; lat?: number; lon?: number },
): Promise<{ id: string }> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (!isUuid(reportId)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  if (input.category === undefined && input.lat === undefined && input.lon === undefined) {
    throw new AppError('VALIDATION_FAILED', 'Give a new category, a new point (lat and lon), or both.');
  }
  const category = input.category === undefined ? null : await findCategoryByCode(deps.db, input.category);
  if (input.category !== undefined && !category) throw new AppError('CATEGORY_UNKNOWN', 'Unknown category.');
  const movesPin = input.lat !== undefined || input.lon !== undefined;
  if (
    movesPin &&
    (input.lat === undefined || input.lon === undefined || !isLatitude(input.lat) || !isLongitude(input.lon))
  ) {
    throw new AppError('LOCATION_INVALID', 'Moving the pin needs both lat and lon, within range.');
  }
  const areaId = movesPin ? await findAreaIdAt(deps.db, input.lon!, input.lat!) : null;
  if (movesPin && areaId === null) {
    throw new AppError('LOCATION_OUTSIDE_SERVICE_AREA', 'This point is outside the area covered by the service.');
  }
  await withTransaction(deps.db, async (tx) => {
    if (!(await lockReportInScope(tx, user, reportId)))
      throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your queues.');
    await requalify(tx, reportId, {
      categoryId: category?.id ?? null,
      lon: movesPin ? input.lon! : null,
      lat: movesPin ? input.lat! : null,
      areaId,
    });
    await appendReportHistory(tx, {
      reportId,
      actor: `staff:${user.id}`,
      event: 'requalified',
      isPublic: false,
      data: { category: input.category ?? null, lon: input.lon ?? null, lat: input.lat ?? null },
    });
    await insertOutboxJob(tx, 'report.route', { reportId });
  });
  return { id: reportId };
}
