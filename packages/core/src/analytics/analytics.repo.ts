import { CITY_TIME_ZONE, type ReportStatus, type SummaryDimension } from '@pave/shared';
import type { Db, PoolClient } from '../db/pool';
import { addBins, durationBinSql, percentilesFromBins } from './duration-histogram';

/** Parsed analytics filters: ids, not codes (the service resolves and checks codes). `null` = no restriction. */
export interface AnalyticsFilter {
  /** `YYYY-MM-DD`, Europe/Paris, inclusive. */
  from: string;
  /** `YYYY-MM-DD`, Europe/Paris, inclusive. */
  to: string;
  categoryIds: number[] | null;
  statuses: ReportStatus[] | null;
  areaIds: number[] | null;
  teamIds: number[] | null;
  /**
   * The towns (INSEE codes) the reader's figures cover: a town's staff, their own; null for a
   * metropolitan reader, every town. Row-level security already keeps a town's staff to their town
   * (migration 030); saying it in the query lets a town's figures read that town's rows alone from
   * `reports_analytics_town_idx` (migration 036), instead of every town's and filtering.
   */
  towns: string[] | null;
}

/** The filters on the reports themselves, without the period (satisfaction dates its answers instead). */
export type ReportCriteria = Omit<AnalyticsFilter, 'from' | 'to' | 'towns'>;

/**
 * The filter as SQL over `reports r`, always parameters $1..$7. The period is on created_at, so every
 * read starts from a covering index: `reports_analytics_idx` (migration 008), or for a town's reader
 * `reports_analytics_town_idx` (migration 036). Unnamed statements are
 * planned with their values, so an absent filter (`NULL IS NULL`) costs nothing.
 */
const FILTER = `
      r.created_at >= ($1::date::timestamp AT TIME ZONE '${CITY_TIME_ZONE}')
  AND r.created_at < (($2::date + 1)::timestamp AT TIME ZONE '${CITY_TIME_ZONE}')
  AND ($3::int[] IS NULL OR r.category_id = ANY($3))
  AND ($4::text[] IS NULL OR r.status = ANY($4))
  AND ($5::int[] IS NULL OR r.area_id = ANY($5))
  AND ($6::int[] IS NULL OR r.team_id = ANY($6))
  AND ($7::text[] IS NULL OR r.town_code = ANY($7))`;

function filterParams(f: AnalyticsFilter): unknown[] {
  return [f.from, f.to, f.categoryIds, f.statuses, f.areaIds, f.teamIds, f.towns];
}

/** Half the width of the Web Mercator world: square cells are anchored at its corner, so they nest across zooms. */
export const MERCATOR_HALF = 20037508.342789244;

export interface HeatmapGrid {
  shape: 'square' | 'hexagon';
  /** Square side, or hexagon centre-to-corner, in EPSG:3857 units. */
  size: number;
  /** EPSG:3857 `[minX, minY, maxX, maxY]`, or null for the whole city. */
  box: [number, number, number, number] | null;
  byMonth: boolean;
  /** Also the mean position of each cell's reports (the point shape draws it); otherwise x, y are null. */
  withMeans?: boolean;
}

export interface HeatmapCellRow {
  i: number;
  j: number;
  count: number;
  open: number;
  /** Mean position of the cell's reports (EPSG:3857); null unless asked for (`withMeans`). */
  x: number | null;
  y: number | null;
  months: Record<string, number> | null;
}

// Pointy-top hexagons in axial coordinates (q, r), rounded through cube coordinates: plain arithmetic
// on the stored x/y, so a hexagon grid costs what a square one does. $8 is the hexagon size.
const HEX_KEYS = `
  axial AS (
    SELECT h.*, (sqrt(3) / 3 * h.x - h.y / 3) / $8 AS qf, (2.0 / 3 * h.y) / $8 AS rf FROM hits h),
  cube AS (
    SELECT a.*, round(qf) AS rq, round(rf) AS rr, round(-qf - rf) AS rs,
           abs(round(qf) - qf) AS dq, abs(round(rf) - rf) AS dr, abs(round(-qf - rf) + qf + rf) AS ds
      FROM axial a),
  keyed AS (
    SELECT c.*, (CASE WHEN dq > dr AND dq > ds THEN -rr - rs ELSE rq END)::int AS i,
                (CASE WHEN dq > dr AND dq > ds THEN rr WHEN dr > ds THEN -rq - rs ELSE rr END)::int AS j
      FROM cube c)`;
