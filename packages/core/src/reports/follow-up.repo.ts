import { CITY_TIME_ZONE, type Locale, type ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';

export interface NearbyReportRow {
  id: string;
  ref: string;
  status: ReportStatus;
  category_code: string;
  category_label_fr: string;
  category_label_en: string;
  created_at: Date;
  support_count: number;
  distance_m: number;
  photo_id: string | null;
  is_routed: boolean;
}

/**
 * Open reports of the same group as `categoryCode` within that category's duplicate radius, nearest
 * first, in one round trip. `radius_m` is null when the category is unknown. The envelope test (`&&`,
 * a little larger than the circle) lets the GiST index pick candidates; the geography distance decides.
 */
export async function findNearbyOpenReports(
  db: Db,
  query: { lon: number; lat: number; categoryCode: string; openStatuses: readonly string[]; limit: number },
): Promise<{ radiusM: number | null; rows: NearbyReportRow[] }> {
  // Named: the plan is prepared once per connection, which matters for a query asked on every pin move.
  const { rows } = await db.query<NearbyReportRow & { radius_m: number; id: string | null }>({
    name: 'find-nearby-open-reports',
    text: `WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g),
          -- The town at the point may set its own radius for the category (town_categories, issue #19).
          cat AS (SELECT c.group_id, COALESCE(tc.duplicate_radius_m, c.duplicate_radius_m) AS radius_m
                    FROM categories c CROSS JOIN p
                    LEFT JOIN town_categories tc ON tc.category_id = c.id AND tc.town_code = town_at(p.g)
                   WHERE c.code = $3 AND c.is_active)
     SELECT cat.radius_m, n.*
       FROM cat LEFT JOIN LATERAL (
         SELECT r.id, r.ref, r.status, c.code AS category_code, c.label_fr AS category_label_fr,
                c.label_en AS category_label_en, r.created_at, r.support_count, r.team_id IS NOT NULL AS is_routed,
                -- Sphere, not spheroid: within 50 m the difference is millimetres, the cost is not.
                ST_Distance(r.geom::geography, p.g::geography, false) AS distance_m,
                CASE WHEN c.is_sensitive THEN NULL ELSE (
                  SELECT ph.id FROM photos ph
                   WHERE ph.report_id = r.id AND ph.kind = 'initial' AND ph.status = 'ready' AND NOT ph.is_hidden
                   ORDER BY ph.position LIMIT 1) END AS photo_id
           FROM p, reports r JOIN categories c ON c.id = r.category_id
          WHERE r.geom && ST_Expand(p.g, cat.radius_m * 1.1 / (111320 * cos(radians($2))), cat.radius_m * 1.1 / 111320)
            AND ST_DWithin(r.geom::geography, p.g::geography, cat.radius_m, false)
            AND c.group_id = cat.group_id
            AND r.status = ANY($4)
          ORDER BY distance_m
          LIMIT $5) n ON true`,
    values: [query.lon, query.lat, query.categoryCode, query.openStatuses, query.limit],
  });
  if (rows.length === 0) return { radiusM: null, rows: [] };
  return { radiusM: rows[0]!.radius_m, rows: rows[0]!.id === null ? [] : rows };
}

/** Records one "+1" per device; returns the new support count, or null when the report is unknown. */
export async function addSupport(db: Db, reportId: string, deviceId: string): Promise<number | null> {
  const { rows } = await db.query<{ support_count: number }>(
    `WITH ins AS (
       INSERT INTO report_supports (report_id, device_id) SELECT id, $2 FROM reports WHERE id = $1
       ON CONFLICT DO NOTHING RETURNING report_id)
     UPDATE reports SET support_count = support_count + (SELECT count(*) FROM ins)::int
      WHERE id = $1 RETURNING support_count`,
    [reportId, deviceId],
  );
  return rows[0]?.support_count ?? null;
}

/**
 * Records that an address asked to follow a report; returns the follower id its confirmation link
 * signs. Nothing else changes until that link is used: an unsubscribed follower stays unsubscribed.
 */
export async function insertPendingFollower(
  db: Db,
  reportId: string,
  email: string,
  language: Locale = 'fr',
): Promise<string> {
  // Asking again from a page in another language changes the language of the mails that follow.
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO report_followers (report_id, email, language) VALUES ($1, $2, $3)
     ON CONFLICT (report_id, email) DO UPDATE SET email = EXCLUDED.email, language = EXCLUDED.language
     RETURNING id`,
    [reportId, email, language],
  );
  return rows[0]!.id;
}

/** The confirmation link was opened: the follower is confirmed (again) and subscribed. */
export async function confirmFollower(db: Db, reportId: string, followerId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE report_followers SET confirmed_at = COALESCE(confirmed_at, now()), unsubscribed_at = NULL
      WHERE report_id = $1 AND id = $2`,
    [reportId, followerId],
  );
  return (rowCount ?? 0) > 0;
}

