import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ReportStatus } from '@pave/shared';
import { smallestAreaCoveringSql } from '../areas/areas.repo';
import { withTransaction, type Pool } from '../db/pool';
import { appendReportHistory } from '../reports/reports.repo';
import { routeReport } from '../routing/routing.service';
import { CATEGORY_TREE } from './categories.data';
import { SEED_DATA_DIR } from './city';
import { DEMO_TOWNS, METROPOLITAN_BODY } from './demo-towns';
import { createRandom, pickWeighted } from './random';

interface LocationRow {
  id_dmr: string;
  date: string;
  address: string;
  longitude: string;
  latitude: string;
}

/** Where and when a demo report was made, and the groups of categories it may be about. */
interface DemoPlace {
  lon: number;
  lat: number;
  /** A street address in Paris; the town's name elsewhere (the demo knows Paris's addresses only). */
  address: string;
  /** A DansMaRue report's date, before the shift that makes the newest one today. */
  date: string;
  groups: typeof CATEGORY_TREE;
}

const DAY_MS = 86_400_000;

/**
 * The share of demo reports placed in the neighbouring demo towns (DEMO_TOWNS), split evenly among
 * those served (seedDemoTowns first): their teams and councils start with something to see. About
 * what a town of 100,000 people next to Paris sends, against Paris's 2.1 million, over-weighted a
 * little so that each town has more than a handful.
 */
export const DEMO_NEIGHBOUR_SHARE = 0.15;

/**
 * How far inside its boundary a neighbour's report lies: the outlines are simplified (about 10 m)
 * and Paris's arrondissements follow their own, so a point near the line could fall in a Paris area.
 */
const INSET_METRES = 150;

/**
 * Seeds demo reports at real DansMaRue places and dates (shifted so the newest is today),
 * with categories drawn in DansMaRue's proportions and statuses that age like real ones.
 * DEMO_NEIGHBOUR_SHARE of them lie in the served neighbouring demo towns, at points drawn inside
 * each town, about what the town offers (or the metropolitan body takes there): every one is routed.
 * Deterministic for a given seed. Returns how many reports were written.
 */
export async function seedDemoReports(
  pool: Pool,
  options: { count: number; seed?: number; now?: Date },
): Promise<number> {
  const random = createRandom(options.seed ?? 2026);
  const now = options.now ?? new Date();
  const rows = parse(await readFile(path.join(SEED_DATA_DIR, 'dansmarue-locations.csv'), 'utf8'), {
    columns: true,
  }) as LocationRow[];
  const newest = Math.max(...rows.map((r) => Date.parse(r.date)));
  const shift = now.getTime() - DAY_MS - newest;

  const { rows: categories } = await pool.query<{ id: number; code: string }>('SELECT id, code FROM categories');
  const categoryId = new Map(categories.map((c) => [c.code, c.id]));

  // Only places in a town that takes reports: a few DansMaRue points lie just across Paris's outline
  // (the arrondissements and the commune boundary differ by metres), where a resident would be refused
  // and no town's rule applies.
  const { rows: served } = await pool.query<{ i: string }>(
    `SELECT p.i FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lon, lat, i)
      WHERE town_at(ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)) IN (SELECT code FROM towns WHERE is_served)`,
    [rows.map((r) => Number(r.longitude)), rows.map((r) => Number(r.latitude))],
  );
  const places = served.map((r) => Number(r.i) - 1);

  const neighbours = await findNeighbourPlaces(pool, Math.round(options.count * DEMO_NEIGHBOUR_SHARE), random, rows);
  const picked = new Set<number>();
  while (picked.size < Math.min(options.count - neighbours.length, places.length))
    picked.add(places[Math.floor(random() * places.length)]!);
  const demoPlaces: DemoPlace[] = [
    ...[...picked].map((index) => {
      const row = rows[index]!;
      const place = { lon: Number(row.longitude), lat: Number(row.latitude), address: row.address, date: row.date };
      return { ...place, groups: CATEGORY_TREE };
    }),
    ...neighbours,
  ];

  let written = 0;
  for (const place of demoPlaces) {
    const group = pickWeighted(random, place.groups, (g) => g.demoWeight);
    const category = group.categories[Math.floor(random() * group.categories.length)]!;
    const createdAt = new Date(Date.parse(place.date) + shift + Math.floor(random() * DAY_MS));
    const ageDays = (now.getTime() - createdAt.getTime()) / DAY_MS;
    const status = pickStatus(random, ageDays);
    const id = await withTransaction(pool, async (tx) => {
      const { rows: inserted } = await tx.query<{ id: string }>(
        `INSERT INTO reports (category_id, description, geom, created_at, updated_at, source, area_id)
         SELECT $1, $2, p.geom, $5, $5, 'demo', ${smallestAreaCoveringSql('p.geom')}
           FROM (SELECT ST_SetSRID(ST_MakePoint($3, $4), 4326) AS geom) p
         RETURNING id`,
        [categoryId.get(category.code), `${category.fr} — ${place.address}`, place.lon, place.lat, createdAt],
      );
      const reportId = inserted[0]!.id;
      await appendReportHistory(tx, {
        reportId,
        actor: 'resident',
        event: 'created',
        toStatus: 'new',
        isPublic: true,
        data: { demo: true },
      });
      return reportId;
    });
    await routeReport(pool, id);
    if (status !== 'new') {
      await withTransaction(pool, async (tx) => {
        await tx.query('UPDATE reports SET status = $2, updated_at = $3 WHERE id = $1', [
          id,
          status,
          new Date(Math.min(now.getTime(), createdAt.getTime() + 2 * DAY_MS)),
        ]);
        await appendReportHistory(tx, {
          reportId: id,
          actor: 'system',
          event: 'status_changed',
          fromStatus: 'new',
          toStatus: status,
          isPublic: true,
          data: { demo: true },
        });
      });
    }
    written += 1;
  }
  return written;
}