const SQUARE_KEYS = `
  keyed AS (
    SELECT h.*, floor((h.x + ${MERCATOR_HALF}) / $8)::int AS i, floor((h.y + ${MERCATOR_HALF}) / $8)::int AS j FROM hits h)`;

/** The heat-map's hits and cell keys as CTEs (`keyed`: x, y, is_open[, month], i, j); parameters as findHeatmapCells. */
function heatmapKeyed(grid: HeatmapGrid): string {
  const month = grid.byMonth ? `, to_char(r.created_at AT TIME ZONE '${CITY_TIME_ZONE}', 'YYYY-MM') AS month` : '';
  const hits = `
  hits AS (
    SELECT r.x_3857 AS x, r.y_3857 AS y, r.closed_at IS NULL AS is_open${month}
      FROM reports r
     WHERE ${FILTER}
       AND ($9::float8 IS NULL OR (r.x_3857 BETWEEN $9 AND $11 AND r.y_3857 BETWEEN $10 AND $12)))`;
  return `${hits}, ${grid.shape === 'hexagon' ? HEX_KEYS : SQUARE_KEYS}`;
}

/**
 * Report counts per grid cell, on integer keys computed from the stored Web Mercator x/y (no geometry
 * is built per row). Squares are anchored on the world grid; hexagons on the projection's origin.
 */
export async function findHeatmapCells(db: Db, filter: AnalyticsFilter, grid: HeatmapGrid): Promise<HeatmapCellRow[]> {
  const sql = grid.byMonth
    ? `WITH ${heatmapKeyed(grid)},
       per_month AS (
         SELECT i, j, month, count(*)::int AS n, count(*) FILTER (WHERE is_open)::int AS open,
                sum(x) AS sx, sum(y) AS sy
           FROM keyed GROUP BY i, j, month)
       SELECT i, j, sum(n)::int AS count, sum(open)::int AS open,
              ${grid.withMeans ? 'sum(sx) / sum(n)' : 'NULL::float8'} AS x, ${grid.withMeans ? 'sum(sy) / sum(n)' : 'NULL::float8'} AS y,
              jsonb_object_agg(month, n) AS months
         FROM per_month GROUP BY i, j`
    : `WITH ${heatmapKeyed(grid)}
       SELECT i, j, count(*)::int AS count, count(*) FILTER (WHERE is_open)::int AS open,
              ${grid.withMeans ? 'avg(x) AS x, avg(y) AS y' : 'NULL::float8 AS x, NULL::float8 AS y'}, NULL::jsonb AS months
         FROM keyed GROUP BY i, j`;
  const box = grid.box ?? [null, null, null, null];
  const { rows } = await db.query<HeatmapCellRow>(sql, [...filterParams(filter), grid.size, ...box]);
  return rows;
}

// Each cell's outline in EPSG:3857 from its keys, as cellGeometry draws it for GeoJSON ($8 is the size).
const CELL_OUTLINE = {
  square: `ST_MakeEnvelope(i * $8 - ${MERCATOR_HALF}, j * $8 - ${MERCATOR_HALF},
                           (i + 1) * $8 - ${MERCATOR_HALF}, (j + 1) * $8 - ${MERCATOR_HALF}, 3857)`,
  // Pointy-top: corners at 60k − 30 degrees around the centre; k = 6 is corner 0 again, closing the ring.
  hexagon: `ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY(
              SELECT ST_MakePoint($8 * sqrt(3) * (i + j / 2.0) + $8 * cos(radians(60 * (k % 6) - 30)),
                                  $8 * 1.5 * j + $8 * sin(radians(60 * (k % 6) - 30)))
                FROM generate_series(0, 6) AS k))), 3857)`,
  point: `ST_SetSRID(ST_MakePoint(x, y), 3857)`,
} as const;