export async function unsubscribeFollower(db: Db, reportId: string, followerId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE report_followers SET unsubscribed_at = now()
      WHERE report_id = $1 AND id = $2 AND unsubscribed_at IS NULL`,
    [reportId, followerId],
  );
  return (rowCount ?? 0) > 0;
}

/** Whether a follower has confirmed their address and is still subscribed to this report. */
export async function isActiveFollower(db: Db, reportId: string, followerId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM report_followers
      WHERE report_id = $1 AND id = $2 AND unsubscribed_at IS NULL AND confirmed_at IS NOT NULL`,
    [reportId, followerId],
  );
  return rows.length > 0;
}

/** The public reference of a report, or null. */
export async function findReportRefById(db: Db, reportId: string): Promise<string | null> {
  const { rows } = await db.query<{ ref: string }>('SELECT ref FROM reports WHERE id = $1', [reportId]);
  return rows[0]?.ref ?? null;
}

export async function reportExists(db: Db, reportId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM reports WHERE id = $1', [reportId]);
  return rows.length > 0;
}

export interface TimelineRow {
  at: Date;
  event: string;
  to_status: ReportStatus | null;
  data: Record<string, unknown>;
  /** The rejection reason's public words, when the entry names one. */
  reason_fr: string | null;
  reason_en: string | null;
  id: string;
  /** A comment's moderation: held by the word list, hidden or edited by a moderator (migration 024). */
  comment_state: 'held' | 'hidden' | 'published' | null;
  edited_text: string | null;
  is_photo_hidden: boolean;
}

/** The public part of a report's history, oldest first. */
export async function findPublicTimeline(db: Db, reportId: string): Promise<TimelineRow[]> {
  const { rows } = await db.query<TimelineRow>(
    `SELECT h.id::text, h.at, h.event, h.to_status, h.data, rr.label_fr AS reason_fr, rr.label_en AS reason_en,
            cm.state AS comment_state, cm.edited_text, coalesce(p.is_hidden, false) AS is_photo_hidden
       FROM report_history h
       LEFT JOIN rejection_reasons rr ON rr.code = h.data->>'reason'
       LEFT JOIN comment_moderation cm ON cm.history_id = h.id
       LEFT JOIN photos p ON p.id::text = h.data->>'photoId'
      WHERE h.report_id = $1 AND h.is_public ORDER BY h.at, h.id`,
    [reportId],
  );
  return rows;
}

export async function findReportIdByRef(db: Db, ref: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM reports WHERE ref = $1', [ref]);
  return rows[0]?.id ?? null;
}

/** The most used active categories over the last 90 days, most used first. */
export async function findPopularCategoryCodes(db: Db, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT c.code FROM category_daily_counts d JOIN categories c ON c.id = d.category_id
      WHERE d.day > (now() AT TIME ZONE '${CITY_TIME_ZONE}')::date - 90 AND c.is_active
      GROUP BY c.code ORDER BY sum(d.n) DESC, c.code COLLATE "C" LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.code);
}

/** Locks a report for its reporter's answer to "is it fixed?": its status and when it was closed. */
export async function lockReportResolution(
  db: Db,
  reportId: string,
): Promise<{ status: ReportStatus; closedAt: Date | null } | null> {
  const { rows } = await db.query<{ status: ReportStatus; closed_at: Date | null }>(
    'SELECT status, closed_at FROM reports WHERE id = $1 FOR UPDATE',
    [reportId],
  );
  return rows[0] ? { status: rows[0].status, closedAt: rows[0].closed_at } : null;
}
