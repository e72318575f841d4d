import { computeDeadline } from '@pave/shared';
import type { Db } from '../db/pool';
import { findRoutingInput, recordRoutingDecision } from './routing.repo';

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
 * deadline and deciding rule, and appends the decision to the history. Two statements and two round
 * trips, without a transaction around them: one reads (area and rule included), one writes the decision
 * and what follows it only if the report is still unrouted, which is what a row lock held between the
 * two would have ensured (two more round trips, BEGIN and COMMIT, for every report).
 * Rules are read from the database on every call, so an admin's change applies to the next report.
 * Idempotent: a report that already has a team is left as it is, even when two routings race.
 */
export async function routeReport(db: Db, reportId: string): Promise<RouteOutcome> {
  const input = await findRoutingInput(db, reportId);
  if (!input) return { outcome: 'report-missing' };
  if (input.isRouted) return { outcome: 'already-routed' };
  const { rule, areaId } = input;
  if (!rule) return { outcome: 'no-rule' };

  // The creation time, not now: a report retried after an outage is routed as when it was filed.
  const deadlineAt = computeDeadline(input.createdAt, input.deadlineHours, input.deadlineMode);
  // Deadline checks: at the deadline, and again at twice the allowed time ("very late").
  const veryLateAt = new Date(deadlineAt.getTime() + (deadlineAt.getTime() - input.createdAt.getTime()));
  const deadline = deadlineAt.toISOString();
  const isRecorded = await recordRoutingDecision(db, {
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
  // Another routing of the same report wrote first, between this call's read and its write.
  if (!isRecorded) return { outcome: 'already-routed' };
  return { outcome: 'routed', ...rule, areaId, deadlineAt };
}