/**
 * One Mapbox Vector Tile of heat-map cells (layer `cells`: count, open, i, j), built by PostGIS from
 * the same cell keys as findHeatmapCells. `grid.box` must reach far enough around the tile that every
 * cell touching it is counted whole; cells outside the tile and its buffer are clipped away.
 */
export async function findHeatmapTile(
  db: Db,
  filter: AnalyticsFilter,
  grid: Omit<HeatmapGrid, 'byMonth' | 'shape'> & { shape: 'square' | 'hexagon' | 'point' },
  tile: { z: number; x: number; y: number },
): Promise<Buffer> {
  const keys: HeatmapGrid = { ...grid, shape: grid.shape === 'hexagon' ? 'hexagon' : 'square', byMonth: false };
  const { rows } = await db.query<{ mvt: Buffer }>(
    `WITH ${heatmapKeyed(keys)},
     cells AS (
       SELECT i, j, count(*)::int AS count, count(*) FILTER (WHERE is_open)::int AS open, avg(x) AS x, avg(y) AS y
         FROM keyed GROUP BY i, j),
     mvt AS (
       SELECT ST_AsMVTGeom(${CELL_OUTLINE[grid.shape]}, ST_TileEnvelope($13, $14, $15), 4096, 64, true) AS geom,
              count, open, i, j
         FROM cells)
     SELECT ST_AsMVT(mvt, 'cells', 4096, 'geom') AS mvt FROM mvt WHERE geom IS NOT NULL`,
    [...filterParams(filter), grid.size, ...(grid.box ?? [null, null, null, null]), tile.z, tile.x, tile.y],
  );
  return rows[0]?.mvt ?? Buffer.alloc(0);
}

/** What one summary row is keyed on: a column of the report, or its category's group. */
const DIMENSION_KEY: Record<SummaryDimension, string> = {
  area: 'r.area_id',
  team: 'r.team_id',
  category: 'r.category_id',
  group: 'c.group_id',
  town: 'r.town_code',
};

export interface SummaryFiguresRow {
  /** Null on the total row, and for reports without an area or team; a town's INSEE code by town. */
  key: number | string | null;
  is_total: boolean;
  received: number;
  open: number;
  ack_n: number;
  /** [median, 90th percentile] in seconds; null when nothing was acknowledged. */
  ack_p: [number, number] | null;
  resolve_n: number;
  resolve_p: [number, number] | null;
  deadline_n: number;
  deadline_within: number;
  reopened: number;
}

/**
 * The figures per area, team, category, group or town, and for the whole filter. Durations are in
 * seconds. The percentiles are estimates within DURATION_RELATIVE_ERROR (5.13 %) of percentile_cont's
 * (see duration-histogram.ts): each branch counts durations in logarithmic bins per key, a plain
 * GROUP BY that parallel workers share (also under a town's row-level security, where the exact
 * version's per-key sorts ran in one process), and the total is the keys' bins added up.
 * Both branches read every report of the period, and PostgreSQL runs them side by side: branch 0 by
 * key and acknowledgement bin (NULL: not acknowledged), counting open and reopened reports; branch 1
 * by key and resolution bin (NULL: not resolved), counting deadline outcomes. The counts are split so
 * that neither branch waits for the other. One row per branch and key comes back, its bins as two
 * arrays: a year of 143 areas is a few hundred rows, not tens of thousands.
 * Run it with SUMMARY_SETTINGS. The 1M fixture's figures against the exact query, in time and error:
 * bench/analytics.bench.ts.
 */
