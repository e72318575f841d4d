import { CITY_TIME_ZONE } from '@pave/shared';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Pool } from '../db/pool';
import { CATEGORY_TREE } from './categories.data';
import { SEED_DATA_DIR } from './city';
import { PARIS_TOWN_CODE } from './demo-towns';

interface LocationRow {
  arrondissement: string;
  longitude: string;
  latitude: string;
}

// How many slots the weighted category table has: enough for the 1 % groups to get their share.
const CATEGORY_SLOTS = 1000;

/**
 * Fills `reports` with `count` synthetic reports for benchmarks and scale tests, generated inside
 * PostgreSQL (one INSERT … SELECT over generate_series: seconds for 100,000 rows, no row travels
 * from Node). Points are sampled around the real DansMaRue locations (ODbL) so hot spots look real,
 * categories follow DansMaRue's proportions, dates span five years before `now`, and statuses age
 * like real ones. Deterministic for a seed: every random draw is a hash of the row number.
 * Secondary indexes are dropped and rebuilt around the load, and per-row triggers are off
 * (the fixture computes `closed_at` and fills `map_reports` itself, and must not NOTIFY a million times).
 */
export async function seedBenchReports(
  pool: Pool,
  options: { count: number; seed?: number; now?: Date },
): Promise<{ written: number; ms: number }> {
  const started = Date.now();
  const seed = options.seed ?? 2026;
  const now = options.now ?? new Date();
  const rows = parse(await readFile(path.join(SEED_DATA_DIR, 'dansmarue-locations.csv'), 'utf8'), {
    columns: true,
  }) as LocationRow[];

  const client = await pool.connect();
  try {
    const { rows: categories } = await client.query<{ id: number; code: string }>('SELECT id, code FROM categories');
    const categoryId = new Map(categories.map((c) => [c.code, c.id]));
    const slots = categorySlots(categoryId);
    const { rows: areas } = await client.query<{ id: number; code: string }>('SELECT id, code FROM service_areas');
    const areaId = new Map(areas.map((a) => [a.code, a.id]));
    // Outside Paris, as many sample points as Paris has DansMaRue places, spread over the other
    // communes in proportion to their area: about half the reports fall outside Paris.
    const { rows: samples } = await client.query<{ lon: number; lat: number; area_id: number; town_code: string }>(
      `WITH shares AS (
         SELECT t.code, t.geom, a.id AS area_id,
                greatest(1, round($1 * ST_Area(t.geom) / sum(ST_Area(t.geom)) OVER ()))::int AS n
           FROM towns t JOIN service_areas a ON a.code = 'town-' || t.code
          WHERE t.code <> $3)
       SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, s.area_id, s.code AS town_code
         FROM shares s CROSS JOIN LATERAL (SELECT (ST_Dump(ST_GeneratePoints(s.geom, s.n, $2))).geom) p
        ORDER BY s.code, p.geom`,
      [rows.length, seed, PARIS_TOWN_CODE],
    );

    await client.query('BEGIN');
    await client.query("SET LOCAL statement_timeout = '10min'");
    await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
    await client.query(
      // Each point's town, and whether it lies far enough inside it (0.0025°, more than the jitter)
      // for every report drawn there to stay in that town: points nearer a boundary get no jitter, so
      // each report's town_code is its position's without a lookup per row.
      `CREATE TEMP TABLE bench_points ON COMMIT DROP AS
       WITH p AS (
         SELECT (ordinality - 1)::int AS n, lon, lat, area_id,
                coalesce(town_code, town_at(ST_SetSRID(ST_MakePoint(lon, lat), 4326))) AS town_code
           FROM unnest($1::float8[], $2::float8[], $3::int[], $4::text[]) WITH ORDINALITY AS p(lon, lat, area_id, town_code))
       SELECT p.*, coalesce(NOT ST_DWithin(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), ST_Boundary(t.geom), 0.0025),
                            false) AS is_inner
         FROM p LEFT JOIN towns t ON t.code = p.town_code`,
      [
        [...rows.map((r) => Number(r.longitude)), ...samples.map((p) => p.lon)],
        [...rows.map((r) => Number(r.latitude)), ...samples.map((p) => p.lat)],
        [
          ...rows.map((r) => areaId.get(`paris-${r.arrondissement.padStart(2, '0')}`) ?? null),
          ...samples.map((p) => p.area_id),
        ],
        [...rows.map(() => null), ...samples.map((p) => p.town_code)],
      ],
    );
    const pointCount = rows.length + samples.length;
    await client.query('CREATE UNIQUE INDEX ON bench_points (n)');
    // Team and deadline per category and area, as routing would set them (first matching rule), so the
    // analytics have teams and deadlines to report on. Working hours are approximated in calendar time
    // (45 working hours a week): close enough for benchmark figures, not for a real report.
    await client.query(
      `CREATE TEMP TABLE bench_routes ON COMMIT DROP AS
       SELECT c.id AS category_id, coalesce(a.id, 0) AS area_key,
              (SELECT rr.team_id FROM routing_rules rr
                WHERE rr.is_active AND (rr.category_id IS NULL OR rr.category_id = c.id)
                  AND (rr.category_group_id IS NULL OR rr.category_group_id = c.group_id)
                  AND (rr.area_id IS NULL OR rr.area_id = a.id)
                  -- A town's rules apply in that town; a town-less rule (a body's) anywhere.
                  AND (rr.town_code IS NULL OR rr.town_code = a.town_code)
                ORDER BY rr.position, rr.id LIMIT 1) AS team_id,
              c.deadline_hours * CASE WHEN c.deadline_mode = 'working' THEN 168.0 / 45 ELSE 1 END AS deadline_hours
         FROM categories c
        CROSS JOIN (SELECT id, town_code FROM service_areas UNION ALL SELECT NULL, NULL) a`,
    );
    await client.query('CREATE UNIQUE INDEX ON bench_routes (category_id, area_key)');

    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def
         FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = 'reports'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const index of indexes) await client.query(`DROP INDEX ${quoteIdent(index.name)}`);
    await client.query('ALTER TABLE reports DISABLE TRIGGER USER');

    const { rowCount } = await client.query(
      `WITH draws AS (
         SELECT g,
                (hashint8extended(g, $2 + 1) & 2147483647)::float8 / 2147483648 AS u_point,
                (hashint8extended(g, $2 + 2) & 2147483647)::float8 / 2147483648 AS u_cat,
                (hashint8extended(g, $2 + 3) & 2147483647)::float8 / 2147483648 AS u_age,
                (hashint8extended(g, $2 + 4) & 2147483647)::float8 / 2147483648 AS u_status,
                (hashint8extended(g, $2 + 5) & 2147483647)::float8 / 2147483648 AS u_close,
                -- Two sums of two uniforms: a triangular spread of about ±150 m around the real point.
                ((hashint8extended(g, $2 + 6) & 65535) + (hashint8extended(g, $2 + 7) & 65535)) / 65535.0 - 1 AS jx,
                ((hashint8extended(g, $2 + 8) & 65535) + (hashint8extended(g, $2 + 9) & 65535)) / 65535.0 - 1 AS jy,
                (hashint8extended(g, $2 + 10) & 2147483647)::float8 / 2147483648 AS u_ack,
                (hashint8extended(g, $2 + 11) & 2147483647)::float8 / 2147483648 AS u_reopen
           FROM generate_series(1, $1::int) AS g),
       aged AS (
         SELECT d.*, p.lon, p.lat, p.area_id, p.town_code, p.is_inner, ($3::int[])[1 + floor(d.u_cat * $6)::int] AS category_id,
                -- Reports grow over the years: twice as many per day now as on average, none five years ago.
                $4::timestamptz - make_interval(secs => (1 - sqrt(1 - d.u_age)) * 5 * 365 * 86400) AS created_at,
                (1 - sqrt(1 - d.u_age)) * 5 * 365 AS age_days
           FROM draws d JOIN bench_points p ON p.n = floor(d.u_point * $5)::int),
       statused AS (
         SELECT a.*,
                CASE
                  WHEN age_days < 2 THEN CASE WHEN u_status < 0.7 THEN 'new' ELSE 'acknowledged' END
                  WHEN age_days < 14 THEN CASE WHEN u_status < 0.2 THEN 'new' WHEN u_status < 0.45 THEN 'acknowledged'
                                               WHEN u_status < 0.6 THEN 'scheduled' WHEN u_status < 0.7 THEN 'in_progress'
                                               ELSE 'resolved' END
                  WHEN age_days < 90 THEN CASE WHEN u_status < 0.75 THEN 'resolved' WHEN u_status < 0.82 THEN 'rejected'
                                               WHEN u_status < 0.88 THEN 'duplicate' WHEN u_status < 0.94 THEN 'acknowledged'
                                               ELSE 'scheduled' END
                  ELSE CASE WHEN u_status < 0.9 THEN 'resolved' WHEN u_status < 0.95 THEN 'rejected'
                            WHEN u_status < 0.98 THEN 'duplicate' WHEN u_status < 0.99 THEN 'transferred'
                            ELSE 'acknowledged' END
                END AS status
           FROM aged a)
       INSERT INTO reports (id, ref, category_id, description, geom, priority, source, area_id, status,
                            created_at, updated_at, closed_at, team_id, deadline_at, acknowledged_at, reopen_count,
                            town_code)
       SELECT md5($2::text || '-' || g)::uuid,
              -- Explicit: the default's six-digit counter cannot number a million rows.
              'PAV-' || to_char(s.created_at AT TIME ZONE '${CITY_TIME_ZONE}', 'YYYY') || '-' || lpad(g::text, 7, '0'),
              s.category_id,
              '',
              ST_SetSRID(ST_MakePoint(lon + CASE WHEN is_inner THEN jx * 0.002 ELSE 0 END,
                                      lat + CASE WHEN is_inner THEN jy * 0.0014 ELSE 0 END), 4326),
              2, 'bench', s.area_id, status, s.created_at,
              coalesce(closed.at, s.created_at), closed.at,
              b.team_id, s.created_at + make_interval(secs => b.deadline_hours * 3600),
              -- Staff answer after an exponential delay (mean 36 h), never after closing it or after now.
              CASE WHEN status <> 'new' THEN least($4::timestamptz, closed.at,
                     s.created_at + make_interval(secs => -ln(1 - u_ack) * 36 * 3600)) END,
              -- 3 % of fixed reports were reopened once ("not fixed") before being fixed again.
              CASE WHEN status = 'resolved' AND u_reopen < 0.03 THEN 1 ELSE 0 END,
              -- Set here, from the sampled point (jittered only well inside its town): the town trigger,
              -- off during the load, would look it up row by row.
              s.town_code
         FROM statused s
         JOIN bench_routes b ON b.category_id = s.category_id AND b.area_key = coalesce(s.area_id, 0),
              LATERAL (SELECT CASE WHEN status IN ('resolved', 'rejected', 'duplicate', 'transferred')
                                   THEN least($4::timestamptz, s.created_at + make_interval(secs => u_close * 20 * 86400))
                              END AS at) closed`,
      [options.count, seed, slots, now, pointCount, CATEGORY_SLOTS],
    );

    await client.query('ALTER TABLE reports ENABLE TRIGGER USER');
    for (const index of indexes) await client.query(index.def);
    // The triggers that keep the public map's table and the category counts were off: fill them in one statement each.
    await client.query('DELETE FROM map_reports');
    await client.query(
      `INSERT INTO map_reports (id, ref, status, category_id, created_at, closed_at, geom, geom_3857, town_code)
       SELECT r.id, r.ref, r.status, r.category_id, r.created_at, r.closed_at, r.geom, ST_Transform(r.geom, 3857),
              r.town_code
         FROM reports r JOIN categories c ON c.id = r.category_id
        WHERE r.closed_at IS NULL OR r.closed_at > now() - make_interval(days => c.public_days_after_close)
        ORDER BY r.created_at`,
    );
    await client.query('DELETE FROM category_daily_counts');
    await client.query(
      `INSERT INTO category_daily_counts (category_id, day, n)
       SELECT category_id, (created_at AT TIME ZONE '${CITY_TIME_ZONE}')::date, count(*) FROM reports GROUP BY 1, 2`,
    );
    await client.query("SELECT setval('map_data_version_seq', nextval('map_data_version_seq'))");
    await client.query('COMMIT');
    // VACUUM, not only ANALYZE: it sets the visibility map, without which the analytics' covering index
    // (migration 008) cannot answer index-only; autovacuum does the same on a live database.
    await client.query('VACUUM (ANALYZE) reports');
    await client.query('ANALYZE map_reports');
    return { written: rowCount ?? 0, ms: Date.now() - started };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Serves every known town for the bench: a town without teams yet (the demo's neighbours have
 * theirs, from `seedDemoTowns`) gets its boundary as service area, one "services techniques" team
 * with a catch-all rule of its own, and the whole catalogue. Set-wise: one statement per table.
 */
export async function seedBenchTowns(pool: Pool): Promise<void> {
  await pool.query(
    `WITH bare AS (SELECT t.code, t.name, t.geom FROM towns t
                    WHERE NOT EXISTS (SELECT 1 FROM teams x WHERE x.town_code = t.code)),
          areas AS (INSERT INTO service_areas (code, name, geom, town_code)
                    SELECT 'town-' || code, name, geom, code FROM bare ON CONFLICT (code) DO NOTHING),
          teams AS (INSERT INTO teams (code, name, town_code)
                    SELECT code || '-tri', 'Services techniques — ' || name, code FROM bare
                    ON CONFLICT (code) DO NOTHING RETURNING id, town_code, name)
     INSERT INTO routing_rules (position, team_id, town_code, description)
     SELECT 10000, id, town_code, 'Everything → ' || name FROM teams`,
  );
  await pool.query(
    `INSERT INTO town_categories (town_code, category_id)
     SELECT t.code, c.id FROM towns t CROSS JOIN categories c
      WHERE NOT EXISTS (SELECT 1 FROM town_categories x WHERE x.town_code = t.code)
     ON CONFLICT DO NOTHING`,
  );
  await pool.query('UPDATE towns SET is_served = true WHERE NOT is_served');
}

/** Category ids repeated in proportion to DansMaRue's group shares, split evenly within a group. */
function categorySlots(categoryId: Map<string, number>): number[] {
  const total = CATEGORY_TREE.reduce((sum, g) => sum + g.demoWeight, 0);
  const slots: number[] = [];
  for (const group of CATEGORY_TREE) {
    const share = (group.demoWeight / total) * CATEGORY_SLOTS;
    for (const category of group.categories) {
      const id = categoryId.get(category.code);
      if (id === undefined) throw new Error(`category ${category.code} is not seeded`);
      for (let i = 0; i < Math.round(share / group.categories.length); i += 1) slots.push(id);
    }
  }
  while (slots.length < CATEGORY_SLOTS) slots.push(slots[slots.length - 1]!);
  return slots.slice(0, CATEGORY_SLOTS);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
