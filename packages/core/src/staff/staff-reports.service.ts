import {
  AppError,
  BULK_MAX_IDS,
  OPEN_STATUSES,
  REPORT_LIMITS,
  REPORT_STATUSES,
  TRANSITION_REQUIREMENTS,
  canTransition,
  isLatitude,
  isLongitude,
  type AfterPhoto,
  type AssignBody,
  type AssigneeChoices,
  type Assignment,
  type BulkActionBody,
  type BulkActionResult,
  type BulkActionResults,
  type PublicReport,
  type Queue,
  type QueueQuery,
  type ReportId,
  type ReportStatus,
  type RequalifyBody,
  type StaffHistory,
  type StaffTeams,
  type TransitionBody,
  type TransitionResult,
  isAppError,
  isUuid,
} from '@pave/shared';
import { parseAddressQuery } from '../addresses/address-query';
import type { Geocoder } from '../addresses/geocoder';
import { lookUpReportAddress } from '../addresses/report-address.service';
import { findAreaIdAt } from '../areas/areas.repo';
import { findCategoryByCode } from '../categories/categories.repo';
import { withTransaction, type Db, type Pool } from '../db/pool';
import { runTownBlind } from '../db/town-scope';
import { insertOutboxJob } from '../outbox/outbox.repo';
import { inspectImage } from '../photos/image';
import { countPhotos } from '../photos/photos.repo';
import { attachPhoto, newPhotoId, withPhotoCleanup } from '../photos/photos.service';
import { appendReportHistory } from '../reports/reports.repo';
import { getPublicReport } from '../reports/reports.service';
import { requireActiveRejectionReason } from '../city-voice/city-voice.service';
import type { Logger } from '../logger';
import type { Storage } from '../storage/storage';
import { changeReportStatus } from '../reports/report-status.service';
import {
  findActiveCrew,
  findActiveCrewMember,
  findQueue,
  findRefsInScope,
  findStaffHistory,
  findTeamsInScope,
  isMergeTarget,
  isReportReadableBy,
  lockReportInScope,
  mergeDuplicateInto,
  requalify,
  updateAssignee,
  updateTriageFields,
} from './staff-reports.repo';
import { requireRole } from './roles';
import type { StaffUser } from './staff.repo';

// More words than this is a pasted paragraph, not a search.
const SEARCH_MAX_WORDS = 8;

/**
 * A user's search text as a `pave_fr` tsquery: every word of two characters or more, as a prefix
 * ("trott" finds "trottoir"), all required. Only letters and digits reach to_tsquery, so any text
 * is a valid query. Null when no word is left.
 */
export function toSearchQuery(text: string): string | null {
  const words = (text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 2);
  if (words.length === 0) return null;
  return words
    .slice(0, SEARCH_MAX_WORDS)
    .map((w) => `${w.toLowerCase()}:*`)
    .join(' & ');
}

/**
 * A reference typed by its number, as crews read it off a sheet or a phone call: "653", "000653",
 * "2026-653" or "PAV-2026-653" find PAV-2026-000653. A regex built of digits only (safe to send to
 * `~*`), or null for other text.
 */
export function toRefPattern(text: string): string | null {
  const match = /^(?:pav-)?(?:(\d{4})-)?0*(\d{1,7})$/i.exec(text.trim());
  if (!match) return null;
  return `^(pav-)?${match[1] ?? '[0-9]{4}'}-0*${match[2]}$`;
}

/**
 * The street words and number of a search, for the address index; null when no street word is left
 * (a bare number is a reference, not an address).
 */
export function toAddressSearch(text: string): { street: string; number: number | null } | null {
  const parsed = parseAddressQuery(text.normalize('NFC').slice(0, 200));
  if (!/[\p{L}]{2,}/u.test(parsed.street)) return null;
  return { street: parsed.street, number: parsed.number };
}

