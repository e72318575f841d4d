import type { ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';

/** A report's own row as the nearby lookup needs it, if it is in the given team scope. */
export async function findReportForNearby(
  db: Db,
  reportId: string,
  teamIds: readonly number[] | null,
): Promise<{ id: string } | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT r.id FROM reports r WHERE r.id = $1 AND ($2::int[] IS NULL OR r.team_id = ANY($2))`,
    [reportId, teamIds],
  );
  return rows[0] ?? null;
}

export interface StaffNearbyRow {
  id: string;
  ref: string;
  status: ReportStatus;
  distance_m: number;
  created_at: Date;
  closed_at: Date | null;
  excerpt: string;
  support_count: number;
  follower_count: number;
  is_in_scope: boolean;
}

/**
 * Reports of the same category as `reportId` within `radiusM` metres, open or closed less than
 * `closedWithinDays` days ago, nearest first. Left out: the report itself, and every report already
 * closed as a duplicate (of this one or of another), since neither can be merged with anything.
 * `is_in_scope` says whether the user's scope (`teamIds`, null for all) holds the near report, so the
 * caller knows whether it may close that one as a duplicate of this one.
 */
export async function findNearbySameCategory(
  db: Db,
  query: {
    reportId: string;
    radiusM: number;
    closedWithinDays: number;
    teamIds: readonly number[] | null;
    limit: number;
  },
): Promise<StaffNearbyRow[]> {
  const { rows } = await db.query<StaffNearbyRow>(
    `SELECT n.id, n.ref, n.status, ST_Distance(n.geom::geography, me.geom::geography, false) AS distance_m,
            n.created_at, n.closed_at, left(n.description, 160) AS excerpt, n.support_count,
            (SELECT count(*)::int FROM report_followers f
              WHERE f.report_id = n.id AND f.unsubscribed_at IS NULL) AS follower_count,
            ($5::int[] IS NULL OR coalesce(n.team_id = ANY($5), false)) AS is_in_scope
       FROM reports me
       JOIN reports n ON n.category_id = me.category_id AND n.id <> me.id
      WHERE me.id = $1
        -- Sphere, not spheroid: within 50 m the difference is millimetres. The geometry envelope
        -- (a little larger than the circle) lets the GiST index pick the candidates.
        AND n.geom && ST_Expand(me.geom, $2 * 1.1 / (111320 * cos(radians(ST_Y(me.geom)))), $2 * 1.1 / 111320)
        AND ST_DWithin(n.geom::geography, me.geom::geography, $2, false)
        AND n.status <> 'duplicate' AND n.duplicate_of IS DISTINCT FROM me.id
        AND (n.closed_at IS NULL OR n.closed_at > now() - make_interval(days => $3))
      ORDER BY distance_m, n.created_at
      LIMIT $4`,
    [query.reportId, query.radiusM, query.closedWithinDays, query.limit, query.teamIds],
  );
  return rows;
}
