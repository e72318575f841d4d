import type { Db } from '../db/pool';

export interface RoutingRuleMatch {
  ruleId: number;
  teamId: number;
  teamName: string;
}

/** The first active rule, by position, whose non-null criteria all match. */
export async function findFirstMatchingRule(
  db: Db,
  criteria: { categoryId: number; groupId: number; areaId: number | null },
): Promise<RoutingRuleMatch | null> {
  const { rows } = await db.query<{ id: number; team_id: number; team_name: string }>(
    `SELECT rr.id, rr.team_id, t.name AS team_name
       FROM routing_rules rr JOIN teams t ON t.id = rr.team_id
      WHERE rr.is_active
        AND (rr.category_id IS NULL OR rr.category_id = $1)
        AND (rr.category_group_id IS NULL OR rr.category_group_id = $2)
        AND (rr.area_id IS NULL OR rr.area_id = $3)
      ORDER BY rr.position, rr.id
      LIMIT 1`,
    [criteria.categoryId, criteria.groupId, criteria.areaId],
  );
  const r = rows[0];
  return r ? { ruleId: r.id, teamId: r.team_id, teamName: r.team_name } : null;
}
