import type { Db } from '../db/pool';
import type { SuggestDocument } from './suggest-model';

/** The most recent non-empty descriptions and their categories: what residents called what. */
export async function findSuggestDocuments(db: Db, limit: number): Promise<SuggestDocument[]> {
  const { rows } = await db.query<{ code: string; description: string }>(
    `SELECT c.code, left(r.description, 1000) AS description
       FROM reports r JOIN categories c ON c.id = r.category_id
      WHERE c.is_active AND r.status <> 'rejected' AND r.description <> ''
      ORDER BY r.created_at DESC
      LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({ code: row.code, text: row.description }));
}

/** Reports per active category within `metres` of a point over the last year. */
export async function countCategoriesNear(
  db: Db,
  point: { lon: number; lat: number },
  metres: number,
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ code: string; n: string }>(
    `SELECT c.code, count(*) AS n
       FROM reports r JOIN categories c ON c.id = r.category_id,
            (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS g) p
      -- The box test uses the GiST index; the geography test keeps the exact circle.
      WHERE r.geom && ST_Expand(p.g, $3 / (111000.0 * greatest(cos(radians($2)), 0.01)))
        AND ST_DWithin(r.geom::geography, p.g::geography, $3, false)
        AND r.created_at > now() - interval '1 year'
        AND c.is_active
      GROUP BY c.code`,
    [point.lon, point.lat, metres],
  );
  return new Map(rows.map((row) => [row.code, Number(row.n)]));
}