export async function findSummaryFigures(
  db: Db,
  filter: AnalyticsFilter,
  by: SummaryDimension,
): Promise<SummaryFiguresRow[]> {
  const join = by === 'group' ? 'JOIN categories c ON c.id = r.category_id' : '';
  const key = DIMENSION_KEY[by];
  const { rows } = await db.query<{
    part: 0 | 1;
    key: number | string | null;
    n: number;
    /** Branch 0: open; branch 1: deadline outcome known. */
    c1: number;
    /** Branch 0: reopened; branch 1: resolved within the deadline. */
    c2: number;
    bins: number[] | null;
    counts: number[] | null;
  }>(
    `SELECT part, key, sum(n)::int AS n, sum(c1)::int AS c1, sum(c2)::int AS c2,
            array_agg(bin ORDER BY bin) FILTER (WHERE bin IS NOT NULL) AS bins,
            array_agg(n ORDER BY bin) FILTER (WHERE bin IS NOT NULL) AS counts
       FROM (SELECT 0 AS part, ${key} AS key,
                    ${durationBinSql("date_part('epoch', r.acknowledged_at - r.created_at)")} AS bin,
                    count(*)::int AS n,
                    count(*) FILTER (WHERE r.closed_at IS NULL)::int AS c1,
                    count(*) FILTER (WHERE r.reopen_count > 0)::int AS c2
               FROM reports r ${join}
              WHERE ${FILTER}
              GROUP BY 2, 3
             UNION ALL
             SELECT 1, ${key},
                    CASE WHEN r.status = 'resolved'
                         THEN ${durationBinSql("date_part('epoch', r.closed_at - r.created_at)")} END,
                    count(*)::int,
                    -- Outcome known: resolved, or past the deadline without being resolved. Reports rejected,
                    -- marked duplicate or transferred were not the city's to fix and are left out.
                    count(*) FILTER (WHERE r.deadline_at IS NOT NULL
                                       AND r.status NOT IN ('rejected', 'duplicate', 'transferred')
                                       AND (r.status = 'resolved' OR r.deadline_at < now()))::int,
                    count(*) FILTER (WHERE r.status = 'resolved' AND r.closed_at <= r.deadline_at)::int
               FROM reports r ${join}
              WHERE ${FILTER}
              GROUP BY 2, 3) binned
      GROUP BY part, key`,
    filterParams(filter),
  );
  const figures = new Map<string, SummaryFiguresRow>();
  const empty = (rowKey: number | string | null, isTotal: boolean): SummaryFiguresRow => ({
    key: rowKey,
    is_total: isTotal,
    received: 0,
    open: 0,
    ack_n: 0,
    ack_p: null,
    resolve_n: 0,
    resolve_p: null,
    deadline_n: 0,
    deadline_within: 0,
    reopened: 0,
  });
  const total = empty(null, true);
  const totalBins: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  for (const row of rows) {
    const id = String(row.key);
    const figure = figures.get(id) ?? empty(row.key, false);
    figures.set(id, figure);
    const bins = new Map<number, number>();
    addBins(bins, row.bins ?? [], row.counts ?? []);
    addBins(totalBins[row.part], row.bins ?? [], row.counts ?? []);
    const measured = (row.counts ?? []).reduce((sum, count) => sum + count, 0);
    const percentiles = percentilesFromBins(bins, [0.5, 0.9]) as [number, number] | null;
    if (row.part === 0) {
      Object.assign(figure, { received: row.n, open: row.c1, ack_n: measured, ack_p: percentiles, reopened: row.c2 });
      total.received += row.n;
      total.open += row.c1;
      total.ack_n += measured;
      total.reopened += row.c2;
    } else {
      Object.assign(figure, {
        resolve_n: measured,
        resolve_p: percentiles,
        deadline_n: row.c1,
        deadline_within: row.c2,
      });
      total.resolve_n += measured;
      total.deadline_n += row.c1;
      total.deadline_within += row.c2;
    }
  }
  if (figures.size === 0) return [];
  total.ack_p = percentilesFromBins(totalBins[0], [0.5, 0.9]) as [number, number] | null;
  total.resolve_p = percentilesFromBins(totalBins[1], [0.5, 0.9]) as [number, number] | null;
  return [...figures.values(), total];
}

/**
 * Session settings for findSummaryFigures, to apply with SET LOCAL in its transaction: parallel workers
 * share its counting (the default parallel_setup_cost of 1000 keeps a query of this estimated size
 * serial), and the hash tables of a year of bins stay in memory.
 */
export const SUMMARY_SETTINGS = ["SET LOCAL work_mem = '64MB'", 'SET LOCAL parallel_setup_cost = 10'] as const;

