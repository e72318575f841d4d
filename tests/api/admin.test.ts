import { routeReport } from '@pave/core';
import { AREA_LIMITS } from '@pave/shared';
import { describe, expect, it, beforeAll } from 'vitest';
import {
  fileReport as fileReportWith,
  signInNewStaff,
  STAFF_OF_EACH_ROLE,
  STAFF_PASSWORD,
  type Point,
  type SignedInStaff,
} from '../support/factories';
import { POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';
import { MONTREUIL, PARIS, seedTwoTowns } from '../support/towns';

const PASSWORD = STAFF_PASSWORD;
const stack = useStack({ staff: STAFF_OF_EACH_ROLE });
type Who = 'anonymous' | keyof typeof stack.staff;

/** The session cookie's value after signing in, or undefined when refused. */
async function logIn(email: string, password = PASSWORD) {
  const response = await stack.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  return response.cookies.find((c) => c.name === 'pave_session')?.value;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (
  method: Method,
  url: string,
  payload?: unknown,
  who: Who = 'admin',
  headers: Record<string, string> = {},
) =>
  stack.app.inject({
    method,
    url,
    headers: { ...stack.as(who), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

const fileReport = (point: Point = POINT_PARIS_11, category = 'nid-de-poule') =>
  fileReportWith(stack.deps, { point, category });

/** A closed square ring of side `size` degrees with its south-west corner at (lon, lat). */
const square = (lon: number, lat: number, size = 0.004) => [
  [lon, lat],
  [lon + size, lat],
  [lon + size, lat + size],
  [lon, lat + size],
  [lon, lat],
];
const feature = (geometry: object, properties: object = {}) => ({ type: 'Feature', properties, geometry });

describe('every admin route: anonymous 401, crew/supervisor/council 403, admin 2xx', () => {
  let ruleToDelete: number;
  let areaId: number;
  beforeAll(async () => {
    const { rows } = await stack.pool.query<{ id: number }>(
      `INSERT INTO routing_rules (position, team_id, description) SELECT 9000, id, 'matrix' FROM teams WHERE code = 'tri' RETURNING id`,
    );
    ruleToDelete = rows[0]!.id;
    const area = await call('POST', '/api/admin/areas?code=matrix-zone&name=Zone', {
      type: 'Polygon',
      coordinates: [square(2.36, 48.85)],
    });
    expect(area.statusCode).toBe(201);
    areaId = area.json().id;
  });

  const routes: { method: Method; path: string; url: () => string; payload?: unknown; ok: number }[] = [
    { method: 'GET', path: '/api/admin/teams', url: () => '/api/admin/teams', ok: 200 },
    {
      method: 'POST',
      path: '/api/admin/teams',
      url: () => '/api/admin/teams',
      payload: { code: 'matrix-team', name: 'Matrix' },
      ok: 201,
    },
    {
      method: 'PATCH',
      path: '/api/admin/teams/:id',
      url: () => '/api/admin/teams/1',
      payload: { email: 'voirie@ville.test' },
      ok: 200,
    },
    { method: 'GET', path: '/api/admin/areas', url: () => '/api/admin/areas', ok: 200 },
    {
      method: 'POST',
      path: '/api/admin/areas',
      url: () => '/api/admin/areas',
      payload: feature({ type: 'Polygon', coordinates: [square(2.3, 48.83)] }, { code: 'matrix-2', name: 'Zone 2' }),
      ok: 201,
    },
    {
      method: 'PUT',
      path: '/api/admin/areas/:id',
      url: () => `/api/admin/areas/${areaId}`,
      payload: { type: 'Polygon', coordinates: [square(2.361, 48.851)] },
      ok: 200,
    },
    { method: 'GET', path: '/api/admin/rules', url: () => '/api/admin/rules', ok: 200 },
    {
      method: 'POST',
      path: '/api/admin/rules',
      url: () => '/api/admin/rules',
      payload: { position: 9500, team: 'tri' },
      ok: 201,
    },
    {
      method: 'PATCH',
      path: '/api/admin/rules/:id',
      url: () => `/api/admin/rules/${ruleToDelete}`,
      payload: { description: 'matrix 2' },
      ok: 200,
    },
    { method: 'DELETE', path: '/api/admin/rules/:id', url: () => `/api/admin/rules/${ruleToDelete}`, ok: 200 },
    { method: 'GET', path: '/api/admin/categories', url: () => '/api/admin/categories', ok: 200 },
    {
      method: 'PATCH',
      path: '/api/admin/categories/banc-degrade',
      url: () => '/api/admin/categories/banc-degrade',
      payload: { deadlineHours: 200 },
      ok: 200,
    },
    { method: 'GET', path: '/api/admin/users', url: () => '/api/admin/users', ok: 200 },
    {
      method: 'POST',
      path: '/api/admin/users',
      url: () => '/api/admin/users',
      payload: { email: 'matrix@ville.test', role: 'council' },
      ok: 201,
    },
    {
      method: 'PATCH',
      path: '/api/admin/users/:id',
      url: () => `/api/admin/users/${stack.staff.council.id}`,
      payload: { displayName: 'Élue' },
      ok: 200,
    },
    { method: 'GET', path: '/api/admin/audit', url: () => '/api/admin/audit', ok: 200 },
    { method: 'GET', path: '/api/admin/unit-costs', url: () => '/api/admin/unit-costs', ok: 200 },
    {
      method: 'PUT',
      path: '/api/admin/unit-costs',
      url: () => '/api/admin/unit-costs',
      payload: { costs: [{ channel: 'web', costCents: 250 }] },
      ok: 200,
    },
  ];
  // The reorder needs the live list of ids, so it is checked apart from the table.
  const refusals: [Who, number, string][] = [
    ['anonymous', 401, 'AUTH_REQUIRED'],
    ['crew', 403, 'FORBIDDEN'],
    ['supervisor', 403, 'FORBIDDEN'],
    ['council', 403, 'FORBIDDEN'],
  ];

  for (const route of routes) {
    it(`${route.method} ${route.path}`, async () => {
      for (const [who, status, code] of refusals) {
        const response = await call(route.method, route.url(), route.payload, who);
        expect({ who, status: response.statusCode, code: response.json().code }).toEqual({ who, status, code });
      }
      const response = await call(route.method, route.url(), route.payload);
      expect({ status: response.statusCode, body: response.json() }).toMatchObject({ status: route.ok });
    });
  }

  it('POST /api/admin/rules/reorder', async () => {
    const order = (await call('GET', '/api/admin/rules')).json().rules.map((r: { id: number }) => r.id);
    for (const [who, status] of refusals) {
      expect((await call('POST', '/api/admin/rules/reorder', { ids: order }, who)).statusCode).toBe(status);
    }
    expect((await call('POST', '/api/admin/rules/reorder', { ids: order })).statusCode).toBe(200);
  });

  it('refuses before reading the body: an anonymous malformed request is 401, not 400', async () => {
    const response = await call('POST', '/api/admin/areas', '{"type":', 'anonymous', {
      'content-type': 'application/json',
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('unit costs per channel', () => {
  it('sets, keeps and clears costs, refuses bad ones with a 400, and audits the change', async () => {
    const set = await call('PUT', '/api/admin/unit-costs', {
      costs: [
        { channel: 'counter', costCents: 1850 },
        { channel: 'app', costCents: 0 },
      ],
    });
    expect(set.statusCode, set.body).toBe(200);
    const costs = () =>
      call('GET', '/api/admin/unit-costs').then((r) =>
        Object.fromEntries(
          r.json().costs.map((c: { channel: string; costCents: number | null }) => [c.channel, c.costCents]),
        ),
      );
    // Zero is a cost (a free channel), not "not set".
    expect(await costs()).toMatchObject({ counter: 1850, app: 0, email: null });
    expect((await call('PUT', '/api/admin/unit-costs', { costs: [{ channel: 'counter' }] })).statusCode).toBe(200);
    expect(await costs()).toMatchObject({ counter: null, app: 0 });
    const { rows } = await stack.pool.query('SELECT channel, cost_cents FROM channel_unit_costs WHERE channel = $1', [
      'app',
    ]);
    expect(rows).toEqual([{ channel: 'app', cost_cents: 0 }]);

    for (const payload of [
      { costs: [{ channel: 'web', costCents: -1 }] },
      { costs: [{ channel: 'fax', costCents: 100 }] },
      { costs: [] },
      { costs: [{ channel: 'web', costCents: 1.5 }] },
    ]) {
      const refused = await call('PUT', '/api/admin/unit-costs', payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    }
    const audit = (await call('GET', '/api/admin/audit?limit=1')).json().entries[0];
    expect(audit).toMatchObject({ action: 'costs.update', before: { counter: 1850 }, after: { counter: null } });
  });

  it('takes concurrent changes naming the same channels in different orders, one after the other', async () => {
    // Each change writes its channels in the order given: two changes in opposite orders used to wait
    // on each other's rows until PostgreSQL broke the deadlock with an error (a 500, found by the fuzz).
    const forward = {
      costs: [{ channel: 'phone', costCents: 500 }, { channel: 'email', costCents: 300 }, { channel: 'web' }],
    };
    const backward = {
      costs: [{ channel: 'web', costCents: 10 }, { channel: 'email' }, { channel: 'phone', costCents: 700 }],
    };
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call('PUT', '/api/admin/unit-costs', i % 2 ? backward : forward)),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(12).fill(200));
  });
});

describe('teams', () => {
  it('creates, renames and moves a team to another service; refuses duplicates and bad input', async () => {
    const created = await call('POST', '/api/admin/teams', {
      code: 'brigade-nuit',
      name: 'Brigade de nuit',
      email: 'Nuit@Ville.test',
    });
    expect(created.statusCode).toBe(201);
    // The service defaults to the code convention; the e-mail is normalised.
    expect(created.json()).toMatchObject({ code: 'brigade-nuit', service: 'brigade-nuit', email: 'nuit@ville.test' });
    const id = created.json().id;
    expect((await call('POST', '/api/admin/teams', { code: 'brigade-nuit', name: 'Bis' })).json().code).toBe(
      'ALREADY_EXISTS',
    );
    expect((await call('POST', '/api/admin/teams', { code: 'Brigade Nuit', name: 'x' })).statusCode).toBe(400);
    expect((await call('POST', '/api/admin/teams', { code: 'b', name: 'x', email: 'pas-un-mail' })).json().code).toBe(
      'EMAIL_INVALID',
    );
    expect((await call('PATCH', '/api/admin/teams/999999', { name: 'x' })).json().code).toBe('TEAM_NOT_FOUND');
    expect((await call('PATCH', '/api/admin/teams/abc', { name: 'x' })).statusCode).toBe(400);

    const patched = await call('PATCH', `/api/admin/teams/${id}`, { name: 'Brigade nocturne', service: 'voirie' });
    expect(patched.json()).toMatchObject({ id, name: 'Brigade nocturne', service: 'voirie' });
    const listed = (await call('GET', '/api/admin/teams')).json().teams;
    expect(listed.find((t: { id: number }) => t.id === id)).toMatchObject({ service: 'voirie' });
    expect(listed.find((t: { code: string }) => t.code === 'voirie-11')).toMatchObject({ service: 'voirie' });
  });

  it("puts a team's reports in the queue of its service's supervisor (the service column, not the code)", async () => {
    const team = (await call('POST', '/api/admin/teams', { code: 'renfort-est', name: 'Renfort Est' })).json();
    const report = await fileReport();
    // No routing rule names a team just made: the report is put there directly.
    await stack.pool.query('UPDATE reports SET team_id = $2 WHERE id = $1', [report.id, team.id]);
    const queue = async () =>
      (await call('GET', '/api/staff/reports', undefined, 'supervisor'))
        .json()
        .reports.map((r: { id: string }) => r.id);
    expect(await queue()).not.toContain(report.id);
    await call('PATCH', `/api/admin/teams/${team.id}`, { service: 'voirie' });
    expect(await queue()).toContain(report.id);
  });
});

describe('service areas from GeoJSON', () => {
  const post = (body: unknown, query = '') => call('POST', `/api/admin/areas${query}`, body);

  it('accepts a Feature, a FeatureCollection of one, a bare polygon and application/geo+json; stores MultiPolygon 4326', async () => {
    const asFeature = await post(
      feature({ type: 'Polygon', coordinates: [square(2.33, 48.86)] }, { code: 'zone-a', name: 'Zone A' }),
    );
    expect(asFeature.statusCode).toBe(201);
    expect(asFeature.json()).toMatchObject({ code: 'zone-a', name: 'Zone A', vertexCount: 5 });
    expect(asFeature.json().areaKm2).toBeGreaterThan(0.1);
    expect(asFeature.json().bbox[0]).toBeCloseTo(2.33, 6);

    const collection = await post({
      type: 'FeatureCollection',
      features: [
        feature(
          { type: 'MultiPolygon', coordinates: [[square(2.34, 48.86)], [square(2.35, 48.86)]] },
          { code: 'zone-b', name: 'Zone B' },
        ),
      ],
    });
    expect(collection.statusCode).toBe(201);
    const bare = await post({ type: 'Polygon', coordinates: [square(2.32, 48.86)] }, '?code=zone-c&name=Zone%20C');
    expect(bare.statusCode).toBe(201);
    const geoJson = await stack.app.inject({
      method: 'POST',
      url: '/api/admin/areas',
      headers: { ...stack.as('admin'), 'content-type': 'application/geo+json' },
      payload: JSON.stringify({ type: 'Polygon', coordinates: [square(2.31, 48.86)], code: 'zone-d', name: 'Zone D' }),
    });
    expect(geoJson.statusCode).toBe(201);

    const { rows } = await stack.pool.query(
      `SELECT code, GeometryType(geom) AS type, ST_SRID(geom) AS srid, ST_NumGeometries(geom) AS parts
         FROM service_areas WHERE code LIKE 'zone-%' ORDER BY code`,
    );
    expect(rows).toEqual([
      { code: 'zone-a', type: 'MULTIPOLYGON', srid: 4326, parts: 1 },
      { code: 'zone-b', type: 'MULTIPOLYGON', srid: 4326, parts: 2 },
      { code: 'zone-c', type: 'MULTIPOLYGON', srid: 4326, parts: 1 },
      { code: 'zone-d', type: 'MULTIPOLYGON', srid: 4326, parts: 1 },
    ]);
    const listed = (await call('GET', '/api/admin/areas')).json().areas;
    expect(listed.find((a: { code: string }) => a.code === 'paris-11')).toMatchObject({
      name: expect.stringContaining('11e'),
    });
    expect(JSON.stringify(listed)).not.toContain('coordinates');
    expect(
      (
        await post(feature({ type: 'Polygon', coordinates: [square(2.3, 48.86)] }, { code: 'zone-a', name: 'A' }))
      ).json().code,
    ).toBe('ALREADY_EXISTS');
  });

  it('refuses what is not GeoJSON, other geometry types, invalid polygons, bad coordinates, huge or far areas', async () => {
    const bowtie = [
      [2.35, 48.85],
      [2.36, 48.86],
      [2.36, 48.85],
      [2.35, 48.86],
      [2.35, 48.85],
    ];
    const ok = { code: 'z', name: 'Z' };
    const cases: [string, unknown, number, string][] = [
      ['plain object', { hello: 'world' }, 400, 'GEOJSON_INVALID'],
      ['array', [1, 2, 3], 400, 'GEOJSON_INVALID'],
      ['unknown type', { type: 'Circle', coordinates: [] }, 400, 'GEOJSON_INVALID'],
      ['two features', { type: 'FeatureCollection', features: [feature({}), feature({})] }, 400, 'GEOJSON_INVALID'],
      ['position not numbers', { type: 'Polygon', coordinates: [[['2.3', '48.8']]], ...ok }, 400, 'GEOJSON_INVALID'],
      ['point', feature({ type: 'Point', coordinates: [2.35, 48.85] }, ok), 422, 'GEOMETRY_TYPE_UNSUPPORTED'],
      [
        'line',
        {
          type: 'LineString',
          coordinates: [
            [2.35, 48.85],
            [2.36, 48.86],
          ],
        },
        422,
        'GEOMETRY_TYPE_UNSUPPORTED',
      ],
      ['self-intersection', { type: 'Polygon', coordinates: [bowtie], ...ok }, 422, 'GEOMETRY_INVALID'],
      [
        'open ring',
        { type: 'Polygon', coordinates: [square(2.35, 48.85).slice(0, 4)], ...ok },
        422,
        'GEOMETRY_INVALID',
      ],
      [
        'latitude 148',
        { type: 'Polygon', coordinates: [square(2.35, 148.85)], ...ok },
        422,
        'COORDINATES_OUT_OF_RANGE',
      ],
      ['Lyon', { type: 'Polygon', coordinates: [square(4.83, 45.76)], ...ok }, 422, 'AREA_OUTSIDE_CITY'],
      ['Île-de-France', { type: 'Polygon', coordinates: [square(2.0, 48.6, 0.7)], ...ok }, 422, 'AREA_TOO_LARGE'],
      ['no code', { type: 'Polygon', coordinates: [square(2.35, 48.85)] }, 400, 'VALIDATION_FAILED'],
    ];
    const got = [];
    for (const [label, body] of cases) {
      const response = await post(body);
      got.push([label, body, response.statusCode, response.json().code]);
    }
    expect(got).toEqual(cases);
    const crossed = (await post({ type: 'Polygon', coordinates: [bowtie], ...ok })).json();
    expect(crossed.message).toMatch(/Self-intersection\[2\.355 48\.855\]/);
    // The place of the fault, for a page to show (never parsed from the message).
    expect(crossed.location).toEqual({ lon: expect.closeTo(2.355, 9), lat: expect.closeTo(48.855, 9) });

    const notJson = await stack.app.inject({
      method: 'POST',
      url: '/api/admin/areas',
      headers: { ...stack.as('admin'), 'content-type': 'application/json' },
      payload: '{"type": "Polygon", ',
    });
    expect({ status: notJson.statusCode, code: notJson.json().code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it(`refuses more than ${AREA_LIMITS.maxVertices} vertices before PostGIS reads them`, async () => {
    const n = AREA_LIMITS.maxVertices + 1;
    const ring = Array.from({ length: n }, (_, i) => {
      const a = (2 * Math.PI * i) / (n - 1);
      return [2.35 + 0.01 * Math.cos(a), 48.85 + 0.01 * Math.sin(a)];
    });
    ring[n - 1] = ring[0]!;
    const response = await post({ type: 'Polygon', coordinates: [ring], code: 'big', name: 'Big' });
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 422,
      code: 'GEOMETRY_TOO_COMPLEX',
    });
  });

  it('replaces an outline with PUT; reports keep their area', async () => {
    const created = (
      await post({ type: 'Polygon', coordinates: [square(2.38, 48.87)], code: 'zone-put', name: 'Put' })
    ).json();
    const replaced = await call('PUT', `/api/admin/areas/${created.id}`, {
      type: 'MultiPolygon',
      coordinates: [[square(2.38, 48.87, 0.01)]],
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: created.id, code: 'zone-put', name: 'Put' });
    expect(replaced.json().areaKm2).toBeGreaterThan(created.areaKm2 * 5);
    expect(
      (await call('PUT', '/api/admin/areas/999999', { type: 'Polygon', coordinates: [square(2.38, 48.87)] })).json()
        .code,
    ).toBe('AREA_NOT_FOUND');
    expect(
      (await call('PUT', `/api/admin/areas/${created.id}`, { type: 'Point', coordinates: [2.3, 48.8] })).statusCode,
    ).toBe(422);
  });
});

describe('routing rules', () => {
  it('lists rules in evaluation order with their criteria as codes', async () => {
    const rules = (await call('GET', '/api/admin/rules')).json().rules;
    const positions = rules.map((r: { position: number }) => r.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(
      rules.find((r: { group: string; area: string }) => r.group === 'voirie' && r.area === 'paris-11'),
    ).toMatchObject({
      team: { code: 'voirie-11' },
      days: null,
      timeFrom: null,
      isActive: true,
    });
    // The seeded on-call rules wait, switched off, for an admin.
    expect(rules.filter((r: { team: { code: string } }) => r.team.code === 'astreinte-voirie')).toEqual(
      expect.arrayContaining([expect.objectContaining({ timeFrom: '20:00', timeTo: '07:00', isActive: false })]),
    );
  });

  it('creates and patches a rule with a time window; refuses contradictions and unknown codes', async () => {
    const created = await call('POST', '/api/admin/rules', {
      position: 40,
      category: 'fuite-eau',
      area: 'paris-11',
      team: 'eau',
      days: [7, 6],
      timeFrom: '22:00',
      timeTo: '06:00',
      description: 'Fuites de nuit',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      position: 40,
      category: 'fuite-eau',
      group: null,
      area: 'paris-11',
      team: { code: 'eau' },
      days: [6, 7],
      timeFrom: '22:00',
      timeTo: '06:00',
      isActive: true,
      isReferenced: false,
    });
    const id = created.json().id;
    const patched = await call('PATCH', `/api/admin/rules/${id}`, {
      group: 'eau',
      timeFrom: null,
      timeTo: null,
      isActive: false,
    });
    expect(patched.json()).toMatchObject({
      category: null,
      group: 'eau',
      timeFrom: null,
      timeTo: null,
      isActive: false,
    });
    // An explicit null clears the days back to "every day" (it is not read as [0]).
    const everyDay = await call('PATCH', `/api/admin/rules/${id}`, { days: null });
    expect(everyDay.statusCode).toBe(200);
    expect(everyDay.json()).toMatchObject({ days: null, group: 'eau' });

    const refusals: [object, number, string][] = [
      [{ position: 1, team: 'eau', category: 'fuite-eau', group: 'eau' }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'equipe-fantome' }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', area: 'paris-99' }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', timeFrom: '20:00' }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', timeFrom: '20:00', timeTo: '20:00' }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', timeFrom: '25:00', timeTo: '07:00' }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', days: [0] }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', days: [6, 6] }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', days: [] }, 400, 'VALIDATION_FAILED'],
      [{ position: 1, team: 'eau', days: [8] }, 400, 'VALIDATION_FAILED'],
      [{ position: -1, team: 'eau' }, 400, 'VALIDATION_FAILED'],
      [{ team: 'eau' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refusals) {
      const response = await call('POST', '/api/admin/rules', body);
      expect({ body, status: response.statusCode, code: response.json().code }).toEqual({ body, status, code });
    }
    expect((await call('PATCH', '/api/admin/rules/999999', { isActive: true })).json().code).toBe('RULE_NOT_FOUND');
    expect((await call('PATCH', `/api/admin/rules/${id}`, { timeTo: '08:00' })).statusCode).toBe(400);
  });

  it('applies a change to the next report without a restart', async () => {
    const team = (await call('POST', '/api/admin/teams', { code: 'chantier-11', name: 'Chantier 11' })).json();
    const rule = (
      await call('POST', '/api/admin/rules', {
        position: 5,
        category: 'nid-de-poule',
        area: 'paris-11',
        team: team.code,
      })
    ).json();
    const first = await fileReport();
    expect(await routeReport(stack.pool, first.id)).toMatchObject({
      outcome: 'routed',
      teamName: 'Chantier 11',
      ruleId: rule.id,
    });

    await call('PATCH', `/api/admin/rules/${rule.id}`, { isActive: false });
    const second = await fileReport();
    expect(await routeReport(stack.pool, second.id)).toMatchObject({
      outcome: 'routed',
      teamName: 'Voirie — Paris 11e',
    });

    // Pointing the rule at another team applies at once too.
    await call('PATCH', `/api/admin/rules/${rule.id}`, { isActive: true, team: 'eau' });
    const third = await fileReport();
    expect(await routeReport(stack.pool, third.id)).toMatchObject({ teamName: 'Eau de Paris' });
  });

  it('deletes an unused rule, deactivates one that routed reports', async () => {
    const unused = (await call('POST', '/api/admin/rules', { position: 9100, team: 'tri' })).json();
    expect((await call('DELETE', `/api/admin/rules/${unused.id}`)).json()).toEqual({
      id: unused.id,
      outcome: 'deleted',
    });
    expect((await call('DELETE', `/api/admin/rules/${unused.id}`)).json().code).toBe('RULE_NOT_FOUND');

    const used = (await call('POST', '/api/admin/rules', { position: 6, category: 'tag-facade', team: 'tri' })).json();
    const report = await fileReport(POINT_PARIS_11, 'tag-facade');
    await routeReport(stack.pool, report.id);
    expect((await call('DELETE', `/api/admin/rules/${used.id}`)).json()).toEqual({
      id: used.id,
      outcome: 'deactivated',
    });
    const { rows } = await stack.pool.query(
      'SELECT r.routing_rule_id, rr.is_active FROM reports r JOIN routing_rules rr ON rr.id = r.routing_rule_id WHERE r.id = $1',
      [report.id],
    );
    expect(rows).toEqual([{ routing_rule_id: used.id, is_active: false }]);
  });

  it('reorders every rule at once, and refuses a partial list', async () => {
    const before = (await call('GET', '/api/admin/rules')).json().rules.map((r: { id: number }) => r.id);
    const reversed = [...before].reverse();
    const response = await call('POST', '/api/admin/rules/reorder', { ids: reversed });
    expect(response.json().rules.map((r: { id: number }) => r.id)).toEqual(reversed);
    expect(
      response
        .json()
        .rules.slice(0, 3)
        .map((r: { position: number }) => r.position),
    ).toEqual([10, 20, 30]);
    expect((await call('POST', '/api/admin/rules/reorder', { ids: reversed.slice(1) })).json().code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await call('POST', '/api/admin/rules/reorder', { ids: [...reversed.slice(1), 999999] })).json().code).toBe(
      'RULE_NOT_FOUND',
    );
    await call('POST', '/api/admin/rules/reorder', { ids: before });
  });
});

describe('categories', () => {
  it('changes a deadline for the next report, and hides an inactive category from residents', async () => {
    const patched = await call('PATCH', '/api/admin/categories/encombrant', {
      deadlineHours: 7,
      deadlineMode: 'calendar',
    });
    expect(patched.json()).toMatchObject({ code: 'encombrant', deadlineHours: 7, deadlineMode: 'calendar' });
    const report = await fileReport(POINT_PARIS_11, 'encombrant');
    const outcome = await routeReport(stack.pool, report.id);
    const { rows } = await stack.pool.query('SELECT created_at FROM reports WHERE id = $1', [report.id]);
    expect(outcome.outcome === 'routed' && outcome.deadlineAt.getTime() - rows[0].created_at.getTime()).toBe(
      7 * 3_600_000,
    );

    expect((await call('PATCH', '/api/admin/categories/velo-abandonne', { isActive: false })).statusCode).toBe(200);
    const tree = (await stack.app.inject('/api/categories')).json();
    const codes = tree.groups.flatMap((g: { categories: { code: string }[] }) => g.categories.map((c) => c.code));
    expect(codes).not.toContain('velo-abandonne');
    expect(codes).toContain('encombrant');

    expect((await call('PATCH', '/api/admin/categories/licorne', { isActive: false })).json().code).toBe(
      'CATEGORY_NOT_FOUND',
    );
    expect((await call('PATCH', '/api/admin/categories/encombrant', { deadlineMode: 'lunar' })).statusCode).toBe(400);
    expect((await call('PATCH', '/api/admin/categories/encombrant', { deadlineHours: 0 })).statusCode).toBe(400);
  });
});

describe('staff accounts', () => {
  it('creates an account with a generated password shown once; it can sign in', async () => {
    const created = await call('POST', '/api/admin/users', {
      email: 'Nouvelle.Equipe@Ville.test',
      role: 'crew',
      team: 'voirie-11',
    });
    expect(created.statusCode).toBe(201);
    const { user, password } = created.json();
    expect(user).toMatchObject({
      email: 'nouvelle.equipe@ville.test',
      role: 'crew',
      team: 'voirie-11',
      isActive: true,
    });
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await logIn('nouvelle.equipe@ville.test', password)).toBeTruthy();
    const list = await call('GET', '/api/admin/users');
    expect(list.body).not.toContain(password);
    expect(list.body).not.toMatch(/argon2|password/i);

    const chosen = await call('POST', '/api/admin/users', {
      email: 'chef.proprete@ville.test',
      role: 'supervisor',
      service: 'proprete',
      password: 'un mot de passe choisi',
    });
    expect(chosen.statusCode).toBe(201);
    expect(chosen.json().password).toBeUndefined();
  });

  it('refuses a duplicate, a crew without team, a supervisor of an unknown service, a bad e-mail or role', async () => {
    const cases: [object, number, string][] = [
      [{ email: 'crew@ville.test', role: 'council' }, 409, 'ALREADY_EXISTS'],
      [{ email: 'sans.equipe@ville.test', role: 'crew' }, 400, 'VALIDATION_FAILED'],
      [{ email: 'x@ville.test', role: 'crew', team: 'voirie-99' }, 400, 'VALIDATION_FAILED'],
      [{ email: 'x@ville.test', role: 'supervisor' }, 400, 'VALIDATION_FAILED'],
      [{ email: 'x@ville.test', role: 'supervisor', service: 'astronomie' }, 400, 'VALIDATION_FAILED'],
      [{ email: 'pas-un-mail', role: 'council' }, 400, 'EMAIL_INVALID'],
      [{ email: 'x@ville.test', role: 'mayor' }, 400, 'VALIDATION_FAILED'],
      [{ email: 'x@ville.test', role: 'council', password: 'court' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const response = await call('POST', '/api/admin/users', body);
      expect({ body, status: response.statusCode, code: response.json().code }).toEqual({ body, status, code });
    }
  });

  it('changes a role on the next request, and deactivating ends every session at once', async () => {
    await call('POST', '/api/admin/users', { email: 'temp@ville.test', role: 'council', password: PASSWORD });
    const sessions = [await logIn('temp@ville.test'), await logIn('temp@ville.test')];
    const me = (token: string | undefined) =>
      stack.app.inject({ url: '/api/staff/me', headers: { cookie: `pave_session=${token}` } });
    const id = (await me(sessions[0])).json().user.id;

    const promoted = await call('PATCH', `/api/admin/users/${id}`, { role: 'supervisor', service: 'voirie' });
    expect(promoted.json()).toMatchObject({ role: 'supervisor', service: 'voirie' });
    expect((await me(sessions[0])).json().user).toMatchObject({ role: 'supervisor' });

    expect((await call('PATCH', `/api/admin/users/${id}`, { isActive: false })).json().isActive).toBe(false);
    for (const token of sessions) expect((await me(token)).statusCode).toBe(401);
    const { rows } = await stack.pool.query(
      'SELECT count(*)::int AS n FROM staff_sessions WHERE user_id = $1 AND revoked_at IS NULL',
      [id],
    );
    expect(rows[0].n).toBe(0);
    expect(await logIn('temp@ville.test')).toBeUndefined();

    expect((await call('PATCH', `/api/admin/users/${id}`, { role: 'crew', team: null })).statusCode).toBe(400);
    expect((await call('PATCH', '/api/admin/users/999999', { isActive: false })).json().code).toBe(
      'STAFF_USER_NOT_FOUND',
    );
  });

  it('lets no admin lock themselves out: another admin deactivates or demotes them', async () => {
    for (const patch of [{ role: 'council' }, { isActive: false }]) {
      const self = await call('PATCH', `/api/admin/users/${stack.staff.admin.id}`, patch);
      expect({ status: self.statusCode, code: self.json().code }).toEqual({ status: 409, code: 'OWN_ACCOUNT_LOCKOUT' });
    }
    expect((await call('GET', '/api/admin/users')).statusCode).toBe(200);
    // A second admin can: the first one, still signed in, is refused from then on.
    const second = await call('POST', '/api/admin/users', { email: 'second-admin@ville.test', role: 'admin' });
    expect(second.statusCode).toBe(201);
    const cookie = await logIn('second-admin@ville.test', second.json().password);
    const demoted = await stack.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${stack.staff.admin.id}`,
      cookies: { pave_session: cookie! },
      payload: { role: 'council' },
    });
    expect(demoted.statusCode).toBe(200);
    expect((await call('GET', '/api/admin/users')).statusCode).toBe(403);
    const restored = await stack.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${stack.staff.admin.id}`,
      cookies: { pave_session: cookie! },
      payload: { role: 'admin' },
    });
    expect(restored.statusCode).toBe(200);
    expect((await call('GET', '/api/admin/users')).statusCode).toBe(200);
  });
});

describe('the audit trail', () => {
  it('records who changed what, without passwords, and cannot be rewritten', async () => {
    const created = await call('POST', '/api/admin/users', { email: 'audit@ville.test', role: 'council' });
    const password = created.json().password;
    await call('PATCH', '/api/admin/categories/corbeille-pleine', { deadlineHours: 12 });

    const entries = (await call('GET', '/api/admin/audit?limit=2')).json().entries;
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'category.update',
        entity: 'category',
        entityId: 'corbeille-pleine',
        actor: { id: stack.staff.admin.id, email: 'admin@ville.test', displayName: expect.any(String) },
        before: expect.objectContaining({ deadlineHours: expect.any(Number) }),
        after: expect.objectContaining({ deadlineHours: 12 }),
      }),
      expect.objectContaining({ action: 'user.create', entity: 'user', before: null }),
    ]);
    // The journal names the actor by their display name, as the staff table holds it.
    const { rows: actor } = await stack.pool.query('SELECT display_name FROM staff_users WHERE id = $1', [
      stack.staff.admin.id,
    ]);
    expect(entries[0].actor.displayName).toBe(actor[0].display_name);
    const { rows } = await stack.pool.query('SELECT before, after FROM admin_audit');
    expect(JSON.stringify(rows)).not.toContain(password);
    expect(JSON.stringify(rows)).not.toMatch(/argon2/);
    const rules = (await call('GET', '/api/admin/audit?entity=rule')).json().entries;
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((e: { entity: string }) => e.entity === 'rule')).toBe(true);
    await expect(stack.pool.query(`UPDATE admin_audit SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(stack.pool.query('DELETE FROM admin_audit')).rejects.toThrow(/append-only/);
  });

  it('documents the admin API in the OpenAPI document', async () => {
    const doc = (await stack.app.inject('/api/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/admin/rules',
        '/api/admin/areas/{id}',
        '/api/admin/users/{id}',
        '/api/admin/rules/reorder',
      ]),
    );
  });
});

describe('the town of a new team, area, rule or account', () => {
  // Last in the file: it turns the city into Paris and Montreuil (the kit's two towns), as a
  // metropolitan deployment is; the blocks above work on one town-less city.
  let montreuilAdmin: SignedInStaff;
  let parisAdmin: SignedInStaff;
  beforeAll(async () => {
    await seedTwoTowns(stack.pool);
    montreuilAdmin = await signInNewStaff(stack, 'montreuilAdmin', { role: 'admin', townCode: MONTREUIL.code });
    parisAdmin = await signInNewStaff(stack, 'parisAdmin', { role: 'admin', townCode: PARIS.code });
  });
  const asTown = (admin: () => SignedInStaff) => (method: Method, url: string, payload?: unknown) =>
    stack.app.inject({
      method,
      url,
      headers: admin().headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const asMontreuil = asTown(() => montreuilAdmin);
  const refusal = (response: { statusCode: number; json: () => { code: string } }) => ({
    status: response.statusCode,
    code: response.json().code,
  });

  it('offers a metropolitan admin every served town, and a town admin its own', async () => {
    const metro = await call('GET', '/api/admin/towns');
    expect(metro.statusCode).toBe(200);
    expect(metro.json().towns).toEqual([
      { code: MONTREUIL.code, name: 'Montreuil' },
      { code: PARIS.code, name: 'Paris' },
    ]);
    expect((await asMontreuil('GET', '/api/admin/towns')).json().towns).toEqual([
      { code: MONTREUIL.code, name: 'Montreuil' },
    ]);
  });

  it("lets a metropolitan admin choose a team's town among the served ones", async () => {
    const chosen = await call('POST', '/api/admin/teams', {
      code: 'espaces-verts-montreuil',
      name: 'EV',
      town: '93048',
    });
    expect(chosen.statusCode).toBe(201);
    expect(chosen.json()).toMatchObject({ code: 'espaces-verts-montreuil', town: MONTREUIL.code });
    const body = await call('POST', '/api/admin/teams', { code: 'fontaines-metropole', name: 'Fontaines' });
    expect(body.json().town).toBeNull();
    // Boulogne-Billancourt is known but not served in the test city; 99999 is no town at all.
    for (const town of ['92012', '99999']) {
      const refused = await call('POST', '/api/admin/teams', { code: `t-${town}`, name: 'x', town });
      expect(refusal(refused)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await call('POST', '/api/admin/teams', { code: 't-bad', name: 'x', town: 'Paris' })).statusCode).toBe(400);
    const listed = (await call('GET', '/api/admin/teams')).json().teams as { code: string; town: string | null }[];
    expect(listed.find((t) => t.code === 'espaces-verts-montreuil')?.town).toBe(MONTREUIL.code);
    expect(listed.find((t) => t.code === 'voirie-11')?.town).toBe(PARIS.code);
  });

  it("makes a town admin's rows its town's, and refuses another town (or none) with a 403", async () => {
    const own = await asMontreuil('POST', '/api/admin/teams', { code: 'proprete-montreuil', name: 'Propreté' });
    expect(own.json()).toMatchObject({ code: 'proprete-montreuil', town: MONTREUIL.code });
    const named = await asMontreuil('POST', '/api/admin/teams', { code: 'tri-montreuil', name: 'Tri', town: '93048' });
    expect(named.json().town).toBe(MONTREUIL.code);
    for (const town of [PARIS.code, null]) {
      const refused = await asMontreuil('POST', '/api/admin/teams', { code: 'autre-ville', name: 'x', town });
      expect(refusal(refused)).toEqual({ status: 403, code: 'FORBIDDEN' });
      const area = await asMontreuil('POST', `/api/admin/areas?code=autre&name=Autre${town ? `&town=${town}` : ''}`, {
        type: 'Polygon',
        coordinates: [square(2.44, 48.86)],
      });
      if (town) expect(refusal(area)).toEqual({ status: 403, code: 'FORBIDDEN' });
      else expect(area.json()).toMatchObject({ code: 'autre', town: MONTREUIL.code });
    }
    expect(await stack.pool.query("SELECT 1 FROM teams WHERE code = 'autre-ville'")).toMatchObject({ rowCount: 0 });
    // Its lists hold its town's rows and the town-less ones, never Paris's.
    const teams = (await asMontreuil('GET', '/api/admin/teams')).json().teams as { town: string | null }[];
    expect(new Set(teams.map((t) => t.town))).toEqual(new Set([MONTREUIL.code, null]));
  });

  it("gives a service area the chosen town and lists each area's town", async () => {
    const area = await call('POST', '/api/admin/areas?code=montreuil-bas&name=Bas-Montreuil&town=93048', {
      type: 'Polygon',
      coordinates: [square(2.43, 48.855)],
    });
    expect(area.statusCode).toBe(201);
    expect(area.json().town).toBe(MONTREUIL.code);
    const areas = (await call('GET', '/api/admin/areas')).json().areas as { code: string; town: string | null }[];
    expect(areas.find((a) => a.code === 'montreuil-bas')?.town).toBe(MONTREUIL.code);
    expect(areas.find((a) => a.code === 'paris-11')?.town).toBe(PARIS.code);
  });

  it("gives a rule its team's town by default, and refuses a team or area of another town", async () => {
    const byTeam = await call('POST', '/api/admin/rules', {
      position: 5,
      team: 'voirie-montreuil',
      category: 'tag-facade',
    });
    expect(byTeam.statusCode).toBe(201);
    expect(byTeam.json()).toMatchObject({ town: MONTREUIL.code, team: { code: 'voirie-montreuil' } });
    const bodyRule = await call('POST', '/api/admin/rules', {
      position: 9500,
      team: 'eclairage-metropole',
      town: null,
    });
    expect(bodyRule.json().town).toBeNull();
    const chosen = await call('POST', '/api/admin/rules', {
      position: 9600,
      team: 'eclairage-metropole',
      town: '75056',
    });
    expect(chosen.json().town).toBe(PARIS.code);
    const cases: [object, string][] = [
      // A town-less rule applies in every town: Montreuil's team would take Paris's reports.
      [{ position: 6, team: 'voirie-montreuil', town: null }, 'VALIDATION_FAILED'],
      [{ position: 6, team: 'voirie-montreuil', town: PARIS.code }, 'VALIDATION_FAILED'],
      [{ position: 6, team: 'voirie-montreuil', area: 'paris-11' }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      const refused = await call('POST', '/api/admin/rules', body);
      expect({ body, ...refusal(refused) }).toEqual({ body, status: 400, code });
    }
    // A patch keeps the rule's town: its team cannot move to another town's.
    const moved = await call('PATCH', `/api/admin/rules/${byTeam.json().id}`, { team: 'voirie-11' });
    expect(refusal(moved)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });

    const own = await asMontreuil('POST', '/api/admin/rules', { position: 7, team: 'voirie-montreuil' });
    expect(own.json().town).toBe(MONTREUIL.code);
    const other = await asMontreuil('POST', '/api/admin/rules', {
      position: 7,
      team: 'voirie-montreuil',
      town: '75056',
    });
    expect(refusal(other)).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it("gives an account its team's town or the chosen one; the account's session names its town", async () => {
    const crew = await call('POST', '/api/admin/users', {
      email: 'crew.montreuil@ville.test',
      role: 'crew',
      team: 'voirie-montreuil',
      password: PASSWORD,
    });
    expect(crew.json().user).toMatchObject({ team: 'voirie-montreuil', town: MONTREUIL.code });
    const council = await call('POST', '/api/admin/users', {
      email: 'elu.montreuil@ville.test',
      role: 'council',
      town: '93048',
      password: PASSWORD,
    });
    expect(council.json().user.town).toBe(MONTREUIL.code);
    const metro = await call('POST', '/api/admin/users', {
      email: 'elu.metropole@ville.test',
      role: 'council',
      password: PASSWORD,
    });
    expect(metro.json().user.town).toBeNull();
    const me = async (email: string) =>
      (await stack.app.inject({ url: '/api/staff/me', cookies: { pave_session: (await logIn(email))! } })).json().user;
    expect(await me('elu.montreuil@ville.test')).toMatchObject({ townCode: MONTREUIL.code, townName: 'Montreuil' });
    expect(await me('elu.metropole@ville.test')).toMatchObject({ townCode: null, townName: null });

    const mismatch = await call('POST', '/api/admin/users', {
      email: 'x1@ville.test',
      role: 'crew',
      team: 'voirie-montreuil',
      town: PARIS.code,
    });
    expect(refusal(mismatch)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    // Paris's teams are out of a Montreuil admin's sight: the same answer as a team that does not exist.
    const parisTeam = await asMontreuil('POST', '/api/admin/users', {
      email: 'x2@ville.test',
      role: 'crew',
      team: 'voirie-11',
    });
    expect(refusal(parisTeam)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const otherTown = await asMontreuil('POST', '/api/admin/users', {
      email: 'x3@ville.test',
      role: 'council',
      town: '75056',
    });
    expect(refusal(otherTown)).toEqual({ status: 403, code: 'FORBIDDEN' });
    const made = await asMontreuil('POST', '/api/admin/users', { email: 'x4@ville.test', role: 'council' });
    expect(made.json().user.town).toBe(MONTREUIL.code);

    const users = (await call('GET', '/api/admin/users')).json().users as { email: string; town: string | null }[];
    expect(users.find((u) => u.email === parisAdmin.email)?.town).toBe(PARIS.code);
    expect(users.find((u) => u.email === 'x4@ville.test')?.town).toBe(MONTREUIL.code);
    expect(users.find((u) => u.email === 'admin@ville.test')?.town).toBeNull();
  });
});
