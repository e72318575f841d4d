import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Db } from '../db/pool';

/** The towns the demo takes reports in; the other communes of the inner ring are known, not served. */
export const DEMO_SERVED_TOWNS = ['75056'];

/**
 * Seeds the towns: Paris and the 123 communes of the inner ring (data/communes/, Etalab Licence
 * Ouverte), Paris served. Idempotent: a town already there keeps its boundary and whether it is served.
 */
export async function seedTowns(db: Db): Promise<void> {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'communes');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.geojson')).sort();
  for (const file of files) {
    const collection = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as FeatureCollection<
      Polygon | MultiPolygon,
      { code: string; nom: string }
    >;
    await db.query(
      `INSERT INTO towns (code, name, geom, is_served)
       SELECT f->'properties'->>'code', f->'properties'->>'nom',
              ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f->'geometry'), 4326)),
              f->'properties'->>'code' = ANY($2)
         FROM jsonb_array_elements($1::jsonb) AS f
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(collection.features), DEMO_SERVED_TOWNS],
    );
  }
}
