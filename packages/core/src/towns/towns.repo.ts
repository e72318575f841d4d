import type { Town, TownFeatureCollection, TownPage } from '@pave/shared';
import type { Db } from '../db/pool';

interface TownRow {
  code: string;
  name: string;
  is_served: boolean;
}

const toTown = (r: TownRow): Town => ({ code: r.code, name: r.name, isServed: r.is_served });

/**
 * SQL for the town of a point (an SQL expression of a 4326 point): the town whose boundary covers it.
 * A point on the line two towns share is covered by both: the lower INSEE code takes it, so the
 * answer never depends on row order (docs/adr/0012-towns.md).
 */
export function townAtSql(point: string): string {
  return `(SELECT t.code FROM towns t WHERE ST_Covers(t.geom, ${point}) ORDER BY t.code LIMIT 1)`;
}

/** The town at a point, or null outside every town the deployment knows. */
export async function findTownAt(db: Db, lon: number, lat: number): Promise<Town | null> {
  const { rows } = await db.query<TownRow>(
    `SELECT code, name, is_served FROM towns
      WHERE code = ${townAtSql('ST_SetSRID(ST_MakePoint($1, $2), 4326)')}`,
    [lon, lat],
  );
  return rows[0] ? toTown(rows[0]) : null;
}

export async function findTown(db: Db, code: string): Promise<Town | null> {
  const { rows } = await db.query<TownRow>('SELECT code, name, is_served FROM towns WHERE code = $1', [code]);
  return rows[0] ? toTown(rows[0]) : null;
}

/** The towns reports are taken in, by name. */
export async function findServedTowns(db: Db): Promise<Town[]> {
  const { rows } = await db.query<TownRow>('SELECT code, name, is_served FROM towns WHERE is_served ORDER BY code');
  return rows.map(toTown).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** Every known town as GeoJSON (outlines simplified to about 10 m, 5 decimals), built in SQL. */
export async function findTownsGeoJson(db: Db, options: { servedOnly: boolean }): Promise<TownFeatureCollection> {
  const { rows } = await db.query<{ fc: TownFeatureCollection }>(
    `SELECT json_build_object(
              'type', 'FeatureCollection',
              'features', COALESCE(json_agg(json_build_object(
                 'type', 'Feature',
                 'id', t.code,
                 'geometry', ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(t.geom, 0.0001)), 5)::json,
                 'properties', json_build_object('code', t.code, 'name', t.name, 'isServed', t.is_served))
               ORDER BY t.code), '[]'::json)
            ) AS fc
       FROM towns t
      WHERE t.is_served OR NOT $1`,
    [options.servedOnly],
  );
  return rows[0]!.fc;
}

export interface TownOverlap {
  code: string;
  name: string;
  /** Square metres the new boundary shares with this town. */
  overlapM2: number;
}

/**
 * The towns a boundary (GeoJSON text) would overlap, other than `code` itself, with the shared area.
 * Touching along a line is not overlapping: neighbours share their boundary.
 */
export async function findTownOverlaps(db: Db, code: string, geojson: string): Promise<TownOverlap[]> {
  const { rows } = await db.query<{ code: string; name: string; overlap_m2: number }>(
    `WITH g AS (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) AS geom)
     SELECT t.code, t.name, ST_Area(ST_Intersection(t.geom, g.geom)::geography) AS overlap_m2
       FROM towns t, g
      WHERE t.code <> $1 AND ST_Intersects(t.geom, g.geom) AND ST_Relate(t.geom, g.geom, '2********')
      ORDER BY overlap_m2 DESC`,
    [code, geojson],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, overlapM2: Number(r.overlap_m2) }));
}

/** Inserts a town or replaces its name and boundary (keeping whether it is served). */
export async function upsertTown(db: Db, town: { code: string; name: string; geojson: string }): Promise<Town> {
  const { rows } = await db.query<TownRow>(
    `INSERT INTO towns (code, name, geom)
     VALUES ($1, $2, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)))
     ON CONFLICT (code) DO UPDATE SET name = excluded.name, geom = excluded.geom, updated_at = now()
     RETURNING code, name, is_served`,
    [town.code, town.name, town.geojson],
  );
  return toTown(rows[0]!);
}