/** Applies SUMMARY_SETTINGS to the caller's transaction. */
export async function applySummarySettings(tx: Db): Promise<void> {
  for (const setting of SUMMARY_SETTINGS) await tx.query(setting);
}

export interface WeeklyReceivedRow {
  /** Monday, `YYYY-MM-DD`. */
  week: string;
  group_id: number;
  count: number;
}

/** Reports received per ISO week (Europe/Paris) and category group. */
export async function findWeeklyReceived(db: Db, filter: AnalyticsFilter): Promise<WeeklyReceivedRow[]> {
  const { rows } = await db.query<WeeklyReceivedRow>(
    // Grouped on the truncated timestamp, formatted once per week afterwards, not once per report.
    `SELECT to_char(week, 'YYYY-MM-DD') AS week, group_id, count
       FROM (SELECT date_trunc('week', r.created_at AT TIME ZONE '${CITY_TIME_ZONE}') AS week, c.group_id,
                    count(*)::int AS count
               FROM reports r JOIN categories c ON c.id = r.category_id
              WHERE ${FILTER}
              GROUP BY 1, 2) weekly`,
    filterParams(filter),
  );
  return rows;
}

export interface BacklogDeltaRow {
  /** Monday `YYYY-MM-DD`; null: the reports already open when the period starts. */
  week: string | null;
  delta: number;
}

/**
 * How the open backlog moves per ISO week: +1 in a report's creation week, −1 in its closing week, and
 * the reports open at the start of the period on a `null` week. Category, area and team filters apply;
 * the status filter does not (a backlog is every open report). A report that was reopened (reopen_count
 * > 0) is followed through its history instead: −1 at each closing, +1 at each reopening, so the weeks it
 * spent closed in between are not counted (only about one report in thirty, so the history is read for
 * those alone). One without status changes in its history (imported data) keeps its current closing.
 * `closed` lists the closed statuses.
 */
export async function findBacklogDeltas(
  db: Db,
  filter: AnalyticsFilter,
  closed: readonly ReportStatus[],
): Promise<BacklogDeltaRow[]> {
  // Truncated timestamps, formatted once per week at the end rather than once per event.
  const week = (at: string) => `date_trunc('week', ${at} AT TIME ZONE '${CITY_TIME_ZONE}')`;
  // Both sets read an index alone: every report of the period from reports_analytics_idx (no id
  // needed), the few reopened ones, with their ids, from reports_reopened_idx (migration 016).
  const matches = `r.created_at < b.end_at AND (r.closed_at IS NULL OR r.closed_at >= b.start_at)
          AND ($3::int[] IS NULL OR r.category_id = ANY($3))
          AND ($4::int[] IS NULL OR r.area_id = ANY($4))
          AND ($5::int[] IS NULL OR r.team_id = ANY($5))
          AND ($7::text[] IS NULL OR r.town_code = ANY($7))`;
  const { rows } = await db.query<BacklogDeltaRow>(
    `WITH bounds AS (
       SELECT ($1::date::timestamp AT TIME ZONE '${CITY_TIME_ZONE}') AS start_at,
              (($2::date + 1)::timestamp AT TIME ZONE '${CITY_TIME_ZONE}') AS end_at),
     relevant AS MATERIALIZED (
       SELECT r.created_at, r.closed_at, r.reopen_count > 0 AS was_reopened
         FROM reports r, bounds b
        WHERE ${matches}),
     reopened AS MATERIALIZED (
       SELECT r.id, r.closed_at
         FROM reports r, bounds b
        WHERE r.reopen_count > 0 AND ${matches}),
     -- Crossings between open and closed in the history of reopened reports.
     crossings AS MATERIALIZED (
       SELECT v.id, h.at, CASE WHEN h.to_status = ANY($6) THEN -1 ELSE 1 END AS delta
         FROM reopened v JOIN report_history h ON h.report_id = v.id
        WHERE h.from_status IS NOT NULL AND h.to_status IS NOT NULL
          AND (h.to_status = ANY($6)) <> (h.from_status = ANY($6))),
     events AS (
       SELECT CASE WHEN v.created_at >= b.start_at THEN ${week('v.created_at')} END AS week, 1 AS delta
         FROM relevant v, bounds b
       UNION ALL
       SELECT ${week('v.closed_at')}, -1
         FROM relevant v, bounds b
        WHERE NOT v.was_reopened AND v.closed_at IS NOT NULL AND v.closed_at < b.end_at
       UNION ALL
       SELECT ${week('v.closed_at')}, -1
         FROM reopened v, bounds b
        WHERE v.closed_at IS NOT NULL AND v.closed_at < b.end_at
          AND NOT EXISTS (SELECT 1 FROM crossings c WHERE c.id = v.id)
       UNION ALL
       SELECT CASE WHEN c.at >= b.start_at THEN ${week('c.at')} END, c.delta
         FROM crossings c, bounds b
        WHERE c.at < b.end_at)
     SELECT to_char(week, 'YYYY-MM-DD') AS week, sum(delta)::int AS delta FROM events GROUP BY week`,
    [filter.from, filter.to, filter.categoryIds, filter.areaIds, filter.teamIds, closed, filter.towns],
  );
  return rows;
}

