import type { ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';
import type { StaffUser } from './staff.repo';

export interface QueueFilter {
  statuses: readonly ReportStatus[];
  categoryCode: string | null;
  areaCode: string | null;
  teamCode: string | null;
  lateOnly: boolean;
  /** `me`/`none`, or a staff user id. */
  assignee: { kind: 'none' } | { kind: 'user'; userId: number } | null;
  /** The raw text, for the reference prefix match. */
  search: string | null;
  /** The same text as a `pave_fr` tsquery (prefix terms joined by &), or null when it has no word. */
  searchQuery: string | null;
  /** A POSIX regex for references by their number ("653", "000653" → `^(pav-)?[0-9]{4}-0*653$`), or null. */
  refPattern: string | null;
  /** Street words and house number to look up in the address index (`addresses`), or null. */
  address: { street: string; number: number | null } | null;
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
  address: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
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

/**
 * The triage queue: late first, then priority, then the nearest deadline. The search matches a
 * reference by prefix or by its number alone, the French full-text index over reference, address
 * and description (migration 007), or the report's numbered address through the address index,
 * which knows "bd" for "boulevard" and leaves out "de la" (migration 018).
 *
 * Late and on-time reports are read in two branches, each walking `reports_queue_order_idx`
 * (migration 013) in its own order and stopping at the page size: a single ORDER BY on
 * "deadline < now()" cannot use an index, and made a supervisor's page over 80,000 open reports
 * sort all of them (0.9 s; 0.09 s this way, EXPLAIN ANALYZE over the 100k-open fixture). The
 * scope is an id list for the same reason: a join on teams hid its selectivity from the planner.
 */
export async function findQueue(db: Db, user: StaffUser, filter: QueueFilter): Promise<QueueRow[]> {
  const scope =
    user.role === 'crew'
      ? { clause: 'r.team_id = $14', params: [user.teamId] }
      : user.role === 'supervisor'
        ? { clause: 'r.team_id = ANY(ARRAY(SELECT id FROM teams WHERE service = $14))', params: [user.service] }
        : { clause: 'true', params: [] };
  const matches = `r.status = ANY($1)
        AND ($2::text IS NULL OR r.category_id = (SELECT id FROM categories WHERE code = $2))
        AND ($3::text IS NULL OR r.area_id = (SELECT id FROM service_areas WHERE code = $3))
        AND ($4::text IS NULL OR r.team_id = (SELECT id FROM teams WHERE code = $4))
        AND ($6::text IS NULL OR r.ref ILIKE $6
             OR ($7::text IS NOT NULL AND r.search @@ to_tsquery('pave_fr', $7))
             OR ($11::text IS NOT NULL AND r.ref ~* $11)
             OR ($12::text IS NOT NULL AND r.address_id IS NOT NULL AND EXISTS (
                   SELECT 1 FROM addresses ad JOIN address_streets st ON st.id = ad.street_id
                    WHERE ad.id = r.address_id AND ($13::int IS NULL OR ad.number = $13)
                      AND st.words @@ (CASE WHEN pave_address_normalize($12) = '' THEN NULL
                                            ELSE to_tsquery('simple', replace(pave_address_normalize($12), ' ', ':* & ') || ':*') END))))
        AND ($8::text IS NULL OR ($8 = 'none' AND r.assigned_to IS NULL) OR r.assigned_to = $9)
        AND ${scope.clause}`;
  const { rows } = await db.query<QueueRow>(
    `WITH late AS (
       SELECT r.id FROM reports r
        WHERE ${matches} AND r.deadline_at < now()
        ORDER BY r.priority, r.deadline_at, r.created_at
        LIMIT $10),
     on_time AS (
       SELECT r.id FROM reports r
        WHERE ${matches} AND NOT $5 AND (r.deadline_at >= now() OR r.deadline_at IS NULL)
        ORDER BY r.priority, r.deadline_at NULLS LAST, r.created_at
        LIMIT $10)
     SELECT r.id, r.ref, r.status, r.priority, r.severity, c.code AS category_code, c.label_fr AS category_label_fr,
            t.name AS team_name, a.name AS area_name, r.description, r.address,
            u.id AS assignee_id, u.display_name AS assignee_name, ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat,
            r.created_at, r.deadline_at, coalesce(r.deadline_at < now(), false) AS is_late, r.support_count
       FROM (SELECT id FROM late UNION ALL SELECT id FROM on_time) page
       JOIN reports r ON r.id = page.id
       JOIN categories c ON c.id = r.category_id
       LEFT JOIN teams t ON t.id = r.team_id
       LEFT JOIN service_areas a ON a.id = r.area_id
       LEFT JOIN staff_users u ON u.id = r.assigned_to
      ORDER BY coalesce(r.deadline_at < now(), false) DESC, r.priority, r.deadline_at NULLS LAST, r.created_at
      LIMIT $10`,
    [
      filter.statuses,
      filter.categoryCode,
      filter.areaCode,
      filter.teamCode,
      filter.lateOnly,
      filter.search ? `${filter.search.replace(/[%_\\]/g, '\\$&')}%` : null,
      filter.searchQuery,
      filter.assignee?.kind ?? null,
      filter.assignee?.kind === 'user' ? filter.assignee.userId : null,
      filter.limit,
      filter.refPattern,
      filter.address?.street ?? null,
      filter.address?.number ?? null,
      ...scope.params,
    ],
  );
  return rows;
}

/**
 * Whether a staff user may read one report in detail: crews their team's, supervisors their
 * service's, agents the reports they filed for a resident, council and admins every report. The
 * queue's scope clause, so the detail and the queue can never disagree.
 */
export async function isReportReadableBy(db: Db, user: StaffUser, reportId: string): Promise<boolean> {
  if (user.role === 'agent') {
    const { rows } = await db.query(
      `SELECT 1 FROM report_history WHERE report_id = $1 AND event = 'assisted_filing' AND actor = $2`,
      [reportId, `staff:${user.id}`],
    );
    return rows.length > 0;
  }
  const scope = scopeOf(user, 2);
  const { rows } = await db.query(
    `SELECT 1 FROM reports r LEFT JOIN teams t ON t.id = r.team_id WHERE r.id = $1 AND ${scope.clause}`,
    [reportId, ...scope.params],
  );
  return rows.length > 0;
}

/** The references of those reports the user's scope includes, by id. */
export async function findRefsInScope(db: Db, user: StaffUser, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const scope = scopeOf(user, 2);
  const { rows } = await db.query<{ id: string; ref: string }>(
    `SELECT r.id, r.ref FROM reports r LEFT JOIN teams t ON t.id = r.team_id
      WHERE r.id = ANY($1::uuid[]) AND ${scope.clause}`,
    [ids, ...scope.params],
  );
  return new Map(rows.map((r) => [r.id, r.ref]));
}

/** Locks one report for a status change, if the user's scope includes it. */
export async function lockReportInScope(
  db: Db,
  user: StaffUser,
  reportId: string,
): Promise<{ id: string; status: ReportStatus; teamId: number | null; assignedTo: number | null } | null> {
  const scope = scopeOf(user, 2);
  const { rows } = await db.query<{
    id: string;
    status: ReportStatus;
    teamId: number | null;
    assignedTo: number | null;
  }>(
    `SELECT r.id, r.status, r.team_id AS "teamId", r.assigned_to AS "assignedTo"
       FROM reports r LEFT JOIN teams t ON t.id = r.team_id
      WHERE r.id = $1 AND ${scope.clause} FOR UPDATE OF r`,
    [reportId, ...scope.params],
  );
  return rows[0] ?? null;
}

/**
 * The teams whose reports a staff user may see. Evaluates the same scope clause as the queue, with
 * each team standing in for a report of that team, so the two can never disagree.
 */
export async function findTeamsInScope(db: Db, user: StaffUser): Promise<{ id: number; code: string; name: string }[]> {
  const scope = scopeOf(user, 1);
  const { rows } = await db.query<{ id: number; code: string; name: string }>(
    `SELECT t.id, t.code, t.name FROM teams t CROSS JOIN LATERAL (SELECT t.id AS team_id) r
      WHERE ${scope.clause} ORDER BY t.name`,
    scope.params,
  );
  return rows;
}

export interface CrewMemberRow {
  id: number;
  display_name: string;
  team_id: number;
  team_name: string;
}

/** Active crew members of the given teams, by name. */
export async function findActiveCrew(db: Db, teamIds: readonly number[]): Promise<CrewMemberRow[]> {
  const { rows } = await db.query<CrewMemberRow>(
    `SELECT u.id, u.display_name, u.team_id, t.name AS team_name
       FROM staff_users u JOIN teams t ON t.id = u.team_id
      WHERE u.role = 'crew' AND u.is_active AND u.team_id = ANY($1)
      ORDER BY u.display_name, u.id`,
    [teamIds],
  );
  return rows;
}

/** One active crew member, or null (unknown, inactive, or not crew). */
export async function findActiveCrewMember(db: Db, userId: number): Promise<CrewMemberRow | null> {
  const { rows } = await db.query<CrewMemberRow>(
    `SELECT u.id, u.display_name, u.team_id, t.name AS team_name
       FROM staff_users u JOIN teams t ON t.id = u.team_id
      WHERE u.id = $1 AND u.role = 'crew' AND u.is_active`,
    [userId],
  );
  return rows[0] ?? null;
}

export async function updateAssignee(db: Db, reportId: string, userId: number | null): Promise<void> {
  await db.query('UPDATE reports SET assigned_to = $2, updated_at = now() WHERE id = $1', [reportId, userId]);
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
    // A follower still waiting to confirm stays waiting; the duplicate's reporter follows as confirmed
    // (they were already getting its mails).
    `INSERT INTO report_followers (report_id, email, confirmed_at)
     SELECT DISTINCT ON (email) $2::uuid, email, confirmed_at
       FROM (SELECT email, confirmed_at FROM report_followers WHERE report_id = $1 AND unsubscribed_at IS NULL
             UNION ALL
             SELECT reporter_email, now() FROM reports WHERE id = $1 AND reporter_email IS NOT NULL) AS incoming
      ORDER BY email, confirmed_at NULLS LAST
     ON CONFLICT (report_id, email)
     DO UPDATE SET confirmed_at = COALESCE(report_followers.confirmed_at, EXCLUDED.confirmed_at)`,
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

/**
 * Changes a report's category and/or point (with the area and the address there) and clears its
 * routing, so it is routed again.
 */
export async function requalify(
  db: Db,
  reportId: string,
  change: {
    categoryId: number | null;
    point: { lon: number; lat: number; areaId: number; address: string | null; addressId: string | null } | null;
  },
): Promise<void> {
  const point = change.point;
  await db.query(
    `UPDATE reports SET
        category_id = coalesce($2, category_id),
        area_id = CASE WHEN $3 THEN $4 ELSE area_id END,
        address = CASE WHEN $3 THEN $5 ELSE address END,
        address_id = CASE WHEN $3 THEN $6 ELSE address_id END,
        team_id = NULL, routing_rule_id = NULL, routed_at = NULL, updated_at = now()
      WHERE id = $1`,
    [
      reportId,
      change.categoryId,
      point !== null,
      point?.areaId ?? null,
      point?.address ?? null,
      point?.addressId ?? null,
    ],
  );
  // The pin last, through migration 030's move_report_pin: moved across a boundary, the report passes
  // to the other town, which the mover's own UPDATE could not write (row-level security).
  if (point) await db.query('SELECT move_report_pin($1, $2, $3)', [reportId, point.lon, point.lat]);
}

export interface StaffHistoryRow {
  at: Date;
  event: string;
  to_status: ReportStatus | null;
  actor_kind: 'staff' | 'resident' | 'system';
  actor_name: string | null;
  assignee_name: string | null;
  note: string | null;
}

/** A report's whole history, oldest first, with staff actors and assignees by display name. */
export async function findStaffHistory(db: Db, reportId: string): Promise<StaffHistoryRow[]> {
  const { rows } = await db.query<StaffHistoryRow>(
    `SELECT h.at, h.event, h.to_status,
            CASE WHEN h.actor ~ '^staff:[0-9]+$' THEN 'staff' WHEN h.actor = 'resident' THEN 'resident' ELSE 'system' END
              AS actor_kind,
            u.display_name AS actor_name, a.display_name AS assignee_name,
            CASE WHEN h.event = 'note' THEN h.data->>'note' END AS note
       FROM report_history h
       -- CASE, not AND: PostgreSQL may evaluate a join's conditions in any order, and the casts
       -- must only ever see a staff actor or a numeric assignee.
       LEFT JOIN staff_users u
              ON u.id = CASE WHEN h.actor ~ '^staff:[0-9]{1,9}$' THEN substring(h.actor FROM 7)::int END
       LEFT JOIN staff_users a
              ON a.id = CASE WHEN h.event = 'assigned' AND jsonb_typeof(h.data->'to') = 'number'
                             THEN (h.data->>'to')::int END
      WHERE h.report_id = $1
      ORDER BY h.at, h.id`,
    [reportId],
  );
  return rows;
}
