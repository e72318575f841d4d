import type { AlertFrequency } from '@pave/shared';
import type { Db } from '../db/pool';

/** What PostGIS says about a candidate alert area. */
export interface AreaCheck {
  isValid: boolean;
  reason: string;
  areaKm2: number | null;
  isInServiceArea: boolean;
}

/**
 * Validity, size and overlap with the city of a GeoJSON (Multi)Polygon. Throws the database's error
 * when the text is not GeoJSON PostGIS can read.
 */
export async function checkPolygon(db: Db, geojson: string): Promise<AreaCheck> {
  const { rows } = await db.query<{ is_valid: boolean; reason: string; area_km2: number | null; inside: boolean }>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom)
     SELECT ST_IsValid(g.geom) AS is_valid, ST_IsValidReason(g.geom) AS reason,
            CASE WHEN ST_IsValid(g.geom) THEN ST_Area(g.geom::geography) / 1e6 END AS area_km2,
            EXISTS (SELECT 1 FROM service_areas a WHERE ST_Intersects(a.geom, g.geom)) AS inside
       FROM g`,
    [geojson],
  );
  const r = rows[0]!;
  return { isValid: r.is_valid, reason: r.reason, areaKm2: r.area_km2, isInServiceArea: r.inside };
}

/** Whether a circle of `radiusM` metres around a point touches the city's service areas. */
export async function isCircleInServiceArea(db: Db, lon: number, lat: number, radiusM: number): Promise<boolean> {
  const { rows } = await db.query<{ inside: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM service_areas a
        WHERE ST_DWithin(a.geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3)) AS inside`,
    [lon, lat, radiusM],
  );
  return rows[0]!.inside;
}

export async function findServiceArea(db: Db, code: string): Promise<{ id: number; name: string } | null> {
  const { rows } = await db.query<{ id: number; name: string }>('SELECT id, name FROM service_areas WHERE code = $1', [
    code,
  ]);
  return rows[0] ?? null;
}

/** Ids of active categories and of groups by code; unknown codes are simply absent. */
export async function findCategoryIds(
  db: Db,
  categoryCodes: string[],
  groupCodes: string[],
): Promise<{ categories: Map<string, number>; groups: Map<string, number> }> {
  const { rows } = await db.query<{ kind: 'c' | 'g'; code: string; id: number }>(
    `SELECT 'c' AS kind, code, id FROM categories WHERE is_active AND code = ANY($1)
     UNION ALL
     SELECT 'g', code, id FROM category_groups WHERE code = ANY($2)`,
    [categoryCodes, groupCodes],
  );
  return {
    categories: new Map(rows.filter((r) => r.kind === 'c').map((r) => [r.code, r.id])),
    groups: new Map(rows.filter((r) => r.kind === 'g').map((r) => [r.code, r.id])),
  };
}

export interface NewAlert {
  email: string;
  areaLabel: string;
  frequency: AlertFrequency;
  categoryIds: number[];
  groupIds: number[];
  area: { kind: 'area'; areaId: number } | { kind: 'polygon'; geojson: string } | CircleArea;
}

interface CircleArea {
  kind: 'circle';
  lon: number;
  lat: number;
  radiusM: number;
}

/** Inserts a pending (unconfirmed) alert; a circle is stored as the polygon it covers. */
export async function insertAlert(db: Db, alert: NewAlert): Promise<string> {
  const area = alert.area;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO area_alerts (email, area_label, frequency, category_ids, group_ids, area_id, geom)
     VALUES ($1, $2, $3, $4, $5, $6,
             CASE WHEN $7::text IS NOT NULL THEN ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($7), 4326))
                  WHEN $8::float8 IS NOT NULL THEN ST_Multi(ST_Buffer(
                    ST_SetSRID(ST_MakePoint($8, $9), 4326)::geography, $10, 'quad_segs=16')::geometry)
             END)
     RETURNING id`,
    [
      alert.email,
      alert.areaLabel,
      alert.frequency,
      alert.categoryIds,
      alert.groupIds,
      area.kind === 'area' ? area.areaId : null,
      area.kind === 'polygon' ? area.geojson : null,
      area.kind === 'circle' ? area.lon : null,
      area.kind === 'circle' ? area.lat : null,
      area.kind === 'circle' ? area.radiusM : null,
    ],
  );
  return rows[0]!.id;
}

export interface AlertRow {
  id: string;
  email: string;
  areaLabel: string;
  frequency: AlertFrequency;
  confirmationSentAt: Date | null;
  confirmedAt: Date | null;
  unsubscribedAt: Date | null;
  coveredUntil: Date | null;
}

interface AlertDbRow {
  id: string;
  email: string;
  area_label: string;
  frequency: AlertFrequency;
  confirmation_sent_at: Date | null;
  confirmed_at: Date | null;
  unsubscribed_at: Date | null;
  covered_until: Date | null;
}

const ALERT_COLUMNS =
  'id, email, area_label, frequency, confirmation_sent_at, confirmed_at, unsubscribed_at, covered_until';

const toAlert = (r: AlertDbRow): AlertRow => ({
  id: r.id,
  email: r.email,
  areaLabel: r.area_label,
  frequency: r.frequency,
  confirmationSentAt: r.confirmation_sent_at,
  confirmedAt: r.confirmed_at,
  unsubscribedAt: r.unsubscribed_at,
  coveredUntil: r.covered_until,
});

export async function findAlert(db: Db, id: string): Promise<AlertRow | null> {
  const { rows } = await db.query<AlertDbRow>(`SELECT ${ALERT_COLUMNS} FROM area_alerts WHERE id = $1`, [id]);
  return rows[0] ? toAlert(rows[0]) : null;
}

export async function markConfirmationSent(db: Db, id: string): Promise<void> {
  await db.query('UPDATE area_alerts SET confirmation_sent_at = now() WHERE id = $1', [id]);
}

/** Confirms a pending alert; its first digest covers what happens from now on. */
export async function confirmAlert(db: Db, id: string): Promise<void> {
  await db.query(
    `UPDATE area_alerts SET confirmed_at = now(), covered_until = now()
      WHERE id = $1 AND confirmed_at IS NULL AND unsubscribed_at IS NULL`,
    [id],
  );
}

export async function unsubscribeAlert(db: Db, id: string): Promise<void> {
  await db.query('UPDATE area_alerts SET unsubscribed_at = now() WHERE id = $1 AND unsubscribed_at IS NULL', [id]);
}

/** Ids of confirmed, subscribed alerts of a frequency whose last window ended before `until`. */
export async function findDueAlertIds(db: Db, frequency: AlertFrequency, until: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM area_alerts
      WHERE frequency = $1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL AND covered_until < $2
      ORDER BY id`,
    [frequency, until],
  );
  return rows.map((r) => r.id);
}

