import { CITY_TIME_ZONE, type Bbox, type ReportStatus } from '@pave/shared';
import { withTransaction, type Db, type Pool } from '../db/pool';

/** Parsed public-map filters; `null` means "no restriction". Dates are Europe/Paris days. */
export interface MapFilter {
  groups: string[] | null;
  statuses: ReportStatus[] | null;
  /** `YYYY-MM-DD`, inclusive. */
  since: string | null;
  /** `YYYY-MM-DD`, inclusive. */
  until: string | null;
}

export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

/** Grid cells per tile side in aggregated tiles: 64 CSS pixels per cell on a 256-pixel tile. */
export const CELLS_PER_TILE = 4;
const EXTENT = 4096;
const BUFFER = 64;
// Aggregated tiles also carry the ring of whole cells around them: neighbours compute the same cells,
// so a bubble drawn across a tile edge is identical on both canvases and never cut.
const CELL_RING = EXTENT / CELLS_PER_TILE;
// Half the width of the Web Mercator world: the grid is anchored at its corner so cells nest in tiles.
const MERCATOR_HALF = 20037508.342789244;

/**
 * The public reports in the EPSG:3857 box `$1`, as rows `h` of `map_reports` (migration 003).
 * Public means open, or closed for less than its category's `public_days_after_close`; the table
 * holds only those (and a few just expired, filtered out here until they are purged).
 * Parameters: $1 area (geometry 3857), $2 groups, $3 statuses, $4 since, $5 until.
 */
const PUBLIC_HITS = `
  cats AS (
    -- LEFT JOIN (every category has a group): a query that uses no group column and has no group
    -- filter then skips the join altogether (the aggregated tiles).
    SELECT c.id, c.code, g.code AS group_code, c.public_days_after_close AS days
      FROM categories c LEFT JOIN category_groups g ON g.id = c.group_id
     WHERE $2::text[] IS NULL OR g.code = ANY($2)),
  public_hits AS (
    SELECT m.id, m.ref, m.status, m.created_at, m.closed_at, m.geom, m.geom_3857, m.x, m.y, c.code AS category,
           c.group_code, m.town_code
      FROM map_reports m JOIN cats c ON c.id = m.category_id
     WHERE m.geom_3857 && $1::geometry
       AND (m.closed_at IS NULL OR m.closed_at > now() - make_interval(days => c.days))
       AND ($3::text[] IS NULL OR m.status = ANY($3))
       AND ($4::date IS NULL OR m.created_at >= ($4::date::timestamp AT TIME ZONE '${CITY_TIME_ZONE}'))
       AND ($5::date IS NULL OR m.created_at < (($5::date + 1)::timestamp AT TIME ZONE '${CITY_TIME_ZONE}')))`;

function filterParams(filter: MapFilter): unknown[] {
  return [filter.groups, filter.statuses, filter.since, filter.until];
}

/**
 * One vector tile of single reports (layer `reports`): id, status, category, group and
 * created (epoch seconds). Public fields only. At most `limit` features.
 */
export async function findReportPointTile(
  db: Db,
  tile: TileAddress,
  filter: MapFilter,
  limit: number,
): Promise<Buffer> {
  const { rows } = await db.query<{ mvt: Buffer }>(
    `WITH ${PUBLIC_HITS},
     mvt AS (
       SELECT ST_AsMVTGeom(h.geom_3857, ST_TileEnvelope($6, $7, $8), ${EXTENT}, ${BUFFER}, true) AS geom,
              h.id::text AS id, h.status, h.category, h.group_code AS "group",
              extract(epoch FROM h.created_at)::bigint AS created
         FROM public_hits h
        LIMIT $9)
     SELECT ST_AsMVT(mvt, 'reports', ${EXTENT}, 'geom') AS mvt FROM mvt`,
    [tileArea(tile), ...filterParams(filter), tile.z, tile.x, tile.y, limit],
  );
  return rows[0]?.mvt ?? Buffer.alloc(0);
}

/**
 * Session settings for the aggregated tile, to apply with SET LOCAL in its transaction. PostgreSQL
 * cannot know how few cells the grouping makes (it estimates one per row, 40,000 at city zoom), so
 * with the default 4 MB it sorts every row on disk instead of hashing a few dozen cells: the z11 tile
 * over the 1M fixture took 85 ms that way and 63 ms hashed (psql \timing).
 */
export const CELL_TILE_SETTINGS = ["SET LOCAL work_mem = '16MB'"] as const;

/**
 * The SQL and parameters of one vector tile of counts (layer `cells`): public reports grouped in a
 * grid of CELLS_PER_TILE² cells, each drawn at the mean position of its reports, with `count` and
 * `open` (how many are not closed). Cells are anchored on the world grid, so they nest in tiles; the
 * ring of neighbouring cells is included (see CELL_RING). Run with CELL_TILE_SETTINGS.
 */
export function reportCellTileQuery(tile: TileAddress, filter: MapFilter): { text: string; values: unknown[] } {
  const cell = (2 * MERCATOR_HALF) / 2 ** tile.z / CELLS_PER_TILE;
  return {
    text: `WITH ${PUBLIC_HITS},
     -- On the stored x and y (migration 014), no geometry taken apart per row.
     cells AS (
       SELECT count(*)::int AS count, count(*) FILTER (WHERE h.closed_at IS NULL)::int AS open,
              avg(h.x) AS x, avg(h.y) AS y
         FROM public_hits h
        GROUP BY floor((h.x + ${MERCATOR_HALF}) / $9), floor((h.y + ${MERCATOR_HALF}) / $9)),
     mvt AS (
       SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(x, y), 3857), ST_TileEnvelope($6, $7, $8), ${EXTENT}, ${CELL_RING}, true) AS geom,
              count, open
         FROM cells)
     SELECT ST_AsMVT(mvt, 'cells', ${EXTENT}, 'geom') AS mvt FROM mvt`,
    values: [tileArea(tile, CELL_RING), ...filterParams(filter), tile.z, tile.x, tile.y, cell],
  };
}