function parseAssigneeFilter(user: StaffUser, value: string | undefined) {
  if (!value) return null;
  if (value === 'none') return { kind: 'none' as const };
  if (value === 'me') return { kind: 'user' as const, userId: user.id };
  if (/^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= 2_147_483_647)
    return { kind: 'user' as const, userId: Number(value) };
  throw new AppError('VALIDATION_FAILED', 'assignee must be "me", "none" or a staff user id.');
}

/**
 * The full view of one report for staff: only within the reader's scope (a crew its team's, a
 * supervisor its service's, an agent what it filed), because it shows what the public never sees,
 * such as the photos of sensitive categories. Out of scope answers as if there were no such report.
 */
export async function findStaffReportView(
  deps: { db: Pool; storage: Storage },
  user: StaffUser,
  reportId: string,
): Promise<PublicReport> {
  requireRole(user, ['crew', 'supervisor', 'council', 'admin', 'agent']);
  if (!isUuid(reportId) || !(await isReportReadableBy(deps.db, user, reportId))) {
    throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your scope.');
  }
  return getPublicReport(deps, reportId, 'staff');
}

/**
 * A report's internal history for staff in the same scope as its detail: who did what, by name
 * (never by e-mail), assignments and internal notes included. Out of scope answers as if there
 * were no such report.
 */
export async function listStaffHistory(deps: { db: Pool }, user: StaffUser, reportId: string): Promise<StaffHistory> {
  requireRole(user, ['crew', 'supervisor', 'council', 'admin', 'agent']);
  if (!isUuid(reportId) || !(await isReportReadableBy(deps.db, user, reportId))) {
    throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your scope.');
  }
  const rows = await findStaffHistory(deps.db, reportId);
  return {
    entries: rows.map((r) => ({
      at: r.at.toISOString(),
      event: r.event,
      toStatus: r.to_status,
      actor: { kind: r.actor_kind, name: r.actor_kind === 'staff' ? r.actor_name : null },
      assignee: r.assignee_name,
      note: r.note,
    })),
  };
}

/** The queue a staff user works, with filters; every role but council's is scoped to its teams. */
export async function listQueue(deps: { db: Pool }, user: StaffUser, query: QueueQuery): Promise<Queue> {
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
    assignee: parseAssigneeFilter(user, query.assignee),
    search: query.q?.trim() || null,
    searchQuery: query.q ? toSearchQuery(query.q) : null,
    refPattern: query.q ? toRefPattern(query.q) : null,
    address: query.q ? toAddressSearch(query.q) : null,
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
      address: r.address,
      assignee: r.assignee_id === null ? null : { id: r.assignee_id, displayName: r.assignee_name ?? '' },
      location: { type: 'Point' as const, coordinates: [r.lon, r.lat] },
      createdAt: r.created_at.toISOString(),
      deadlineAt: r.deadline_at?.toISOString() ?? null,
      isLate: r.is_late,
      supportCount: r.support_count,
    })),
  };
}

const teamIdsInScope = async (db: Db, user: StaffUser) => (await findTeamsInScope(db, user)).map((t) => t.id);

/** The teams a staff user works with (the queue's team filter): one for a crew, a service's for a supervisor. */
export async function listTeams(deps: { db: Pool }, user: StaffUser): Promise<StaffTeams> {
  requireRole(user, ['crew', 'supervisor', 'council', 'admin']);
  return { teams: (await findTeamsInScope(deps.db, user)).map((t) => ({ code: t.code, name: t.name })) };
}

/**
 * Moves a report through the state machine on a staff user's behalf: role and scope checked,
 * the transition checked against the one table (409 when not allowed), its required detail checked,
 * then the change, its history entry and the mail to the reporter and followers in one transaction.
 */