export interface OpenReportRow {
  ref: string;
  status: ReportStatus;
  category_id: number;
  created_ms: number;
  lon: number;
  lat: number;
}

/** Open reports matching the filter (open statuses only), oldest first; at most `limit`. */
export async function findOpenReports(
  db: Db,
  filter: AnalyticsFilter,
  openStatuses: readonly ReportStatus[],
  limit: number,
): Promise<OpenReportRow[]> {
  const { rows } = await db.query<OpenReportRow>(
    `SELECT r.ref, r.status, r.category_id, (extract(epoch FROM r.created_at) * 1000)::float8 AS created_ms,
            ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat
       FROM reports r
      WHERE ${FILTER} AND r.status = ANY($8)
      ORDER BY r.created_at, r.id
      LIMIT $9`,
    [...filterParams(filter), openStatuses, limit],
  );
  return rows;
}

/** Where a cluster is: its nearest street in the address index, and the service area around it. */
export interface ClusterPlaceRow {
  street: string | null;
  area: string | null;
}

/** A street counts as "where" a cluster is only this close: farther, the area's name says it better. */
const CLUSTER_STREET_MAX_M = 100;

/**
 * For each `[lon, lat]`, in order: the street of the nearest numbered address (KNN on the address
 * index, then kept only within CLUSTER_STREET_MAX_M) and the name of the service area containing it.
 */
export async function findClusterPlaces(db: Db, points: [number, number][]): Promise<ClusterPlaceRow[]> {
  if (points.length === 0) return [];
  const { rows } = await db.query<ClusterPlaceRow & { k: number }>(
    `SELECT c.k::int AS k,
            (SELECT CASE WHEN ST_DistanceSphere(n.geom, p.geom) <= $3 THEN s.name END
               FROM addresses n JOIN address_streets s ON s.id = n.street_id
              ORDER BY n.geom <-> p.geom LIMIT 1) AS street,
            (SELECT a.name FROM service_areas a WHERE ST_Intersects(a.geom, p.geom) ORDER BY a.id LIMIT 1) AS area
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS c(lon, lat, k),
            LATERAL (SELECT ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS geom) p
      ORDER BY c.k`,
    [points.map((p) => p[0]), points.map((p) => p[1]), CLUSTER_STREET_MAX_M],
  );
  return rows.map((r) => ({ street: r.street, area: r.area }));
}

export interface AnalyticsLookups {
  categories: { id: number; code: string; group_id: number; label_fr: string; label_en: string }[];
  groups: { id: number; code: string; label_fr: string; label_en: string }[];
  areas: { id: number; code: string; name: string }[];
  teams: { id: number; code: string; name: string }[];
}

