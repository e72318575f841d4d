import { VectorTile } from '@mapbox/vector-tile';
import { purgeExpiredMapReports } from '@pave/core';
import { PbfReader } from 'pbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';
import { tileXyz } from '../support/tiles';
import { waitFor } from '../support/wait';

const stack = useStack();
const DAY_MS = 86_400_000;
const EMAIL = 'private-person@example.org';

async function insertReport(r: {
  category: string;
  lon?: number;
  lat?: number;
  status?: string;
  ageDays?: number;
  closedDaysAgo?: number;
}): Promise<string> {
  const created = new Date(Date.now() - (r.ageDays ?? 1) * DAY_MS);
  const { rows } = await stack.pool.query<{ id: string }>(
    `INSERT INTO reports (category_id, geom, status, reporter_email, created_at, updated_at, closed_at)
     SELECT c.id, ST_SetSRID(ST_MakePoint($2, $3), 4326), $4, $5, $6, $7, $7 FROM categories c WHERE c.code = $1
     RETURNING id`,
    [
      r.category,
      r.lon ?? POINT_PARIS_11.lon,
      r.lat ?? POINT_PARIS_11.lat,
      r.status ?? 'new',
      EMAIL,
      created,
      r.closedDaysAgo === undefined ? created : new Date(Date.now() - r.closedDaysAgo * DAY_MS),
    ],
  );
  return rows[0]!.id;
}

async function getTile(z: number, x: number, y: number, query = '') {
  const response = await stack.app.inject({ method: 'GET', url: `/api/tiles/reports/${z}/${x}/${y}.mvt${query}` });
  return { response, tile: new VectorTile(new PbfReader(response.rawPayload)) };
}

function features(tile: VectorTile, layer: string) {
  const l = tile.layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => l.feature(i)) : [];
}

const ids: Record<string, string> = {};
const here = tileXyz(POINT_PARIS_11, 14);

beforeAll(async () => {
  ids.pothole = await insertReport({ category: 'nid-de-poule' });
  ids.tag = await insertReport({ category: 'tag-facade', status: 'acknowledged', ageDays: 20 });
  ids.bulky = await insertReport({ category: 'encombrant', lon: POINT_PARIS_11.lon + 0.001, ageDays: 3 });
  ids.fixedRecently = await insertReport({
    category: 'nid-de-poule',
    status: 'resolved',
    ageDays: 9,
    closedDaysAgo: 5,
  });
  ids.fixedLongAgo = await insertReport({
    category: 'tag-mobilier',
    status: 'resolved',
    ageDays: 60,
    closedDaysAgo: 40,
  });
  // Far away (the 9th): in the city-wide count, not in the 11th's street tile.
  ids.far = await insertReport({ category: 'tag-facade', lon: 2.33, lat: 48.87 });
});

