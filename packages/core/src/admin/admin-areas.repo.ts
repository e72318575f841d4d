import type { AdminArea } from '@pave/shared';
import type { Db } from '../db/pool';

interface AreaRow {
  id: number;
  code: string;
  name: string;
  area_km2: number;
  vertex_count: number;
  bbox: number[];
  town_code: string | null;
}

const toArea = (r: AreaRow): AdminArea => ({
  id: r.id,
  code: r.code,
  name: r.name,
  areaKm2: r.area_km2,
  vertexCount: r.vertex_count,
  bbox: r.bbox,
  town: r.town_code,
});

// A summary instead of the geometry: the public /api/areas already serves the outlines.
const SUMMARY = `id, code, name, round((ST_Area(geom::geography) / 1e6)::numeric, 3)::float8 AS area_km2,
  ST_NPoints(geom) AS vertex_count,
  ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)]::float8[] AS bbox, town_code`;

/** Every service area the caller's town scope reads, without its geometry, by town (town-less first) then code. */
export async function findAreaSummaries(db: Db): Promise<AdminArea[]> {
  const { rows } = await db.query<AreaRow>(`SELECT ${SUMMARY} FROM service_areas ORDER BY town_code NULLS FIRST, code`);
  return rows.map(toArea);
}

export async function lockArea(db: Db, id: number): Promise<AdminArea | null> {
  const { rows } = await db.query<AreaRow>(`SELECT ${SUMMARY} FROM service_areas WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ? toArea(rows[0]) : null;
}

export interface GeometryCheck {
  /** null when valid, else PostGIS's reason, e.g. "Self-intersection[2.35 48.85]". */
  invalidReason: string | null;
  /** Where PostGIS found the fault, when it names a place. */
  invalidAt: { lon: number; lat: number } | null;
  areaKm2: number;
  /** Distance to the extent of the other areas; null when there are none. */
  distanceKm: number | null;
  /** The part outside the area's town, when it has one and the geometry is valid; else null. */
  outsideTown: { townName: string; hectares: number; share: number; mostlyIn: string | null } | null;
}

/**
 * Measures an uploaded geometry (GeoJSON text, WGS84) in PostGIS: validity with its reason, area on
 * the ellipsoid, the distance to the box around the other areas (`excludeId` is the area being
 * replaced) and, for an area of `town`, how much of it lies outside the town's boundary and in which
 * other town most of that part does.
 */
export async function checkAreaGeometry(
  db: Db,
  geojson: string,
  excludeId: number | null,
  town: string | null,
): Promise<GeometryCheck> {
  const { rows } = await db.query<{
    reason: string | null;
    invalid_lon: number | null;
    invalid_lat: number | null;
    is_valid: boolean;
    area_km2: number;
    distance_km: number | null;
    town_name: string | null;
    outside_ha: number | null;
    mostly_in: string | null;
  }>(
    // Each CTE is computed once (MATERIALIZED): validity, the costliest step on 100k vertices, is not
    // checked again for the reason (only an invalid outline needs it) nor before the cut.
    `WITH g AS MATERIALIZED (
            SELECT geom, ST_IsValid(geom) AS is_valid
              FROM (SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)) AS geom) AS uploaded),
          city AS (SELECT ST_Extent(geom)::geometry AS box FROM service_areas WHERE id IS DISTINCT FROM $2::int),
          -- The part outside the town: cut in degrees (the same lines either way), measured on the
          -- ellipsoid below. An invalid outline is not cut (GEOS would throw): its reason is the answer.
          cut AS MATERIALIZED (
            SELECT t.code, t.name, ST_Difference(g.geom, t.geom) AS outside
              FROM g JOIN towns t ON t.code = $3
             WHERE g.is_valid)
     SELECT g.is_valid, CASE WHEN NOT g.is_valid THEN ST_IsValidReason(g.geom) END AS reason,
            ST_X(fault.location) AS invalid_lon, ST_Y(fault.location) AS invalid_lat,
            ST_Area(g.geom::geography) / 1e6 AS area_km2,
            CASE WHEN city.box IS NULL THEN NULL
                 ELSE ST_Distance(ST_Envelope(g.geom)::geography, city.box::geography) / 1000 END AS distance_km,
            cut.name AS town_name,
            ST_Area(cut.outside::geography) / 1e4 AS outside_ha,
            (SELECT n.name FROM towns n
              WHERE n.code <> cut.code AND ST_Intersects(n.geom, cut.outside)
              ORDER BY ST_Area(ST_Intersection(n.geom, cut.outside)) DESC, n.code LIMIT 1) AS mostly_in
       FROM g CROSS JOIN city LEFT JOIN cut ON true
       LEFT JOIN LATERAL (SELECT d.location FROM ST_IsValidDetail(g.geom) d WHERE NOT g.is_valid) fault ON true`,
    [geojson, excludeId, town],
  );
  const r = rows[0]!;
  const isMeasured = r.is_valid && r.town_name !== null && r.outside_ha !== null;
  return {
    invalidReason: r.is_valid ? null : r.reason!,
    invalidAt: !r.is_valid && r.invalid_lon !== null ? { lon: r.invalid_lon, lat: r.invalid_lat! } : null,
    areaKm2: r.area_km2,
    distanceKm: r.distance_km,
    outsideTown: isMeasured
      ? {
          townName: r.town_name!,
          hectares: r.outside_ha!,
          share: r.area_km2 > 0 ? r.outside_ha! / (r.area_km2 * 100) : 0,
          mostlyIn: r.mostly_in,
        }
      : null,
  };
}

const GEOM = 'ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)))';

/** A new area of `town` (null: town-less). */
export async function insertArea(
  db: Db,
  area: { code: string; name: string; geojson: string; town: string | null },
): Promise<AdminArea> {
  const { rows } = await db.query<AreaRow>(
    `INSERT INTO service_areas (code, name, geom, town_code) VALUES ($1, $2, ${GEOM}, $4) RETURNING ${SUMMARY}`,
    [area.code, area.name, area.geojson, area.town],
  );
  return toArea(rows[0]!);
}

export async function replaceArea(
  db: Db,
  id: number,
  area: { code: string; name: string; geojson: string },
): Promise<AdminArea> {
  const { rows } = await db.query<AreaRow>(
    `UPDATE service_areas SET code = $1, name = $2, geom = ${GEOM} WHERE id = $4 RETURNING ${SUMMARY}`,
    [area.code, area.name, area.geojson, id],
  );
  return toArea(rows[0]!);
}
