import { computeDeadline } from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { lockRoutingInput, recordRoutingDecision } from './routing.repo';

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
 * deadline and deciding rule, and appends the decision to the history. Two statements in one
 * transaction: read and lock (area and rule included), then write the decision and what follows it.
 * Rules are read from the database on every call, so an admin's change applies to the next report.
 * Idempotent: a report that already has a team is left as it is.
 */
export async function routeReport(db: Pool, reportId: string): Promise<RouteOutcome> {
  return withTransaction(db, async (tx) => {
    const input = await lockRoutingInput(tx, reportId);
    if (!input) return { outcome: 'report-missing' };
    if (input.isRouted) return { outcome: 'already-routed' };
    const { rule, areaId } = input;
    if (!rule) return { outcome: 'no-rule' };

    // The creation time, not now: a report retried after an outage is routed as when it was filed.
    const deadlineAt = computeDeadline(input.createdAt, input.deadlineHours, input.deadlineMode);
    // Deadline checks: at the deadline, and again at twice the allowed time ("very late").
    const veryLateAt = new Date(deadlineAt.getTime() + (deadlineAt.getTime() - input.createdAt.getTime()));
    const deadline = deadlineAt.toISOString();
    await recordRoutingDecision(tx, {
      reportId,
      areaId,
      teamId: rule.teamId,
      ruleId: rule.ruleId,
      deadlineAt,
      lateChecks: [
        { payload: { reportId, deadlineAt: deadline, level: 'late' }, runAt: deadlineAt },
        { payload: { reportId, deadlineAt: deadline, level: 'very_late' }, runAt: veryLateAt },
      ],
      history: {
        teamId: rule.teamId,
        teamName: rule.teamName,
        ruleId: rule.ruleId,
        areaId,
        localTime: rule.localTime,
        deadlineAt: deadline,
      },
    });
    return { outcome: 'routed', ...rule, areaId, deadlineAt };
  });
}