/**
 * `count` places spread evenly over the served neighbouring demo towns (none when none is served):
 * points drawn inside each town's outline, INSET_METRES from its edge, by PostGIS from a fixed seed,
 * with the date of a DansMaRue report drawn at random. Each place may be about the groups the town
 * offers, and street lighting where the metropolitan body takes it.
 */
async function findNeighbourPlaces(
  pool: Pool,
  count: number,
  random: () => number,
  rows: LocationRow[],
): Promise<DemoPlace[]> {
  const { rows: servedTowns } = await pool.query<{ code: string }>(
    'SELECT code FROM towns WHERE is_served AND code = ANY ($1) ORDER BY code',
    [DEMO_TOWNS.map((t) => t.code)],
  );
  const towns = DEMO_TOWNS.filter((t) => servedTowns.some((r) => r.code === t.code));
  const places: DemoPlace[] = [];
  for (const [i, town] of towns.entries()) {
    // The first towns take the remainder: 60 over 4 towns is 15 each, 61 gives the first 16.
    const n = Math.floor(count / towns.length) + (i < count % towns.length ? 1 : 0);
    if (n === 0) continue;
    const { rows: points } = await pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat
         FROM towns t,
              ST_Dump(ST_GeneratePoints(ST_Buffer(t.geom::geography, -$2::float8)::geometry, $3::int, $4::int)) d
        WHERE t.code = $1
        ORDER BY d.path`,
      [town.code, INSET_METRES, n, 2026 + i],
    );
    const groups = CATEGORY_TREE.filter((g) => town.groups.includes(g.code) || g.code === METROPOLITAN_BODY.group);
    for (const point of points) {
      const date = rows[Math.floor(random() * rows.length)]!.date;
      places.push({ lon: point.lon, lat: point.lat, address: town.name, date, groups });
    }
  }
  return places;
}

function pickStatus(random: () => number, ageDays: number): ReportStatus {
  const r = random();
  if (ageDays < 2) return r < 0.7 ? 'new' : 'acknowledged';
  if (ageDays < 14)
    return r < 0.2 ? 'new' : r < 0.45 ? 'acknowledged' : r < 0.6 ? 'scheduled' : r < 0.7 ? 'in_progress' : 'resolved';
  return r < 0.8 ? 'resolved' : r < 0.88 ? 'rejected' : r < 0.95 ? 'duplicate' : 'acknowledged';
}
