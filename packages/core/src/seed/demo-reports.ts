import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ReportStatus } from '@pave/shared';
import { withTransaction, type Pool } from '../db/pool';
import { appendReportHistory } from '../reports/reports.repo';
import { routeReport } from '../routing/routing.service';
import { CATEGORY_TREE } from './categories.data';
import { SEED_DATA_DIR } from './city';
import { createRandom, pickWeighted } from './random';

interface LocationRow {
  id_dmr: string;
  date: string;
  address: string;
  longitude: string;
  latitude: string;
}

const DAY_MS = 86_400_000;

/**
 * Seeds demo reports at real DansMaRue places and dates (shifted so the newest is today),
 * with categories drawn in DansMaRue's proportions and statuses that age like real ones.
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
  const picked = new Set<number>();
  while (picked.size < Math.min(options.count, places.length))
    picked.add(places[Math.floor(random() * places.length)]!);

  let written = 0;
  for (const index of picked) {
    const row = rows[index]!;
    const group = pickWeighted(random, CATEGORY_TREE, (g) => g.demoWeight);
    const category = group.categories[Math.floor(random() * group.categories.length)]!;
    const createdAt = new Date(Date.parse(row.date) + shift + Math.floor(random() * DAY_MS));
    const ageDays = (now.getTime() - createdAt.getTime()) / DAY_MS;
    const status = pickStatus(random, ageDays);
    const id = await withTransaction(pool, async (tx) => {
      const { rows: inserted } = await tx.query<{ id: string }>(
        `INSERT INTO reports (category_id, description, geom, created_at, updated_at, source, area_id)
         SELECT $1, $2, p.geom, $5, $5, 'demo', (SELECT id FROM service_areas a WHERE ST_Covers(a.geom, p.geom) LIMIT 1)
           FROM (SELECT ST_SetSRID(ST_MakePoint($3, $4), 4326) AS geom) p
         RETURNING id`,
        [
          categoryId.get(category.code),
          `${category.fr} — ${row.address}`,
          Number(row.longitude),
          Number(row.latitude),
          createdAt,
        ],
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

function pickStatus(random: () => number, ageDays: number): ReportStatus {
  const r = random();
  if (ageDays < 2) return r < 0.7 ? 'new' : 'acknowledged';
  if (ageDays < 14)
    return r < 0.2 ? 'new' : r < 0.45 ? 'acknowledged' : r < 0.6 ? 'scheduled' : r < 0.7 ? 'in_progress' : 'resolved';
  return r < 0.8 ? 'resolved' : r < 0.88 ? 'rejected' : r < 0.95 ? 'duplicate' : 'acknowledged';
}