/** One vector tile of counts (see reportCellTileQuery). */
export async function findReportCellTile(pool: Pool, tile: TileAddress, filter: MapFilter): Promise<Buffer> {
  const { text, values } = reportCellTileQuery(tile, filter);
  const { rows } = await withTransaction(pool, async (tx) => {
    for (const setting of CELL_TILE_SETTINGS) await tx.query(setting);
    return tx.query<{ mvt: Buffer }>(text, values);
  });
  return rows[0]?.mvt ?? Buffer.alloc(0);
}

/** A web-map tile's box in EPSG:3857, `[minX, minY, maxX, maxY]`, widened by `margin` metres on every side. */
export function tileBox3857({ z, x, y }: TileAddress, margin = 0): [number, number, number, number] {
  const size = (2 * MERCATOR_HALF) / 2 ** z;
  return [
    -MERCATOR_HALF + x * size - margin,
    MERCATOR_HALF - (y + 1) * size - margin,
    -MERCATOR_HALF + (x + 1) * size + margin,
    MERCATOR_HALF - y * size + margin,
  ];
}

/**
 * The tile's box in EPSG:3857 as EWKT, widened by the render buffer so points near an edge
 * are drawn whole on both tiles. Computed here, not with ST_TileEnvelope in the WHERE clause,
 * so the planner sees a constant box and estimates the index scan correctly.
 */
function tileArea(tile: TileAddress, bufferUnits = BUFFER): string {
  const [minX, minY, maxX, maxY] = tileBox3857(tile, (((2 * MERCATOR_HALF) / 2 ** tile.z) * bufferUnits) / EXTENT);
  return `SRID=3857;POLYGON((${minX} ${minY},${minX} ${maxY},${maxX} ${maxY},${maxX} ${minY},${minX} ${minY}))`;
}

export interface MapReportRow {
  id: string;
  ref: string;
  status: ReportStatus;
  category: string;
  group: string;
  lon: number;
  lat: number;
  created_ms: number;
  /** The INSEE code of the report's town (migration 031); null outside every known town. */
  town: string | null;
}

/** Public reports in a WGS84 bbox with the map's filters, newest first; one past `limit` to flag a cut. */
export async function findMapReportsInBbox(
  db: Db,
  bbox: Bbox,
  filter: MapFilter,
  limit: number,
): Promise<MapReportRow[]> {
  const { rows } = await db.query<MapReportRow>(
    `WITH ${PUBLIC_HITS}
     SELECT h.id, h.ref, h.status, h.category, h.group_code AS "group",
            -- Rounded in float arithmetic: through numeric it cost ~10 ms for 5,000 rows.
            round(ST_X(h.geom) * 1e6) / 1e6 AS lon, round(ST_Y(h.geom) * 1e6) / 1e6 AS lat,
            -- Milliseconds, not timestamptz: parsing 5,000 timestamps into Dates is the slowest part of the read.
            (extract(epoch FROM h.created_at) * 1000)::float8 AS created_ms, h.town_code AS town
       FROM public_hits h
      ORDER BY h.created_at DESC
      LIMIT $6`,
    [`SRID=3857;${bboxTo3857(bbox)}`, ...filterParams(filter), limit + 1],
  );
  return rows;
}

function bboxTo3857([minLon, minLat, maxLon, maxLat]: Bbox): string {
  const [minX, minY] = lonLatTo3857(minLon, minLat);
  const [maxX, maxY] = lonLatTo3857(maxLon, maxLat);
  return `POLYGON((${minX} ${minY},${minX} ${maxY},${maxX} ${maxY},${maxX} ${minY},${minX} ${minY}))`;
}

// Web Mercator clamps latitude at ±85.0511°, where the projection reaches the square's edge.
function lonLatTo3857(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  const x = (lon * MERCATOR_HALF) / 180;
  const y = (Math.log(Math.tan(((90 + clamped) * Math.PI) / 360)) * MERCATOR_HALF) / Math.PI;
  return [x, y];
}

/** The map's data version: bumped by every public change (see migration 003). */
export async function findMapDataVersion(db: Db): Promise<number> {
  // Before its first nextval a sequence reports last_value 1 with is_called false: that is version 0.
  const { rows } = await db.query<{ v: string }>(
    'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS v FROM map_data_version_seq',
  );
  return Number(rows[0]!.v);
}

/** Removes from `map_reports` the closed reports whose public days are over. Returns how many. */
export async function purgeMapReports(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM map_reports m USING categories c
      WHERE c.id = m.category_id AND m.closed_at < now() - make_interval(days => c.public_days_after_close)`,
  );
  return rowCount ?? 0;
}

/**
 * Rewrites `map_reports` in the order of its spatial index. New rows arrive in time order, so a bbox's
 * rows end up scattered over the heap; clustered, a 5,000-point bbox reads ~150 pages instead of
 * ~1,100 (measured on the 1M fixture: 35 ms → 13 ms). CLUSTER locks the table briefly (0.7 s for
 * 59,000 rows here), so only one process does it at a time and it runs with the hourly purge.
 * Returns false when another process holds the job.
 */
export async function clusterMapReports(pool: Pool): Promise<boolean> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(7283002) AS ok');
    if (!rows[0]!.ok) return false;
    try {
      await client.query('CLUSTER map_reports USING map_reports_geom_3857_idx');
      await client.query('ANALYZE map_reports');
      return true;
    } finally {
      await client.query('SELECT pg_advisory_unlock(7283002)');
    }
  } finally {
    client.release();
  }
}