describe('GET /api/tiles/reports/{z}/{x}/{y}.mvt', () => {
  it('holds the public reports of a street tile, with public fields only', async () => {
    const { response, tile } = await getTile(here.z, here.x, here.y);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
    const found = features(tile, 'reports');
    expect(found.map((f) => f.properties.id).sort()).toEqual(
      [ids.pothole, ids.tag, ids.bulky, ids.fixedRecently].sort(),
    );
    for (const f of found) {
      expect(Object.keys(f.properties).sort()).toEqual(['category', 'created', 'group', 'id', 'status']);
      expect(f.type).toBe(1);
    }
    const pothole = found.find((f) => f.properties.id === ids.pothole)!;
    expect(pothole.properties).toMatchObject({ status: 'new', category: 'nid-de-poule', group: 'voirie' });
    const [lon, lat] = (pothole.toGeoJSON(here.x, here.y, here.z).geometry as { coordinates: number[] }).coordinates;
    expect(lon).toBeCloseTo(POINT_PARIS_11.lon, 4);
    expect(lat).toBeCloseTo(POINT_PARIS_11.lat, 4);
    expect(response.rawPayload.toString('latin1')).not.toContain(EMAIL);
  });

  it('counts public reports per grid cell below z14', async () => {
    const city = tileXyz(POINT_PARIS_11, 11);
    const { response, tile } = await getTile(city.z, city.x, city.y);
    expect(response.statusCode).toBe(200);
    const cells = features(tile, 'cells');
    expect(tile.layers.reports).toBeUndefined();
    expect(cells.reduce((sum, f) => sum + Number(f.properties.count), 0)).toBe(5);
    expect(cells.reduce((sum, f) => sum + Number(f.properties.open), 0)).toBe(4);
    expect(cells.length).toBeGreaterThanOrEqual(2);
    for (const f of cells) expect(Object.keys(f.properties).sort()).toEqual(['count', 'open']);
  });

  it('filters by category group, status and period', async () => {
    const ofQuery = async (query: string) =>
      features((await getTile(here.z, here.x, here.y, query)).tile, 'reports')
        .map((f) => f.properties.id)
        .sort();
    expect(await ofQuery('?group=voirie')).toEqual([ids.pothole, ids.fixedRecently].sort());
    expect(await ofQuery('?group=voirie,graffitis')).toEqual([ids.pothole, ids.fixedRecently, ids.tag].sort());
    expect(await ofQuery('?status=new')).toEqual([ids.pothole, ids.bulky].sort());
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
    expect(await ofQuery(`?since=${day(7)}`)).toEqual([ids.pothole, ids.bulky].sort());
    expect(await ofQuery(`?since=${day(30)}&until=${day(8)}`)).toEqual([ids.tag, ids.fixedRecently].sort());
  });

  it('keeps a closed report as long as its category says', async () => {
    await stack.pool.query(`UPDATE categories SET public_days_after_close = 60 WHERE code = 'banc-degrade'`);
    const bench = await insertReport({ category: 'banc-degrade', status: 'resolved', ageDays: 60, closedDaysAgo: 40 });
    const shown = features((await getTile(here.z, here.x, here.y)).tile, 'reports').map((f) => f.properties.id);
    expect(shown).toContain(bench);
    expect(shown).not.toContain(ids.fixedLongAgo);
    // Shortened afterwards: hidden at once, before any purge.
    await stack.pool.query(`UPDATE categories SET public_days_after_close = 10 WHERE code = 'banc-degrade'`);
    const after = features((await getTile(here.z, here.x, here.y)).tile, 'reports').map((f) => f.properties.id);
    expect(after).not.toContain(bench);
    await stack.pool.query(`DELETE FROM reports WHERE id = $1`, [bench]);
    await stack.pool.query(`UPDATE categories SET public_days_after_close = 30 WHERE code = 'banc-degrade'`);
  });

  it('keeps the map table in spatial order in its hourly upkeep, without changing what tiles show', async () => {
    const before = features((await getTile(here.z, here.x, here.y)).tile, 'reports').map((f) => f.properties.id);
    await purgeExpiredMapReports({ db: stack.pool });
    const { rows } = await stack.pool.query(
      `SELECT indisclustered FROM pg_index WHERE indexrelid = 'map_reports_geom_3857_idx'::regclass`,
    );
    expect(rows).toEqual([{ indisclustered: true }]);
    const after = features((await getTile(here.z, here.x, here.y)).tile, 'reports').map((f) => f.properties.id);
    expect([...after].sort()).toEqual([...before].sort());
  });

  it('answers 304 to a matching ETag, and changes the ETag when a report changes', async () => {
    const first = (await getTile(here.z, here.x, here.y)).response;
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"m\d+-\d{4}-\d{2}-\d{2}"$/);
    const again = await stack.app.inject({
      method: 'GET',
      url: `/api/tiles/reports/${here.z}/${here.x}/${here.y}.mvt`,
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    await stack.pool.query(`UPDATE reports SET status = 'acknowledged' WHERE id = $1`, [ids.bulky]);
    // The version comes from the process's LISTEN connection: it follows the commit by a moment.
    const changed = await waitFor(
      async () => {
        const { response } = await getTile(here.z, here.x, here.y);
        return response.headers.etag !== etag ? response : null;
      },
      { timeoutMs: 2_000, what: 'a new ETag' },
    );
    expect(changed.statusCode).toBe(200);
  });

  it('returns an empty tile where nothing is public', async () => {
    const { response, tile } = await getTile(14, 0, 0);
    expect(response.statusCode).toBe(200);
    expect(Object.keys(tile.layers)).toEqual([]);
  });

  it.each([
    ['23/0/0', 'z above 22'],
    ['a/0/0', 'non-numeric z'],
    ['14/1.5/0', 'decimal x'],
    ['14/-1/0', 'negative x'],
    ['2/4/0', 'x outside the grid'],
    ['2/0/4', 'y outside the grid'],
    ['14/0/0x1', 'hex y'],
  ])('refuses %s (%s) with 400 TILE_INVALID', async (path) => {
    const response = await stack.app.inject({ method: 'GET', url: `/api/tiles/reports/${path}.mvt` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'TILE_INVALID', message: expect.any(String) });
  });

  it('refuses unknown filters with 400', async () => {
    for (const query of [
      '?status=lost',
      '?since=2024-13-01',
      '?since=0000-01-01',
      '?since=2025-02-01&until=2025-01-01',
      '?group=A;B',
    ]) {
      const response = await stack.app.inject({ method: 'GET', url: `/api/tiles/reports/14/0/0.mvt${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('GET /api/map/reports', () => {
  it('lists the same public reports as the tiles, as GeoJSON without private fields', async () => {
    const d = 0.004;
    const bbox = [POINT_PARIS_11.lon - d, POINT_PARIS_11.lat - d, POINT_PARIS_11.lon + d, POINT_PARIS_11.lat + d];
    const response = await stack.app.inject({ method: 'GET', url: `/api/map/reports?bbox=${bbox.join(',')}` });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.truncated).toBe(false);
    expect(body.features.map((f: { id: string }) => f.id).sort()).toEqual(
      [ids.pothole, ids.tag, ids.bulky, ids.fixedRecently].sort(),
    );
    expect(Object.keys(body.features[0].properties).sort()).toEqual([
      'category',
      'createdAt',
      'group',
      'ref',
      'status',
      'town',
    ]);
    expect(body.features[0].properties.town).toBe('75056');
    expect(response.body).not.toContain(EMAIL);

    const limited = await stack.app.inject({ method: 'GET', url: `/api/map/reports?bbox=${bbox.join(',')}&limit=1` });
    expect(limited.json()).toMatchObject({ truncated: true, features: [{ id: ids.pothole }] });
    const bad = await stack.app.inject({ method: 'GET', url: '/api/map/reports?bbox=1,2,3' });
    expect(bad.json().code).toBe('BBOX_INVALID');
  });

  it('answers application/geo+json with [lon, lat] points, filtered by status and by the bbox', async () => {
    const near = '2.37,48.85,2.39,48.87';
    const response = await stack.app.inject(`/api/map/reports?bbox=${near}`);
    expect(response.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(response.json().features.find((f: { id: string }) => f.id === ids.pothole)).toMatchObject({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [POINT_PARIS_11.lon, POINT_PARIS_11.lat] },
      properties: { status: 'new', category: 'nid-de-poule' },
    });
    type Feature = { id: string; properties: { status: string } };
    const acknowledged: Feature[] = (await stack.app.inject(`/api/map/reports?bbox=${near}&status=acknowledged`)).json()
      .features;
    expect(acknowledged.map((f) => f.id)).toContain(ids.tag);
    expect(acknowledged.every((f) => f.properties.status === 'acknowledged')).toBe(true);
    const elsewhere = await stack.app.inject('/api/map/reports?bbox=2.25,48.83,2.26,48.84');
    expect(elsewhere.json().features).toEqual([]);
    const huge = await stack.app.inject(`/api/map/reports?bbox=${near}&limit=999999`);
    expect(huge.statusCode).toBe(200);
    expect(huge.json().truncated).toBe(false);
  });

  it.each([
    ['', 'VALIDATION_FAILED'],
    ['?bbox=a,b,c,d', 'BBOX_INVALID'],
    ['?bbox=2.4,48.8,2.2,48.9', 'BBOX_INVALID'],
    ['?bbox=2.2,48.8,2.4,95', 'BBOX_INVALID'],
    ['?bbox=2.2,48.8,2.4,48.9&status=lost', 'VALIDATION_FAILED'],
    ['?bbox=2.2,48.8,2.4,48.9&limit=0', 'VALIDATION_FAILED'],
    ['?bbox=2.2,48.8,2.4,48.9&limit=ten', 'VALIDATION_FAILED'],
  ])('refuses %j with 400 %s', async (query, code) => {
    const response = await stack.app.inject(`/api/map/reports${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
  });
});