/** Locks one due alert for its digest; null when another run holds it or it is no longer due. */
export async function lockDueAlert(db: Db, id: string, until: Date): Promise<AlertRow | null> {
  const { rows } = await db.query<AlertDbRow>(
    `SELECT ${ALERT_COLUMNS} FROM area_alerts
      WHERE id = $1 AND confirmed_at IS NOT NULL AND unsubscribed_at IS NULL AND covered_until < $2
      FOR UPDATE SKIP LOCKED`,
    [id, until],
  );
  return rows[0] ? toAlert(rows[0]) : null;
}

export async function markDigestDone(db: Db, id: string, until: Date, isSent: boolean): Promise<void> {
  await db.query(
    `UPDATE area_alerts SET covered_until = $2, last_sent_at = CASE WHEN $3 THEN now() ELSE last_sent_at END
      WHERE id = $1`,
    [id, until, isSent],
  );
}

/** One line of a digest: public fields only. */
export interface DigestItem {
  kind: 'new' | 'resolved';
  ref: string;
  categoryFr: string;
  areaName: string | null;
  address: string | null;
  at: Date;
  /** Items of this kind in the window, beyond the ones returned. */
  total: number;
}

/**
 * New reports and resolutions in an alert's area and categories within (from, until], newest first,
 * at most `limit` of each kind. Reports rejected as abusive are left out.
 */
export async function findDigestItems(
  db: Db,
  alertId: string,
  window: { from: Date; until: Date },
  limit: number,
): Promise<DigestItem[]> {
  const { rows } = await db.query<{
    kind: 'new' | 'resolved';
    ref: string;
    category_fr: string;
    area_name: string | null;
    address: string | null;
    at: Date;
    total: number;
  }>(
    `WITH alert AS (SELECT area_id, geom, category_ids, group_ids FROM area_alerts WHERE id = $1),
     events AS (
       SELECT 'new' AS kind, r.id AS report_id, r.created_at AS at FROM reports r
        WHERE r.created_at > $2 AND r.created_at <= $3
       UNION ALL
       SELECT 'resolved', h.report_id, h.at FROM report_history h
        WHERE h.is_public AND h.to_status = 'resolved' AND h.at > $2 AND h.at <= $3
     ),
     matched AS (
       SELECT e.kind, r.ref, c.label_fr AS category_fr, sa.name AS area_name, r.address, e.at,
              count(*) OVER (PARTITION BY e.kind)::int AS total,
              row_number() OVER (PARTITION BY e.kind ORDER BY e.at DESC) AS n
         FROM events e
         JOIN reports r ON r.id = e.report_id
         JOIN categories c ON c.id = r.category_id
         LEFT JOIN service_areas sa ON sa.id = r.area_id
         CROSS JOIN alert
        WHERE (CASE WHEN alert.area_id IS NOT NULL THEN r.area_id = alert.area_id
                    ELSE ST_Intersects(alert.geom, r.geom) END)
          AND ((cardinality(alert.category_ids) = 0 AND cardinality(alert.group_ids) = 0)
               OR r.category_id = ANY(alert.category_ids) OR c.group_id = ANY(alert.group_ids))
          AND r.rejection_reason IS DISTINCT FROM 'abusif'
     )
     SELECT kind, ref, category_fr, area_name, address, at, total FROM matched WHERE n <= $4
      ORDER BY kind, at DESC`,
    [alertId, window.from, window.until, limit],
  );
  return rows.map((r) => ({
    kind: r.kind,
    ref: r.ref,
    categoryFr: r.category_fr,
    areaName: r.area_name,
    address: r.address,
    at: r.at,
    total: r.total,
  }));
}

/** Deletes alerts never confirmed and created more than `days` days ago; returns how many went. */
export async function deleteUnconfirmedAlerts(db: Db, days: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM area_alerts
      WHERE (confirmed_at IS NULL AND created_at < now() - make_interval(days => $1))
         OR unsubscribed_at < now() - make_interval(days => $1)`,
    [days],
  );
  return rowCount ?? 0;
}