export async function transitionReport(
  deps: { db: Pool },
  user: StaffUser,
  reportId: string,
  input: TransitionBody,
): Promise<TransitionResult> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (!isUuid(reportId)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  const to = input.to as ReportStatus;
  if (!(REPORT_STATUSES as readonly string[]).includes(to))
    throw new AppError('VALIDATION_FAILED', `Unknown status "${input.to.slice(0, 40)}".`);
  const needs = TRANSITION_REQUIREMENTS[to];
  const fields: Parameters<typeof updateTriageFields>[2] = {};
  if (needs === 'reason') {
    // The reasons admins manage (migration 023), checked against the live list.
    fields.rejectionReason = (await requireActiveRejectionReason(deps.db, input.reason)).code;
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
      transferredTo: fields.transferredTo,
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
): Promise<AfterPhoto> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (!isUuid(reportId)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  if (!data) throw new AppError('VALIDATION_FAILED', 'Send the photo in the field "photo".');
  const photo = { id: newPhotoId(), data, info: await inspectImage(data) };
  await withPhotoCleanup(deps.storage, [photo.id], () =>
    withTransaction(deps.db, async (tx) => {
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
    }),
  );
  return { photoId: photo.id };
}

/**
 * Changes a report's category and/or moves its pin, then routes it again: routing is cleared and a
 * `report.route` job queued in the same transaction, and the change is kept in the history. A moved
 * pin gets the address at its new point, written with the move.
 */
export async function requalifyReport(
  deps: { db: Pool; geocoder: Geocoder; log?: Pick<Logger, 'warn'> },
  user: StaffUser,
  reportId: string,
  input: RequalifyBody,
): Promise<ReportId> {
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
  // Town-blind: a pin moved across a boundary lands in the other town's area (public data), and the
  // report passes to that town (migration 028's trigger sets its town, 030 lets the new row go).
  const areaId = movesPin ? await runTownBlind(() => findAreaIdAt(deps.db, input.lon!, input.lat!)) : null;
  if (movesPin && areaId === null) {
    throw new AppError('LOCATION_OUTSIDE_SERVICE_AREA', 'This point is outside the area covered by the service.');
  }
  const address = movesPin ? await lookUpReportAddress(deps, input.lon!, input.lat!) : null;
  await withTransaction(deps.db, async (tx) => {
    if (!(await lockReportInScope(tx, user, reportId)))
      throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your queues.');
    await requalify(tx, reportId, {
      categoryId: category?.id ?? null,
      point: movesPin ? { lon: input.lon!, lat: input.lat!, areaId: areaId!, ...address! } : null,
    });
    const revision = await appendReportHistory(tx, {
      reportId,
      actor: `staff:${user.id}`,
      event: 'requalified',
      isPublic: false,
      data: { category: input.category ?? null, lon: input.lon ?? null, lat: input.lat ?? null },
    });
    await insertOutboxJob(tx, 'report.route', { reportId, revision });
  });
  return { id: reportId };
}

/**
 * Who a staff user may assign reports to: a supervisor the crews of its service, an admin every
 * crew, a crew member only itself (it may take a report of its team, not hand one out).
 */
export async function listAssignees(deps: { db: Pool }, user: StaffUser): Promise<AssigneeChoices> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  const crew = await findActiveCrew(deps.db, await teamIdsInScope(deps.db, user));
  return {
    assignees: crew
      .filter((member) => user.role !== 'crew' || member.id === user.id)
      .map((member) => ({ id: member.id, displayName: member.display_name, team: member.team_name })),
  };
}

/**
 * Assigns a report to a crew member, or clears the assignment (`userId: null`). A supervisor or an
 * admin may assign an open report in scope to an active crew member of the report's team or of a
 * team in their own scope; a crew member may only take a report of its team, or give back its own.
 * The change is kept in the history, internal only.
 */
