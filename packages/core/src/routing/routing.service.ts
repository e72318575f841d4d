import { computeDeadline } from '@pave/shared';
import { findAreaIdAt } from '../areas/areas.repo';
import { withTransaction, type Pool } from '../db/pool';
import { insertOutboxJob } from '../outbox/outbox.repo';
import { appendReportHistory, lockReportForRouting, updateReportRouting } from '../reports/reports.repo';
import { findFirstMatchingRule } from './routing.repo';

export type RouteOutcome =
  | {
      outcome: 'routed';
      teamId: number;
      teamName: string;
      ruleId: number;
      localTime: string;
      areaId: number | null;
      deadlineAt: Date;
    }
  | { outcome: 'already-routed' }
  | { outcome: 'report-missing' }
  | { outcome: 'no-rule' };

/**
 * Routes a report to a team: finds its service area, applies the first matching rule for the
 * report's creation time (time windows send nights and week-ends to on-call teams), stores team,
 * deadline and deciding rule, and appends the decision to the history.
 * Rules are read from the database on every call, so an admin's change applies to the next report.
 * Idempotent: a report that already has a team is left as it is.
 */
export async function routeReport(db: Pool, reportId: string): Promise<RouteOutcome> {
  return withTransaction(db, async (tx) => {
    const report = await lockReportForRouting(tx, reportId);
    if (!report) return { outcome: 'report-missing' };
    if (report.teamId !== null && report.routingRuleId !== null) return { outcome: 'already-routed' };

    const areaId = report.areaId ?? (await findAreaIdAt(tx, report.lon, report.lat));
    // The creation time, not now: a report retried after an outage is routed as when it was filed.
    const rule = await findFirstMatchingRule(tx, {
      categoryId: report.categoryId,
      groupId: report.groupId,
      areaId,
      at: report.createdAt,
    });
    if (!rule) return { outcome: 'no-rule' };

    const deadlineAt = computeDeadline(report.createdAt, report.deadlineHours, report.deadlineMode);
    await updateReportRouting(tx, reportId, { areaId, teamId: rule.teamId, ruleId: rule.ruleId, deadlineAt });
    // Deadline checks: at the deadline, and again at twice the allowed time ("very late").
    const veryLateAt = new Date(deadlineAt.getTime() + (deadlineAt.getTime() - report.createdAt.getTime()));
    for (const [level, runAt] of [
      ['late', deadlineAt],
      ['very_late', veryLateAt],
    ] as const) {
      await insertOutboxJob(tx, 'report.late', { reportId, deadlineAt: deadlineAt.toISOString(), level }, { runAt });
    }
    await appendReportHistory(tx, {
      reportId,
      actor: 'system',
      event: 'routed',
      isPublic: true,
      data: {
        teamId: rule.teamId,
        teamName: rule.teamName,
        ruleId: rule.ruleId,
        areaId,
        localTime: rule.localTime,
        deadlineAt: deadlineAt.toISOString(),
      },
    });
    return { outcome: 'routed', ...rule, areaId, deadlineAt };
  });
}
