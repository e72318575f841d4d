// The public map at Paris scale: vector tiles and the GeoJSON bbox endpoint over the 1M-report fixture
// (`npm run seed:bench -- --reports 1000000`), each against raw SQL in the same run: for tiles the
// endpoint's own query sent straight to PostgreSQL, for GeoJSON a hand-written SELECT.
import {
  CELL_TILE_SETTINGS,
  createPool,
  findReportPointTile,
  reportCellTileQuery,
  withTransaction,
  type Pool,
} from '@pave/core';
import { MAP_LIMITS } from '@pave/shared';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/api/src/app';
import { loadApiConfig } from '../apps/api/src/config';
import { captureQuery, measure, measurePair, report, type CapturedQuery, type Stats } from './lib';

const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://pave:pave@127.0.0.1:5432/pave_bench';
const HALF = 20037508.342789244;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);

interface Tile {
  z: number;
  x: number;
  y: number;
}

// Hand-written SQL with the same output as the endpoints, over the same precomputed table
// (map_reports: public rows only, stored EPSG:3857 point): the GeoJSON baseline, and context for tiles.
const PUBLIC = `(r.closed_at IS NULL OR r.closed_at > now() - make_interval(days => c.public_days_after_close))`;
const RAW_POINT_TILE = `
  SELECT ST_AsMVT(t, 'reports', 4096, 'geom') FROM (
    SELECT ST_AsMVTGeom(r.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom,
           r.id::text AS id, r.status, c.code AS category, g.code AS "group",
           extract(epoch FROM r.created_at)::bigint AS created
      FROM map_reports r JOIN categories c ON c.id = r.category_id JOIN category_groups g ON g.id = c.group_id
     WHERE r.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) AND ${PUBLIC}) t`;
// 4 × 4 cells per tile plus the ring of neighbouring cells, as the endpoint draws them.
const RAW_CELL_TILE = `
  SELECT ST_AsMVT(t, 'cells', 4096, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(avg(ST_X(r.geom_3857)), avg(ST_Y(r.geom_3857))), 3857),
                        ST_TileEnvelope($1, $2, $3), 4096, 1024, true) AS geom,
           count(*) AS count, count(*) FILTER (WHERE r.closed_at IS NULL) AS open
      FROM map_reports r JOIN categories c ON c.id = r.category_id
     WHERE r.geom_3857 && ST_TileEnvelope($1, $2, $3, margin => 0.25) AND ${PUBLIC}
     GROUP BY floor(ST_X(r.geom_3857) / $4), floor(ST_Y(r.geom_3857) / $4)) t`;
const RAW_BBOX = `
  SELECT r.id, r.ref, r.status, c.code AS category, g.code AS "group", ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.created_at
    FROM map_reports r JOIN categories c ON c.id = r.category_id JOIN category_groups g ON g.id = c.group_id
   WHERE r.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND ${PUBLIC}
   ORDER BY r.created_at DESC LIMIT 5001`;
