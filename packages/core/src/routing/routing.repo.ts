import { CITY_TIME_ZONE } from '@pave/shared';
import type { Db } from '../db/pool';

export interface RoutingRuleMatch {
  ruleId: number;
  teamId: number;
  teamName: string;
  /** The Europe/Paris wall-clock time the rules were evaluated for, e.g. "2026-03-28T23:30:00". */
  localTime: string;
}

/**
 * The first active rule, by position, whose non-null criteria all match, including its time window
 * evaluated on `at` in Europe/Paris local time (AT TIME ZONE follows the DST changes).
 * A window crossing midnight belongs to the day it starts on, so after midnight the day checked is
 * the previous one.
 */
export async function findFirstMatchingRule(
  db: Db,
  criteria: { categoryId: number; groupId: number; areaId: number | null; at: Date },
): Promise<RoutingRuleMatch | null> {
  const { rows } = await db.query<{ id: number; team_id: number; team_name: string; local_time: string }>(
    `WITH w AS (
       SELECT local, local::time AS tod, extract(isodow FROM local)::smallint AS dow,
              extract(isodow FROM local - interval '1 day')::smallint AS prev_dow
         FROM (SELECT $4::timestamptz AT TIME ZONE '${CITY_TIME_ZONE}' AS local) l
     )
     SELECT rr.id, rr.team_id, t.name AS team_name, to_char(w.local, 'YYYY-MM-DD"T"HH24:MI:SS') AS local_time
       FROM routing_rules rr JOIN teams t ON t.id = rr.team_id CROSS JOIN w
      WHERE rr.is_active
        AND (rr.category_id IS NULL OR rr.category_id = $1)
        AND (rr.category_group_id IS NULL OR rr.category_group_id = $2)
        AND (rr.area_id IS NULL OR rr.area_id = $3)
        AND CASE
              WHEN rr.time_from IS NULL THEN rr.days IS NULL OR w.dow = ANY (rr.days)
              WHEN rr.time_from < rr.time_to THEN
                w.tod >= rr.time_from AND w.tod < rr.time_to AND (rr.days IS NULL OR w.dow = ANY (rr.days))
              ELSE (w.tod >= rr.time_from AND (rr.days IS NULL OR w.dow = ANY (rr.days)))
                OR (w.tod < rr.time_to AND (rr.days IS NULL OR w.prev_dow = ANY (rr.days)))
            END
      ORDER BY rr.position, rr.id
      LIMIT 1`,
    [criteria.categoryId, criteria.groupId, criteria.areaId, criteria.at],
  );
  const r = rows[0];
  return r ? { ruleId: r.id, teamId: r.team_id, teamName: r.team_name, localTime: r.local_time } : null;
}
