import type { AreaFeatureCollection } from '@pave/shared';
import type { Db } from '../db/pool';

/** Every service area as a GeoJSON FeatureCollection, built in SQL. */
export async function findAreasGeoJson(db: Db): Promise<AreaFeatureCollection> {
  const { rows } = await db.query<{ fc: AreaFeatureCollection }>(
    `SELECT json_build_object(
              'type', 'FeatureCollection',
              'features', COALESCE(json_agg(json_build_object(
                 'type', 'Feature',
                 'id', a.code,
                 'geometry', ST_AsGeoJSON(a.geom, 6)::json,
                 'properties', json_build_object('code', a.code, 'name', a.name)) ORDER BY a.code), '[]'::json)
            ) AS fc
       FROM service_areas a`,
  );
  return rows[0]!.fc;
}

/**
 * SQL for the id of the smallest service area covering `point` (an SQL expression of a 4326 point),
 * or null outside every area: the one rule that places a report, for queries that need it inline.
 * Only an area of the town at the point, or a town-less one, places it: an area may spill a little
 * over its town's boundary (AREA_LIMITS), and a report in Boulogne-Billancourt is not Paris 16e's.
 */
export function smallestAreaCoveringSql(point: string): string {
  return `(SELECT s.id FROM service_areas s, (SELECT town_at(${point}) AS code) here
            WHERE ST_Covers(s.geom, ${point}) AND (s.town_code IS NULL OR s.town_code = here.code)
            ORDER BY ST_Area(s.geom) LIMIT 1)`;
}

/** The id of the smallest service area covering a point, or null outside every area. */
export async function findAreaIdAt(db: Db, lon: number, lat: number): Promise<number | null> {
  const { rows } = await db.query<{ id: number | null }>(
    `SELECT ${smallestAreaCoveringSql('ST_SetSRID(ST_MakePoint($1, $2), 4326)')} AS id`,
    [lon, lat],
  );
  return rows[0]?.id ?? null;
}