/** Every town's boundary is read and written under this lock, so two uploads cannot both pass the overlap check. */
export async function lockTowns(db: Db): Promise<void> {
  await db.query('LOCK TABLE towns IN SHARE ROW EXCLUSIVE MODE');
}

/** PostGIS's reason a boundary (GeoJSON text) is not a valid polygon, or null when it is. */
export async function findBoundaryInvalidReason(db: Db, geojson: string): Promise<string | null> {
  const { rows } = await db.query<{ reason: string | null }>(
    `SELECT CASE WHEN ST_IsValid(g) THEN NULL ELSE ST_IsValidReason(g) END AS reason
       FROM ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g`,
    [geojson],
  );
  return rows[0]!.reason;
}

interface TownPageRow {
  code: string;
  name: string;
  brand_colour: string | null;
  logo_url: string | null;
  total: number;
  open: number;
  resolved_30: number;
  reports: {
    id: string;
    ref: string;
    status: string;
    code: string;
    label_fr: string;
    label_en: string;
    address: string | null;
    created_at: string;
  }[];
}

/**
 * A served town's public page in one round trip: branding, figures (every report; open ones; fixed
 * in the last 30 days) and its latest public reports (those the map shows). Null for an unknown or
 * unserved town.
 */
export async function findTownPage(
  db: Db,
  code: string,
  options: { openStatuses: readonly string[]; limit: number },
): Promise<TownPage | null> {
  const { rows } = await db.query<TownPageRow>(
    `SELECT t.code, t.name, t.brand_colour, t.logo_url,
            (SELECT count(*)::int FROM reports r WHERE r.town_code = t.code) AS total,
            (SELECT count(*)::int FROM reports r WHERE r.town_code = t.code AND r.status = ANY ($2)) AS open,
            (SELECT count(*)::int FROM map_reports m
              WHERE m.town_code = t.code AND m.status = 'resolved' AND m.closed_at > now() - interval '30 days') AS resolved_30,
            (SELECT coalesce(json_agg(x ORDER BY x.created_at DESC), '[]'::json) FROM (
               SELECT m.id, m.ref, m.status, c.code, COALESCE(tc.label_fr, c.label_fr) AS label_fr,
                      COALESCE(tc.label_en, c.label_en) AS label_en, r.address, m.created_at
                 FROM map_reports m
                 JOIN categories c ON c.id = m.category_id
                 JOIN reports r ON r.id = m.id
                 -- In the town's own words where it has them.
                 LEFT JOIN town_categories tc ON tc.town_code = m.town_code AND tc.category_id = c.id
                WHERE m.town_code = t.code
                  AND (m.closed_at IS NULL OR m.closed_at > now() - make_interval(days => c.public_days_after_close))
                ORDER BY m.created_at DESC
                LIMIT $3) x) AS reports
       FROM towns t
      WHERE t.code = $1 AND t.is_served`,
    [code, options.openStatuses, options.limit],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    code: row.code,
    name: row.name,
    brandColour: row.brand_colour,
    logoUrl: row.logo_url,
    figures: { total: row.total, open: row.open, resolvedLast30Days: row.resolved_30 },
    reports: row.reports.map((r) => ({
      id: r.id,
      ref: r.ref,
      status: r.status,
      category: { code: r.code, label: { fr: r.label_fr, en: r.label_en } },
      address: r.address,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

/** The served towns that have their own host name, by host. */
export async function findTownHosts(db: Db): Promise<Map<string, string>> {
  const { rows } = await db.query<{ host: string; code: string }>(
    'SELECT host, code FROM towns WHERE host IS NOT NULL AND is_served',
  );
  return new Map(rows.map((r) => [r.host, r.code]));
}

/** The mail identity of a report's town (sender name and address, signature), or null without a town. */
export async function findTownMailIdentityOfReport(
  db: Db,
  reportId: string,
): Promise<{ mail_from_name: string | null; mail_from: string | null; signature: string | null } | null> {
  const { rows } = await db.query<{
    mail_from_name: string | null;
    mail_from: string | null;
    signature: string | null;
  }>(
    `SELECT t.mail_from_name, t.mail_from, t.signature FROM reports r JOIN towns t ON t.code = r.town_code
      WHERE r.id = $1`,
    [reportId],
  );
  return rows[0] ?? null;
}
