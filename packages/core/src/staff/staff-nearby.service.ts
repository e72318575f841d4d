import { AppError, isUuid } from '@pave/shared';
import { findDuplicateRadiusOfReport } from '../categories/categories.repo';
import type { Pool } from '../db/pool';
import { findReportForNearby, findNearbySameCategory } from './staff-nearby.repo';
import { findTeamsInScope } from './staff-reports.repo';
import { requireRole } from './roles';
import type { StaffUser } from './staff.repo';

// The rule for "the same problem": same category, within the category's duplicate radius (50 m
// unless an admin set another), open or closed in the last 30 days.
export const STAFF_NEARBY_CLOSED_DAYS = 30;
// A pavement with more near reports than this is a list to triage in the queue, not here.
const STAFF_NEARBY_LIMIT = 20;

/**
 * Reports near one report of the user's scope that may describe the same problem, for the one-click
 * "duplicate of" in the detail. Scoped like the actions on that report (a crew its team's reports);
 * the near reports themselves may belong to any team, each flagged with whether it is in scope.
 */
export async function listNearbyForStaff(deps: { db: Pool }, user: StaffUser, reportId: string) {
  requireRole(user, ['crew', 'supervisor', 'admin']);
  if (!isUuid(reportId)) throw new AppError('REPORT_NOT_FOUND', 'No report with this id.');
  // Admin sees every report, routed or not; the others the teams of their scope.
  const teamIds = user.role === 'admin' ? null : (await findTeamsInScope(deps.db, user)).map((t) => t.id);
  if (!(await findReportForNearby(deps.db, reportId, teamIds))) {
    throw new AppError('REPORT_NOT_FOUND', 'No report with this id in your queues.');
  }
  const radiusM = (await findDuplicateRadiusOfReport(deps.db, reportId))!;
  const rows = await findNearbySameCategory(deps.db, {
    reportId,
    radiusM,
    closedWithinDays: STAFF_NEARBY_CLOSED_DAYS,
    teamIds,
    limit: STAFF_NEARBY_LIMIT,
  });
  return {
    radiusM,
    reports: rows.map((r) => ({
      id: r.id,
      ref: r.ref,
      status: r.status,
      distanceM: Math.round(r.distance_m),
      createdAt: r.created_at.toISOString(),
      closedAt: r.closed_at?.toISOString() ?? null,
      excerpt: r.excerpt,
      supportCount: r.support_count,
      followerCount: r.follower_count,
      isInScope: r.is_in_scope,
    })),
  };
}
