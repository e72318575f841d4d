import type { ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';
import type { StaffUser } from './staff.repo';

export interface QueueFilter {
  statuses: readonly ReportStatus[];
  categoryCode: string | null;
  areaCode: string | null;
  teamCode: string | null;
  lateOnly: boolean;
  search: string | null;
  limit: number;
}

export interface QueueRow {
  id: string;
  ref: string;
  status: ReportStatus;
  priority: number;
  severity: string;
  category_code: string;
  category_label_fr: string;
  team_name: string | null;
  area_name: string | null;
  description: string;
  lon: number;
  lat: number;
  created_at: Date;
  deadline_at: Date | null;
  is_late: boolean;
  support_count: number;
}

/**
 * The SQL condition limiting reports to what a staff user may see: a crew its team, a supervisor
 * the teams of its service, council and admin everything. Returns the clause and its parameters.
 */
function scopeOf(user: StaffUser, firstParam: number): { clause: string; params: unknown[] } {
  if (user.role === 'crew') return { clause: `r.team_id = $${firstParam}`, params: [user.teamId] };
  if (user.role === 'supervisor') {
    return { clause: `t.service = $${firstParam}`, params: [user.service] };
  }
  return { clause: 'true', params: [] };
}

/** The triage queue: late first, then priority, then the nearest deadline. */
export async function findQueue(db: Db, user: StaffUser, filter: QueueFilter): Promise<QueueRow[]> {
  const scope = scopeOf(user, 9);
  const { rows } = await db.query<QueueRow>(
    `SELECT r.id, r.ref, r.status, r.priority, r.severity, c.code AS category_code, c.label_fr AS category_label_fr,
            t.name AS team_name, a.name AS area_name, r.description, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
            r.created_at, r.deadline_at, coalesce(r.deadline_at < now(), false) AS is_late, r.support_count
       FROM reports r
       JOIN categories c ON c.id = r.category_id
       LEFT JOIN teams t ON t.id = r.team_id
       LEFT JOIN service_areas a ON a.id = r.area_id
      WHERE r.status = ANY($1)
        AND ($2::text IS NULL OR c.code = $2)
        AND ($3::text IS NULL OR a.code = $3)
        AND ($4::text IS NULL OR t.code = $4)
        AND (NOT $5 OR r.deadline_at < now())
        AND ($6::text IS NULL OR r.ref ILIKE $6 OR r.description ILIKE $7 OR r.address ILIKE $7)
        AND ${scope.clause}
      ORDER BY coalesce(r.deadline_at < now(), false) DESC, r.priority, r.deadline_at NULLS LAST, r.created_at
      LIMIT $8`,
    [
      filter.statuses,
      filter.categoryCode,
      filter.areaCode,
      filter.teamCode,
      filter.lateOnly,
      filter.search ? `${filter.search}%` : null,
      filter.search ? `%${filter.search.replace(/[%_\\]/g, '\\$&')}%` : null,
      filter.limit,
      ...scope.params,
    ],
  );
  return rows;
}

/** Locks one report for a status change, if the user's scope includes it. */
export async function lockReportInScope(
  db: Db,
  user: StaffUser,
  reportId: string,
): Promise<{ id: string; status: ReportStatus } | null> {
  const scope = scopeOf(user, 2);
  const { rows } = await db.query<{ id: string; status: ReportStatus }>(
    `SELECT r.id, r.status FROM reports r LEFT JOIN teams t ON t.id = r.team_id
      WHERE r.id = $1 AND ${scope.clause} FOR UPDATE OF r`,
    [reportId, ...scope.params],
  );
  return rows[0] ?? null;
}

export async function updateTriageFields(
  db: Db,
  reportId: string,
  fields: { scheduledFor?: Date; rejectionReason?: string; duplicateOf?: string; transferredTo?: string },
): Promise<void> {
  await db.query(
    `UPDATE reports SET scheduled_for = coalesce($2, scheduled_for), rejection_reason = coalesce($3, rejection_reason),
            duplicate_of = coalesce($4, duplicate_of), transferred_to = coalesce($5, transferred_to)
      WHERE id = $1`,
    [
      reportId,
      fields.scheduledFor ?? null,
      fields.rejectionReason ?? null,
      fields.duplicateOf ?? null,
      fields.transferredTo ?? null,
    ],
  );
}

/**
 * Folds a duplicate into its original: the duplicate's followers and its reporter follow the original,
 * its "+1"s move over (one per device), and the original's support count is recounted.
 */
export async function mergeDuplicateInto(db: Db, duplicateId: string, originalId: string): Promise<void> {
  await db.query(
    `INSERT INTO report_followers (report_id, email)
     SELECT $2::uuid, email FROM report_followers WHERE report_id = $1 AND unsubscribed_at IS NULL
     UNION SELECT $2::uuid, reporter_email FROM reports WHERE id = $1 AND reporter_email IS NOT NULL
     ON CONFLICT (report_id, email) DO NOTHING`,
    [duplicateId, originalId],
  );
  await db.query(
    `INSERT INTO report_supports (report_id, device_id)
     SELECT $2::uuid, device_id FROM report_supports WHERE report_id = $1
     ON CONFLICT DO NOTHING`,
    [duplicateId, originalId],
  );
  // The duplicate itself is one more resident who saw the problem.
  await db.query(
    `UPDATE reports SET support_count =
       (SELECT count(*) FROM report_supports WHERE report_id = $1)
       + (SELECT count(*) FROM reports WHERE duplicate_of = $1)
      WHERE id = $1`,
    [originalId],
  );
}

/** Whether a report exists and is not itself closed as a duplicate (a valid merge target). */
export async function isMergeTarget(db: Db, reportId: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM reports WHERE id = $1 AND status <> 'duplicate'`, [reportId]);
  return rows.length > 0;
}

/** Changes a report's category and/or point and clears its routing, so it is routed again. */
export async function requalify(
  db: Db,
  reportId: string,
  change: { categoryId: number | null; lon: number | null; lat: number | null; areaId: number | null },
): Promise<void> {
  await db.query(
    `UPDATE reports SET
        category_id = coalesce($2, category_id),
        geom = CASE WHEN $3::float8 IS NULL THEN geom ELSE ST_SetSRID(ST_MakePoint($3, $4), 4326) END,
        area_id = CASE WHEN $3::float8 IS NULL THEN area_id ELSE $5 END,
        team_id = NULL, routing_rule_id = NULL, routed_at = NULL, updated_at = now()
      WHERE id = $1`,
    [reportId, change.categoryId, change.lon, change.lat, change.areaId],
  );
}
