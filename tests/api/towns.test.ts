import { findAreaIdAt } from '@pave/core';
import { describe, expect, it } from 'vitest';
import { STAFF_OF_EACH_ROLE } from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

// Towns (issue #19): the 124 communes of Paris and the inner ring, seeded with Paris served.
const stack = useStack({ staff: STAFF_OF_EACH_ROLE });
type Who = 'anonymous' | keyof typeof stack.staff;

const townAt = (lon: number | string, lat: number | string) =>
  stack.app.inject({ url: `/api/towns/at?lon=${lon}&lat=${lat}` });
const putBoundary = (code: string, body: unknown, who: Who = 'admin') =>
  stack.app.inject({ method: 'PUT', url: `/api/admin/towns/${code}`, headers: stack.as(who), payload: body as object });

/** A closed square ring of side `size` degrees with its south-west corner at (lon, lat). */
const square = (lon: number, lat: number, size = 0.01) => [
  [
    [lon, lat],
    [lon + size, lat],
    [lon + size, lat + size],
    [lon, lat + size],
    [lon, lat],
  ],
];
// Versailles lies outside the inner ring: no town is known there.
const VERSAILLES = { lon: 2.1204, lat: 48.8049 };

describe('towns', () => {
  it('lists the 124 communes of Paris and the inner ring, Paris alone served, with outlines and nothing else', async () => {
    const answer = await stack.app.inject({ url: '/api/towns' });
    expect(answer.statusCode).toBe(200);
    const towns = answer.json().features as { id: string; geometry: { type: string }; properties: object }[];
    expect(towns).toHaveLength(124);
    expect(towns.every((t) => t.geometry.type === 'MultiPolygon')).toBe(true);
    expect(towns.find((t) => t.id === '93048')!.properties).toEqual({
      code: '93048',
      name: 'Montreuil',
      isServed: false,
    });
    const served = (await stack.app.inject({ url: '/api/towns?served=true' })).json().features;
    expect(served.map((t: { properties: object }) => t.properties)).toEqual([
      { code: '75056', name: 'Paris', isServed: true },
    ]);
  });

  it('gives the town of a point: Paris for the 11th, Montreuil (known, not served) across the boulevard périphérique', async () => {
    const paris = await townAt(POINT_PARIS_11.lon, POINT_PARIS_11.lat);
    expect(paris.statusCode).toBe(200);
    expect(paris.json()).toEqual({ code: '75056', name: 'Paris', isServed: true });
    const montreuil = await townAt(2.4485, 48.8638);
    expect(montreuil.json()).toEqual({ code: '93048', name: 'Montreuil', isServed: false });
  });

  it('gives a point on the line two towns share to the lower INSEE code, whatever the order of the rows', async () => {
    // A vertex that Paris's and Vincennes's outlines both hold: it is on both boundaries.
    const { rows } = await stack.pool.query<{ lon: number; lat: number; covering: string[] }>(
      `WITH p AS (
         SELECT (ST_DumpPoints(ST_Intersection(a.geom, b.geom))).geom AS pt
           FROM towns a, towns b WHERE a.code = '75056' AND b.code = '94080' LIMIT 1)
       SELECT ST_X(pt) AS lon, ST_Y(pt) AS lat,
              ARRAY(SELECT code FROM towns WHERE ST_Covers(geom, pt) ORDER BY code) AS covering
         FROM p`,
    );
    const point = rows[0]!;
    // (The first such vertex is where Saint-Mandé meets them too: three towns cover it.)
    expect(point.covering).toEqual(expect.arrayContaining(['75056', '94080']));
    expect((await townAt(point.lon, point.lat)).json().code).toBe(point.covering[0]);
  });

  it('places a report only in an area of its own town, though an area spills a little over the boundary', async () => {
    // Paris 16e's outline (the demo's arrondissement) spills 31 ha into Boulogne-Billancourt: this point
    // is inside it, and in Boulogne-Billancourt.
    const boulogne = { lon: 2.229772, lat: 48.851443 };
    const { rows } = await stack.pool.query<{ covering: string[]; town: string }>(
      `SELECT array_agg(code) AS covering, town_at(ST_SetSRID(ST_MakePoint($1, $2), 4326)) AS town
         FROM service_areas WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
      [boulogne.lon, boulogne.lat],
    );
    expect(rows[0]).toEqual({ covering: ['paris-16'], town: '92012' });
    expect(await findAreaIdAt(stack.pool, boulogne.lon, boulogne.lat)).toBeNull();
    const { rows: paris16 } = await stack.pool.query("SELECT id FROM service_areas WHERE code = 'paris-16'");
    expect(await findAreaIdAt(stack.pool, 2.2522, 48.8462)).toBe(paris16[0].id);
  });

  it('answers a point outside every town with a 422 that names the towns served', async () => {
    const outside = await townAt(VERSAILLES.lon, VERSAILLES.lat);
    expect(outside.statusCode).toBe(422);
    expect(outside.json()).toEqual({
      code: 'LOCATION_OUTSIDE_TOWNS',
      message: 'This point is outside every town Pavé knows. Reports are taken in Paris.',
    });
  });

  it.each([
    ['abc', '48.85'],
    ['2.35', '95'],
    ['181', '48.85'],
    ['2,35', '48.85'],
    ['', ''],
  ])('refuses the point lon=%s lat=%s with a 400', async (lon, lat) => {
    const answer = await townAt(lon, lat);
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('LOCATION_INVALID');
  });

  it('refuses a request without lon or lat with a 400', async () => {
    const answer = await stack.app.inject({ url: '/api/towns/at?lon=2.35' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('town boundaries (admins)', () => {
  const versailles = {
    type: 'Feature',
    properties: { name: 'Versailles' },
    geometry: { type: 'Polygon', coordinates: square(VERSAILLES.lon - 0.005, VERSAILLES.lat - 0.005) },
  };

  it.each([
    ['anonymous', 401],
    ['crew', 403],
    ['supervisor', 403],
    ['council', 403],
  ] as const)('refuses %s with a %i before reading the body', async (who, status) => {
    const answer = await putBoundary('78646', versailles, who);
    expect(answer.statusCode).toBe(status);
    expect((await townAt(VERSAILLES.lon, VERSAILLES.lat)).statusCode).toBe(422);
  });

  it('adds a town outside the others, known but not served, with a line in the journal', async () => {
    const answer = await putBoundary('78646', versailles);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ code: '78646', name: 'Versailles', isServed: false });
    expect((await townAt(VERSAILLES.lon, VERSAILLES.lat)).json()).toEqual(answer.json());
    const audit = await stack.pool.query(
      `SELECT action FROM admin_audit WHERE entity = 'town' AND entity_id = '78646'`,
    );
    expect(audit.rows).toEqual([{ action: 'town.boundary' }]);
  });

  it('refuses a boundary that overlaps another town, naming it and the shared area, and changes nothing', async () => {
    // 0.01° × 0.01° straddling Paris's eastern edge at Vincennes: part of it lies in Paris, part in Vincennes.
    const answer = await putBoundary('94080', { type: 'Polygon', coordinates: square(2.4, 48.84) });
    expect(answer.statusCode).toBe(409);
    const body = answer.json();
    expect(body.code).toBe('TOWN_OVERLAPS');
    expect(body.message).toMatch(/^The boundary overlaps (a town|towns): .*Paris \(75056\): [\d,]+ m²/);
    const area = Number(/Paris \(75056\): ([\d,]+) m²/.exec(body.message)![1]!.replaceAll(',', ''));
    const { rows } = await stack.pool.query<{ m2: number }>(
      `SELECT ST_Area(ST_Intersection(geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))::geography) AS m2 FROM towns WHERE code = '75056'`,
      [JSON.stringify({ type: 'Polygon', coordinates: square(2.4, 48.84) })],
    );
    expect(area).toBe(Math.round(rows[0]!.m2));
    expect((await townAt(2.4485, 48.8638)).json().code).toBe('93048');
    expect((await townAt(2.4399, 48.8478)).json().code).toBe('94080');
  });

  it.each([
    [
      'a self-crossing outline',
      {
        type: 'Polygon',
        coordinates: [
          [
            [2.1, 48.8],
            [2.11, 48.81],
            [2.11, 48.8],
            [2.1, 48.81],
            [2.1, 48.8],
          ],
        ],
      },
      422,
      'GEOMETRY_INVALID',
    ],
    ['a point', { type: 'Point', coordinates: [2.1, 48.8] }, 422, 'GEOMETRY_TYPE_UNSUPPORTED'],
    [
      'an unclosed ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [2.1, 48.8],
            [2.11, 48.8],
            [2.11, 48.81],
            [2.1, 48.81],
          ],
        ],
      },
      422,
      'GEOMETRY_INVALID',
    ],
    ['latitude first', { type: 'Polygon', coordinates: square(48.8, 182) }, 422, 'COORDINATES_OUT_OF_RANGE'],
    ['a new town without a name', { type: 'Polygon', coordinates: square(1.5, 48.5) }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a clear error', async (_what, body, status, code) => {
    const answer = await putBoundary('78000', body);
    expect(answer.statusCode).toBe(status);
    expect(answer.json().code).toBe(code);
  });

  it('refuses a code that is not an INSEE code with a 400', async () => {
    for (const code of ['7505', 'paris', '750561', '2C001']) {
      expect((await putBoundary(code, versailles)).statusCode, code).toBe(400);
    }
  });
});