export async function assignReport(
  deps: { db: Pool },
  user: StaffUser,
  reportId: string,
  input: AssignBody,
): Promise<Assignment> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (!isUuid(reportId)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  const { userId } = input;
  if (user.role === 'crew' && userId !== null && userId !== user.id) {
    throw new AppError('FORBIDDEN', 'A crew member may only take a report for themselves.');
  }
  const assignee = userId === null ? null : await findActiveCrewMember(deps.db, userId);
  if (userId !== null && !assignee) throw new AppError('ASSIGNEE_INVALID', 'No active crew member with this id.');
  return withTransaction(deps.db, async (tx) => {
    const report = await lockReportInScope(tx, user, reportId);
    if (!report) throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your queues.');
    if (!OPEN_STATUSES.includes(report.status)) {
      throw new AppError('REPORT_CLOSED', 'A closed report cannot be assigned; reopen it first.');
    }
    if (user.role === 'crew' && userId === null && report.assignedTo !== user.id) {
      throw new AppError('FORBIDDEN', 'A crew member may only give back a report assigned to themselves.');
    }
    if (assignee && assignee.team_id !== report.teamId) {
      const teams = await teamIdsInScope(tx, user);
      if (!teams.includes(assignee.team_id)) {
        throw new AppError('ASSIGNEE_INVALID', 'This crew member works outside the teams you manage.');
      }
    }
    if (report.assignedTo !== userId) {
      await updateAssignee(tx, reportId, userId);
      await appendReportHistory(tx, {
        reportId,
        actor: `staff:${user.id}`,
        event: 'assigned',
        isPublic: false,
        data: { from: report.assignedTo, to: userId },
      });
    }
    return { id: reportId, assignee: assignee && { id: assignee.id, displayName: assignee.display_name } };
  });
}

/**
 * One action on many reports, each through the same service function as the single action (so the
 * state machine, the required details and the scope apply to each), each in its own transaction:
 * one report that cannot move does not hold the others back. Answers one result per distinct id.
 */
export async function bulkAction(
  deps: { db: Pool; log?: { error: (obj: object, msg: string) => void } },
  user: StaffUser,
  input: BulkActionBody,
): Promise<BulkActionResults> {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (input.ids.length > BULK_MAX_IDS) {
    throw new AppError('VALIDATION_FAILED', `At most ${BULK_MAX_IDS} reports at a time.`);
  }
  if (input.action === 'assign' && input.userId === undefined) {
    throw new AppError('VALIDATION_FAILED', 'Bulk assignment needs userId (a crew member id, or null).');
  }
  const run = (id: string): Promise<unknown> => {
    if (input.action === 'assign') return assignReport(deps, user, id, { userId: input.userId ?? null });
    // A resolution without an "after" photo is allowed one by one, so it is in bulk too.
    return transitionReport(deps, user, id, {
      to: input.action === 'acknowledge' ? 'acknowledged' : 'resolved',
      message: input.message,
    });
  };
  const ids = [...new Set(input.ids)];
  const refs = await findRefsInScope(deps.db, user, ids.filter(isUuid));
  const results: BulkActionResult[] = [];
  for (const id of ids) {
    const ref = refs.get(id) ?? null;
    try {
      await run(id);
      results.push({ id, ref, ok: true });
    } catch (error) {
      if (isAppError(error)) {
        results.push({ id, ref, ok: false, code: error.code, message: error.message });
      } else {
        deps.log?.error({ err: error, reportId: id }, 'bulk action failed');
        results.push({ id, ref, ok: false, code: 'INTERNAL', message: 'This report could not be changed; try again.' });
      }
    }
  }
  return { results };
}

/**
 * The teams whose queue changes a staff user hears on the live stream, or null for every change
 * (council and admin, who also see reports not yet routed).
 */
export async function findStaffEventScope(deps: { db: Pool }, user: StaffUser): Promise<ReadonlySet<number> | null> {
  requireRole(user, ['crew', 'supervisor', 'council', 'admin']);
  if (user.role === 'council' || user.role === 'admin') return null;
  return new Set(await teamIdsInScope(deps.db, user));
}