// For context only: the same tiles straight from the million-row table, transforming every row.
const TRAP_POINT_TILE = RAW_POINT_TILE.replace(/map_reports r/, 'reports r')
  .replace(/r\.geom_3857 &&/, 'ST_Transform(r.geom, 3857) &&')
  .replace(/ST_AsMVTGeom\(r\.geom_3857/, 'ST_AsMVTGeom(ST_Transform(r.geom, 3857)');
const TRAP_CELL_TILE = RAW_CELL_TILE.replace(/map_reports r/, 'reports r').replace(
  /r\.geom_3857/g,
  'ST_Transform(r.geom, 3857)',
);

function tileSize(z: number): number {
  return (2 * HALF) / 2 ** z;
}

/** The tile at zoom `z` holding the most public reports: the worst case a user can open. */
async function busiestTile(pool: Pool, z: number): Promise<Tile & { n: number }> {
  const { rows } = await pool.query<{ x: number; y: number; n: number }>(
    `SELECT floor((ST_X(r.geom_3857) + $1) / $2)::int AS x, floor(($1 - ST_Y(r.geom_3857)) / $2)::int AS y, count(*)::int AS n
       FROM map_reports r JOIN categories c ON c.id = r.category_id
      WHERE ${PUBLIC}
      GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1`,
    [HALF, tileSize(z)],
  );
  return { z, ...rows[0]! };
}

/** A bbox around the busiest spot holding about `target` public reports. */
async function bboxWith(pool: Pool, target: number): Promise<{ bbox: number[]; n: number }> {
  const { rows } = await pool.query<{ lon: number; lat: number }>(
    `SELECT avg(ST_X(geom)) AS lon, avg(ST_Y(geom)) AS lat FROM map_reports WHERE closed_at IS NULL`,
  );
  const { lon, lat } = rows[0]!;
  let [low, high] = [0.001, 0.2];
  let best = { bbox: [] as number[], n: 0 };
  for (let i = 0; i < 14; i += 1) {
    const d = (low + high) / 2;
    const bbox = [lon - d, lat - d * 0.66, lon + d, lat + d * 0.66];
    const { rows: counted } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM map_reports r JOIN categories c ON c.id = r.category_id
        WHERE r.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326) AND ${PUBLIC}`,
      bbox,
    );
    best = { bbox, n: counted[0]!.n };
    if (best.n < target) low = d;
    else high = d;
  }
  return best;
}

/** One GET over real HTTP (keep-alive, as a browser does), returning the body size. */
async function get(base: string, url: string): Promise<number> {
  const response = await fetch(`${base}${url}`);
  const body = await response.arrayBuffer();
  if (response.status !== 200)
    throw new Error(`${url}: ${response.status} ${Buffer.from(body).toString().slice(0, 200)}`);
  return body.byteLength;
}

function line(name: string, s: Stats): string {
  return `${name}: p50 ${s.p50.toFixed(1)} ms (p90 ${s.p90.toFixed(1)}, n=${s.n})`;
}

export async function run(): Promise<void> {
  const pool = createPool({ connectionString: BENCH_URL, max: 2, applicationName: 'pave-bench' });
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
  const total = rows[0]!.n;
  if (total < 900_000) {
    console.log(
      `map bench: ${BENCH_URL} holds ${total} reports; run \`npm run seed:bench -- --reports 1000000\` first`,
    );
    await pool.end();
    return;
  }
  const app = await buildApp(
    loadApiConfig({ DATABASE_URL: BENCH_URL, LOG_LEVEL: 'silent', WEB_DIST_DIR: '', QUEUE_PREFIX: 'pave-bench' }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const inject = (_app: FastifyInstance, url: string) => get(base, url);
  console.log(
    `fixture: ${total.toLocaleString('en')} reports; ${ITERATIONS} timed runs per figure after 3 warm-ups, endpoint and raw SQL alternated; endpoints over HTTP on ${base}`,
  );
  let largest = { bytes: 0, tile: '' };
  const noteSize = (bytes: number, tile: string) => {
    if (bytes > largest.bytes) largest = { bytes, tile };
  };
  try {
    for (const z of [14, 12, 11]) {
      const t = await busiestTile(pool, z);
      const url = `/api/tiles/reports/${t.z}/${t.x}/${t.y}.mvt`;
      const isCells = z < 14;
      const bytes = await inject(app, url);
      noteSize(bytes, url);
      // The baseline is the endpoint's own SQL and parameters sent straight to PostgreSQL, with the
      // same session settings in the same kind of transaction: the ratio is then exactly what the API
      // adds (HTTP, ETag, framing). The hand-written SQL below is context only.
      const filter = { groups: null, statuses: null, since: null, until: null };
      let sql: CapturedQuery;
      if (isCells) sql = reportCellTileQuery(t, filter);
      else {
        ({ sql } = await captureQuery(pool, (db) => findReportPointTile(db, t, filter, MAP_LIMITS.tileMaxFeatures)));
      }
      // Aggregated tiles run with CELL_TILE_SETTINGS in a transaction, as the endpoint does.
      const direct = (text: string, values: unknown[]) =>
        isCells
          ? withTransaction(pool, async (tx) => {
              for (const setting of CELL_TILE_SETTINGS) await tx.query(setting);
              return tx.query(text, values);
            })
          : pool.query(text, values);
      const { subject: endpoint, baseline: raw } = await measurePair(
        () => inject(app, url),
        () => direct(sql.text, sql.values),
        { iterations: ITERATIONS },
      );
      const handWritten = await measure(
        () =>
          isCells ? direct(RAW_CELL_TILE, [t.z, t.x, t.y, tileSize(t.z) / 4]) : direct(RAW_POINT_TILE, [t.z, t.x, t.y]),
        { iterations: 10, warmup: 2 },
      );
      console.log(
        `${isCells ? 'aggregated' : 'point'} tile z${t.z}/${t.x}/${t.y} (${t.n.toLocaleString('en')} public reports in it, ${bytes.toLocaleString('en')} bytes)`,
      );
      console.log(`  (context: ${line('hand-written equivalent SQL', handWritten)})`);
      const trap = await measure(
        () =>
          isCells
            ? pool.query(TRAP_CELL_TILE, [t.z, t.x, t.y, tileSize(t.z) / 4])
            : pool.query(TRAP_POINT_TILE, [t.z, t.x, t.y]),
        { iterations: 3, warmup: 1 },
      );
      console.log(`  ${line("raw SQL (the endpoint's own query, sent directly)", raw)}`);
      report(`  GET ${url}`, endpoint, raw, { maxRatio: 1.3 });
      console.log(`  (context: ${line('same SQL on reports with ST_Transform per row', trap)})`);
    }

    const { bbox, n } = await bboxWith(pool, 5000);
    const param = bbox.map((v) => v.toFixed(6)).join(',');
    const url = `/api/map/reports?bbox=${param}&limit=5000`;
    const { subject: endpoint, baseline: raw } = await measurePair(
      () => inject(app, url),
      () => pool.query(RAW_BBOX, bbox),
      { iterations: ITERATIONS },
    );
    console.log(`GeoJSON bbox ${param} (${n.toLocaleString('en')} public reports)`);
    console.log(`  ${line('raw SELECT', raw)}`);
    report(`  GET /api/map/reports`, endpoint, raw, { maxRatio: 3 });
    console.log(`  p50 ${endpoint.p50 <= 50 ? 'within' : 'OVER'} target ≤ 50 ms`);

    // Every z14 tile over Paris once: the largest one a browser can be sent.
    const { rows: extent } = await pool.query<{ x0: number; x1: number; y0: number; y1: number }>(
      `SELECT floor((ST_XMin(e) + $1) / $2)::int AS x0, floor((ST_XMax(e) + $1) / $2)::int AS x1,
              floor(($1 - ST_YMax(e)) / $2)::int AS y0, floor(($1 - ST_YMin(e)) / $2)::int AS y1
         FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(geom), 4326), 3857) AS e FROM service_areas) s`,
      [HALF, tileSize(14)],
    );
    const { x0, x1, y0, y1 } = extent[0]!;
    let count = 0;
    for (let x = x0; x <= x1; x += 1) {
      for (let y = y0; y <= y1; y += 1) {
        const tileUrl = `/api/tiles/reports/14/${x}/${y}.mvt`;
        noteSize(await inject(app, tileUrl), tileUrl);
        count += 1;
      }
    }
    console.log(
      `largest tile: ${largest.bytes.toLocaleString('en')} bytes (${largest.tile}; ${count} z14 tiles over Paris scanned)`,
    );
  } finally {
    await app.close();
    await pool.end();
  }
}
