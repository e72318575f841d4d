import { CITY_TIME_ZONE, jobIdFor, type DeadlineMode, type JobPayload } from '@pave/shared';
import { smallestAreaCoveringSql } from '../areas/areas.repo';
import type { Db } from '../db/pool';

export interface RoutingRuleMatch {
  ruleId: number;
  teamId: number;
  teamName: string;
  /** The Europe/Paris wall-clock time the rules were evaluated for, e.g. "2026-03-28T23:30:00". */
  localTime: string;
}

/** A report as routing sees it, with its service area and the rule that matches it, if any. */
export interface RoutingInput {
  isRouted: boolean;
  areaId: number | null;
  deadlineHours: number;
  deadlineMode: DeadlineMode;
  createdAt: Date;
  rule: RoutingRuleMatch | null;
}

/**
 * Reads a report for routing and, in the same round trip, finds its service area (the one it has, or
 * the smallest covering its point) and the first active rule, by position, whose non-null criteria all
 * match, including its time window evaluated on the report's creation time in the city's local time
 * (AT TIME ZONE follows the DST changes). A window crossing midnight belongs to the day it starts on,
 * so after midnight the day checked is the previous one. The deadline is the town's for the category
 * when its offer sets one, else the catalogue's. Null when the report does not exist.
 * Takes no lock: `recordRoutingDecision` writes only if the report is still unrouted.
 */
export async function findRoutingInput(db: Db, reportId: string): Promise<RoutingInput | null> {
  const { rows } = await db.query<{
    is_routed: boolean;
    area_id: number | null;
    deadline_hours: number;
    deadline_mode: DeadlineMode;
    created_at: Date;
    rule_id: number | null;
    team_id: number | null;
    team_name: string | null;
    local_time: string;
  }>(
    `SELECT r.team_id IS NOT NULL AND r.routing_rule_id IS NOT NULL AS is_routed, a.area_id,
            coalesce(tc.deadline_hours, c.deadline_hours) AS deadline_hours, c.deadline_mode, r.created_at,
            m.id AS rule_id, m.team_id, m.team_name, to_char(w.local, 'YYYY-MM-DD"T"HH24:MI:SS') AS local_time
       FROM reports r
       JOIN categories c ON c.id = r.category_id
       -- The town's offer of the category, when it has one: its own deadline (null: the catalogue's),
       -- the one residents were shown when they chose the category.
       LEFT JOIN town_categories tc ON tc.town_code = r.town_code AND tc.category_id = c.id AND tc.is_active
      CROSS JOIN LATERAL (
        SELECT coalesce(r.area_id, ${smallestAreaCoveringSql('r.geom')}) AS area_id) a
      CROSS JOIN LATERAL (
        SELECT local, local::time AS tod, extract(isodow FROM local)::smallint AS dow,
               extract(isodow FROM local - interval '1 day')::smallint AS prev_dow
          FROM (SELECT r.created_at AT TIME ZONE '${CITY_TIME_ZONE}' AS local) l) w
       LEFT JOIN LATERAL (
        SELECT rr.id, rr.team_id, t.name AS team_name
          FROM routing_rules rr JOIN teams t ON t.id = rr.team_id
         WHERE rr.is_active
           -- Towns (issue #19): a town's rules apply in that town, and only to a category it offers
           -- (an active town_categories row, tc); town-less rules (a body serving several towns) apply
           -- everywhere, so a category the town does not handle falls to them (two-tier routing).
           AND (rr.town_code IS NULL OR (rr.town_code = r.town_code AND tc.category_id IS NOT NULL))
           AND (rr.category_id IS NULL OR rr.category_id = c.id)
           AND (rr.category_group_id IS NULL OR rr.category_group_id = c.group_id)
           AND (rr.area_id IS NULL OR rr.area_id = a.area_id)
           AND CASE
                 WHEN rr.time_from IS NULL THEN rr.days IS NULL OR w.dow = ANY (rr.days)
                 WHEN rr.time_from < rr.time_to THEN
                   w.tod >= rr.time_from AND w.tod < rr.time_to AND (rr.days IS NULL OR w.dow = ANY (rr.days))
                 ELSE (w.tod >= rr.time_from AND (rr.days IS NULL OR w.dow = ANY (rr.days)))
                   OR (w.tod < rr.time_to AND (rr.days IS NULL OR w.prev_dow = ANY (rr.days)))
               END
         ORDER BY rr.position, rr.id
         LIMIT 1) m ON true
      WHERE r.id = $1`,
    [reportId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    isRouted: r.is_routed,
    areaId: r.area_id,
    deadlineHours: r.deadline_hours,
    deadlineMode: r.deadline_mode,
    createdAt: r.created_at,
    rule:
      r.rule_id === null
        ? null
        : { ruleId: r.rule_id, teamId: r.team_id!, teamName: r.team_name!, localTime: r.local_time },
  };
}

/** A routing decision and what follows from it: the deadline checks to schedule and the public history entry. */
export interface RoutingDecision {
  reportId: string;
  areaId: number | null;
  teamId: number;
  ruleId: number;
  deadlineAt: Date;
  /** `report.late` checks, each enqueued by the outbox relay at its `runAt`. */
  lateChecks: { payload: JobPayload<'report.late'>; runAt: Date }[];
  history: Record<string, unknown>;
}

/**
 * Stores a routing decision in one statement: the report's area, team, rule and deadline, the
 * deadline checks' outbox rows and the `routed` history entry. The update is conditional on the
 * report being still unrouted (the same test as `isRouted`), so of two routings racing for one report
 * only one writes; the other's checks and history entry, which hang off the update, are not written.
 * True when this call routed the report.
 */
export async function recordRoutingDecision(db: Db, decision: RoutingDecision): Promise<boolean> {
  const checks = decision.lateChecks.map((c) => ({
    job_id: jobIdFor('report.late', c.payload),
    payload: c.payload,
    run_at: c.runAt.toISOString(),
  }));
  const { rowCount } = await db.query(
    `WITH routed AS (
       UPDATE reports SET area_id = $2, team_id = $3, routing_rule_id = $4, deadline_at = $5,
              routed_at = now(), updated_at = now()
        WHERE id = $1 AND NOT (team_id IS NOT NULL AND routing_rule_id IS NOT NULL) RETURNING id),
     checks AS (
       INSERT INTO outbox (job_name, job_id, payload, run_at)
       SELECT 'report.late', c.job_id, c.payload, c.run_at
         FROM routed, jsonb_to_recordset($6::jsonb) AS c(job_id text, payload jsonb, run_at timestamptz))
     INSERT INTO report_history (report_id, actor, event, is_public, data)
     SELECT id, 'system', 'routed', true, $7 FROM routed`,
    [
      decision.reportId,
      decision.areaId,
      decision.teamId,
      decision.ruleId,
      decision.deadlineAt,
      JSON.stringify(checks),
      JSON.stringify(decision.history),
    ],
  );
  return rowCount === 1;
}