/** The small reference tables the filters and labels need (a few hundred rows in all), in one round trip. */
export async function findAnalyticsLookups(db: Db): Promise<AnalyticsLookups> {
  const { rows } = await db.query<AnalyticsLookups>(
    `SELECT (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'group_id', group_id,
                     'label_fr', label_fr, 'label_en', label_en) ORDER BY position, id), '[]') FROM categories) AS categories,
            (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'label_fr', label_fr,
                     'label_en', label_en) ORDER BY position, id), '[]') FROM category_groups) AS groups,
            (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'name', name) ORDER BY code), '[]')
               FROM service_areas) AS areas,
            (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'name', name) ORDER BY code), '[]')
               FROM teams) AS teams`,
  );
  return rows[0]!;
}

/** Every town's name by INSEE code, for the summary by town (124 rows in the demo). */
export async function findTownNames(db: Db): Promise<{ code: string; name: string }[]> {
  const { rows } = await db.query<{ code: string; name: string }>('SELECT code, name FROM towns');
  return rows;
}

/** Team ids of a supervisor's service (teams.service, the same scope as the staff queue). */
export async function findServiceTeamIds(db: Db, service: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM teams WHERE service = $1', [service]);
  return rows.map((r) => r.id);
}

/**
 * The export's SELECT (for a cursor): public-grade columns only, oldest first, parameters as FILTER.
 * Times are the timestamps' own text output, to be read in a transaction set to UTC and ISO DateStyle
 * (see openExportCursor): to_char cost twice as much over a million rows. Positions are rounded to 4
 * decimals (see docs/analytics.md) in float arithmetic, not through numeric, for the same reason.
 * A report's address is given as its street, without the number, for the same reason; and only for a
 * numbered address from the index (`address_id`), never text a client typed (Open311 `address_string`).
 */
/** The French names that follow EXPORT_COLUMNS in each export row, for the French CSV. */
export const EXPORT_LABEL_COLUMNS = ['category', 'group', 'area', 'team'] as const;

const EXPORT_SELECT = `
  SELECT r.ref, c.code AS category, g.code AS "group", r.status,
         r.created_at::text, r.acknowledged_at::text,
         CASE WHEN r.status = 'resolved' THEN r.closed_at::text END AS resolved_at,
         r.closed_at::text, r.deadline_at::text,
         a.code AS area, t.code AS team, r.reopen_count, r.support_count,
         (SELECT s.name || ' ' || s.postcode || ' ' || s.city
            FROM addresses n JOIN address_streets s ON s.id = n.street_id WHERE n.id = r.address_id) AS street,
         round(ST_X(r.geom) * 10000) / 10000 AS lon, round(ST_Y(r.geom) * 10000) / 10000 AS lat,
         c.label_fr AS category_label, g.label_fr AS group_label, a.name AS area_label, t.name AS team_label
    FROM reports r
    JOIN categories c ON c.id = r.category_id
    JOIN category_groups g ON g.id = c.group_id
    LEFT JOIN service_areas a ON a.id = r.area_id
    LEFT JOIN teams t ON t.id = r.team_id
   WHERE ${FILTER}
   ORDER BY r.created_at, r.id`;

/**
 * Opens the export's cursor in a read-only snapshot on `client`, a connection held for the whole export:
 * every batch then comes from the same moment. End it with endExportTransaction.
 */
export async function openExportCursor(client: PoolClient, filter: AnalyticsFilter): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // EXPORT_SELECT reads times as text: this makes that text UTC ISO 8601 (bar the T and the Z).
  await client.query("SET LOCAL timezone = 'UTC'");
  await client.query("SET LOCAL datestyle = 'ISO, YMD'");
  await client.query(`DECLARE export_cursor NO SCROLL CURSOR FOR ${EXPORT_SELECT}`, filterParams(filter));
}

/**
 * The next `count` rows of the export's cursor, as arrays in EXPORT_COLUMNS order followed by
 * EXPORT_LABEL_COLUMNS (the French names of the category, group, area and team); empty at the end.
 */
export async function fetchExportRows(client: PoolClient, count: number): Promise<unknown[][]> {
  const { rows } = await client.query<unknown[]>({ text: `FETCH ${count} FROM export_cursor`, rowMode: 'array' });
  return rows;
}

/** Ends the export's transaction (and its cursor). */
export async function endExportTransaction(client: PoolClient, end: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  await client.query(end);
}
