import { AREA_LIMITS } from '@pave/shared';
import { DEMO_TOWNS, seedDemoTowns } from '@pave/core/seed';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';
import { MONTREUIL, PARIS, signInStaffOf } from '../support/towns';

// A town's service areas stay within the town (AREA_OUTSIDE_TOWN, with the tolerance of AREA_LIMITS),
// and a team or an area never changes town (TOWN_NOT_CHANGEABLE; docs/adr/0012-towns.md). The city is
// the demo's: Paris's 20 arrondissements (seedCity) and the four neighbouring towns (seedDemoTowns).
const stack = useStack();
const ADMINS = {
  metroAdmin: { role: 'admin' },
  parisAdmin: { role: 'admin', townCode: PARIS.code },
  montreuilAdmin: { role: 'admin', townCode: MONTREUIL.code },
} as const;
type Admin = keyof typeof ADMINS;
let admins: Record<Admin, { headers: { cookie: string } }>;

const call = (who: Admin, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown) =>
  stack.app.inject({ method, url, headers: admins[who].headers, payload: payload as object });

/** A rectangle from (minLon, minLat) to (maxLon, maxLat), as a closed GeoJSON ring. */
const box = (minLon: number, minLat: number, maxLon: number, maxLat: number) => [
  [minLon, minLat],
  [maxLon, minLat],
  [maxLon, maxLat],
  [minLon, maxLat],
  [minLon, minLat],
];
const polygon = (...ring: number[][][]) => ({ type: 'Polygon', coordinates: ring });
/** 13 ha in the middle of Paris (the 4th and 5th arrondissements). */
const IN_PARIS = box(2.35, 48.85, 2.354, 48.854);
/** 13 ha in Montreuil, away from its boundary. */
const IN_MONTREUIL = box(2.43, 48.857, 2.434, 48.861);
// Paris and Montreuil share a line at about 2.4155° E between 48.853 and 48.855° N.
/** 33 ha of Montreuil with a 29 m strip of Paris along the shared line: 0.85 ha (2.6 %) outside. */
const STRADDLES_A_LITTLE = box(2.415, 48.853, 2.435, 48.855);
/** The same size moved 700 m west: 17.2 ha (53 %) in Paris. */
const STRADDLES_A_LOT = box(2.405, 48.853, 2.425, 48.855);
/**
 * In Seine-et-Marne, 10 km east of Montreuil: in none of the 124 known towns, yet near enough to pass
 * the 20 km AREA_OUTSIDE_CITY check (which a town's admin runs against its own town's areas).
 */
const IN_NO_TOWN = box(2.62, 48.84, 2.624, 48.844);
/** Paris's bow tie: its two edges cross at (2.355, 48.855). */
const BOWTIE = [
  [2.35, 48.85],
  [2.36, 48.86],
  [2.36, 48.85],
  [2.35, 48.86],
  [2.35, 48.85],
];

/** What a refusal must leave as it was: the areas (outlines included), the teams and the admin journal. */
async function snapshot() {
  const { rows } = await stack.pool.query(
    `SELECT (SELECT count(*) FROM admin_audit)::int AS journal,
            (SELECT md5(string_agg(id || code || coalesce(town_code, '-') || ST_AsEWKB(geom)::text, ',' ORDER BY id))
               FROM service_areas) AS areas,
            (SELECT md5(string_agg(id || code || name || coalesce(town_code, '-'), ',' ORDER BY id)) FROM teams) AS teams`,
  );
  return rows[0] as { journal: number; areas: string; teams: string };
}

async function areaId(code: string): Promise<number> {
  const { rows } = await stack.pool.query<{ id: number }>('SELECT id FROM service_areas WHERE code = $1', [code]);
  return rows[0]!.id;
}

async function teamId(code: string): Promise<number> {
  const { rows } = await stack.pool.query<{ id: number }>('SELECT id FROM teams WHERE code = $1', [code]);
  return rows[0]!.id;
}

beforeAll(async () => {
  await seedDemoTowns(stack.pool);
  admins = await signInStaffOf(stack, ADMINS);
});

describe("the demo's service areas", () => {
  it('pass the check against their town: each outline sent again as it is seeded is accepted', async () => {
    const { rows } = await stack.pool.query<{ id: number; code: string; town_code: string; geojson: string }>(
      `SELECT id, code, town_code, ST_AsGeoJSON(geom) AS geojson FROM service_areas
        WHERE town_code IS NOT NULL ORDER BY code`,
    );
    // Paris's 20 arrondissements and the four neighbours' whole-town areas.
    expect(rows.map((r) => r.code)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `paris-${String(i + 1).padStart(2, '0')}`),
      ...DEMO_TOWNS.map((t) => `town-${t.code}`).sort(),
    ]);
    const answers = [];
    for (const area of rows) {
      const response = await call('metroAdmin', 'PUT', `/api/admin/areas/${area.id}`, JSON.parse(area.geojson));
      answers.push({ code: area.code, status: response.statusCode, town: response.json().town });
    }
    expect(answers).toEqual(rows.map((r) => ({ code: r.code, status: 200, town: r.town_code })));
  });

  it('accepts a new area drawn as the 16th arrondissement, the one that spills most (39.6 ha, 2.5 %)', async () => {
    const { rows } = await stack.pool.query<{ geojson: string }>(
      `SELECT ST_AsGeoJSON(geom) AS geojson FROM service_areas WHERE code = 'paris-16'`,
    );
    const response = await call(
      'parisAdmin',
      'POST',
      '/api/admin/areas?code=paris-16-copie&name=Copie',
      JSON.parse(rows[0]!.geojson),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().town).toBe(PARIS.code);
  });
});

describe("a new area of a town lies within the town's boundary", () => {
  /** A Montreuil area from its own admin (the town is implied), or a Paris area from Paris's. */
  const create = (who: Admin, code: string, geometry: object) =>
    call(who, 'POST', `/api/admin/areas?code=${code}&name=Essai`, geometry);

  it.each([
    {
      label: 'entirely in Paris',
      who: 'montreuilAdmin' as const,
      geometry: polygon(IN_PARIS),
      message: /^13\.1 ha of the area \(100 %\) lie outside Montreuil \(93048\), mostly in Paris;/,
    },
    {
      label: 'straddling the line with Paris a lot (53 %)',
      who: 'montreuilAdmin' as const,
      geometry: polygon(STRADDLES_A_LOT),
      message: /^17\.2 ha of the area \(52\.6 %\) lie outside Montreuil \(93048\), mostly in Paris;/,
    },
    {
      label: 'a MultiPolygon with one of its two parts in Paris',
      who: 'montreuilAdmin' as const,
      geometry: { type: 'MultiPolygon', coordinates: [[IN_MONTREUIL], [IN_PARIS]] },
      message: /^13\.1 ha of the area \(50 %\) lie outside Montreuil \(93048\), mostly in Paris;/,
    },
    {
      label: 'in no known town at all',
      who: 'montreuilAdmin' as const,
      geometry: polygon(IN_NO_TOWN),
      message: /^13\.1 ha of the area \(100 %\) lie outside Montreuil \(93048\), in no known town;/,
    },
  ])('refuses an area $label: 422 AREA_OUTSIDE_TOWN, how much and where, nothing written', async (c) => {
    const before = await snapshot();
    const response = await create(c.who, 'hors-commune', c.geometry);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 422,
      code: 'AREA_OUTSIDE_TOWN',
    });
    expect(response.json().message).toMatch(c.message);
    expect(response.json().message).toContain(
      `at most ${AREA_LIMITS.maxOutsideTownShare * 100} % of an area and ${AREA_LIMITS.maxOutsideTownHa} ha`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it(`refuses a large area with less than ${AREA_LIMITS.maxOutsideTownShare * 100} % but more than ${AREA_LIMITS.maxOutsideTownHa} ha outside`, async () => {
    // All of Paris and a block of 82 ha in Montreuil: 0.8 % of the whole.
    const { rows } = await stack.pool.query<{ geojson: string }>(
      `SELECT ST_AsGeoJSON(ST_Collect(ST_GeometryN(geom, 1), ST_MakeEnvelope(2.43, 48.855, 2.44, 48.865, 4326))) AS geojson
         FROM towns WHERE code = $1`,
      [PARIS.code],
    );
    const before = await snapshot();
    const response = await create('parisAdmin', 'paris-et-plus', JSON.parse(rows[0]!.geojson));
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ code: 'AREA_OUTSIDE_TOWN' });
    expect(response.json().message).toMatch(
      /^81\.6 ha of the area \(0\.8 %\) lie outside Paris \(75056\), mostly in Montreuil;/,
    );
    // The same figures for a page to say in its own words (never parsed from the message).
    expect(response.json().outsideTown).toEqual({
      hectares: expect.closeTo(81.6, 1),
      share: expect.closeTo(0.008, 3),
      town: PARIS.code,
      townName: 'Paris',
      mostlyIn: 'Montreuil',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('accepts an area straddling the line a little (0.85 ha, 2.6 %), journalled as any other', async () => {
    const before = await snapshot();
    const response = await create('montreuilAdmin', 'bord-de-paris', polygon(STRADDLES_A_LITTLE));
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ code: 'bord-de-paris', town: MONTREUIL.code });
    expect((await snapshot()).journal).toBe(before.journal + 1);
    // A metropolitan admin choosing the town is held to the same line.
    const chosen = await call(
      'metroAdmin',
      'POST',
      `/api/admin/areas?code=hors-montreuil&name=x&town=${MONTREUIL.code}`,
      polygon(IN_PARIS),
    );
    expect({ status: chosen.statusCode, code: chosen.json().code }).toEqual({ status: 422, code: 'AREA_OUTSIDE_TOWN' });
  });

  it("does not check a town-less area (a body's), wherever it lies", async () => {
    const inParis = await call('metroAdmin', 'POST', '/api/admin/areas?code=corps-paris&name=Corps', polygon(IN_PARIS));
    const nowhere = await call('metroAdmin', 'POST', '/api/admin/areas?code=corps-loin&name=Loin', polygon(IN_NO_TOWN));
    expect([inParis.statusCode, nowhere.statusCode]).toEqual([201, 201]);
    expect([inParis.json().town, nowhere.json().town]).toEqual([null, null]);
  });

  it('still refuses a self-intersecting polygon as invalid, inside the town or across its line', async () => {
    const acrossTheLine = [
      [2.41, 48.853],
      [2.42, 48.855],
      [2.42, 48.853],
      [2.41, 48.855],
      [2.41, 48.853],
    ];
    const before = await snapshot();
    for (const [who, ring] of [
      ['parisAdmin', BOWTIE],
      ['montreuilAdmin', acrossTheLine],
    ] as const) {
      const response = await create(who, 'noeud', polygon(ring as unknown as number[][]));
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 422,
        code: 'GEOMETRY_INVALID',
      });
      expect(response.json().message).toMatch(/Self-intersection/);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("a new outline of a town's area (PUT) lies within the town", () => {
  it('refuses an outline moved into Paris and keeps the old one; accepts one straddling a little', async () => {
    const id = await areaId(`town-${MONTREUIL.code}`);
    const before = await snapshot();
    for (const who of ['montreuilAdmin', 'metroAdmin'] as const) {
      const moved = await call(who, 'PUT', `/api/admin/areas/${id}`, polygon(STRADDLES_A_LOT));
      expect({ status: moved.statusCode, code: moved.json().code }).toEqual({ status: 422, code: 'AREA_OUTSIDE_TOWN' });
      expect(moved.json().message).toMatch(/lie outside Montreuil \(93048\), mostly in Paris/);
    }
    expect(await snapshot()).toEqual(before);
    const little = await call('montreuilAdmin', 'PUT', `/api/admin/areas/${id}`, polygon(STRADDLES_A_LITTLE));
    expect(little.statusCode).toBe(200);
    expect(little.json()).toMatchObject({ id, town: MONTREUIL.code });
  });

  it("does not check a town-less area's new outline", async () => {
    const created = await call(
      'metroAdmin',
      'POST',
      '/api/admin/areas?code=corps-mobile&name=Corps',
      polygon(IN_PARIS),
    );
    const moved = await call('metroAdmin', 'PUT', `/api/admin/areas/${created.json().id}`, polygon(IN_MONTREUIL));
    expect(moved.statusCode).toBe(200);
    expect(moved.json().town).toBeNull();
  });
});

describe('a team or an area does not change town', () => {
  it("refuses a metropolitan admin's move of a team (409) and a town admin's (403); nothing written", async () => {
    const montreuilTeam = await teamId(`${MONTREUIL.code}-voirie`);
    const bodyTeam = await teamId('mgp-eclairage');
    const before = await snapshot();
    const cases: [Admin, number, string | null, number, string][] = [
      ['metroAdmin', montreuilTeam, PARIS.code, 409, 'TOWN_NOT_CHANGEABLE'],
      ['metroAdmin', montreuilTeam, null, 409, 'TOWN_NOT_CHANGEABLE'],
      ['metroAdmin', bodyTeam, MONTREUIL.code, 409, 'TOWN_NOT_CHANGEABLE'],
      ['montreuilAdmin', montreuilTeam, PARIS.code, 403, 'FORBIDDEN'],
      ['montreuilAdmin', montreuilTeam, null, 403, 'FORBIDDEN'],
    ];
    const answers = [];
    for (const [who, id, town] of cases) {
      const response = await call(who, 'PATCH', `/api/admin/teams/${id}`, { name: 'Renommée', town });
      answers.push([who, id, town, response.statusCode, response.json().code]);
    }
    expect(answers).toEqual(cases);
    expect(await snapshot()).toEqual(before);
    const refused = await call('metroAdmin', 'PATCH', `/api/admin/teams/${montreuilTeam}`, { town: PARIS.code });
    expect(refused.json().message).toBe(
      `The team "${MONTREUIL.code}-voirie" belongs to ${MONTREUIL.code} and does not change town: ` +
        `create a team of ${PARIS.code} and move its rules and accounts to it.`,
    );
  });

  it("accepts a patch naming the team's own town", async () => {
    const id = await teamId(`${MONTREUIL.code}-voirie`);
    for (const who of ['montreuilAdmin', 'metroAdmin'] as const) {
      const response = await call(who, 'PATCH', `/api/admin/teams/${id}`, {
        name: `Voirie (${who})`,
        town: MONTREUIL.code,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ name: `Voirie (${who})`, town: MONTREUIL.code });
    }
  });

  it("refuses an area's move to another town (409, 403) and accepts its own town named", async () => {
    const id = await areaId(`town-${MONTREUIL.code}`);
    const { rows } = await stack.pool.query<{ geojson: string }>(
      `SELECT ST_AsGeoJSON(geom) AS geojson FROM towns WHERE code = $1`,
      [MONTREUIL.code],
    );
    const outline = JSON.parse(rows[0]!.geojson) as object;
    const before = await snapshot();
    const metro = await call('metroAdmin', 'PUT', `/api/admin/areas/${id}?town=${PARIS.code}`, outline);
    expect({ status: metro.statusCode, code: metro.json().code }).toEqual({ status: 409, code: 'TOWN_NOT_CHANGEABLE' });
    const own = await call('montreuilAdmin', 'PUT', `/api/admin/areas/${id}?town=${PARIS.code}`, outline);
    expect({ status: own.statusCode, code: own.json().code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await snapshot()).toEqual(before);
    const same = await call('montreuilAdmin', 'PUT', `/api/admin/areas/${id}?town=${MONTREUIL.code}`, outline);
    expect(same.statusCode).toBe(200);
    expect(same.json().town).toBe(MONTREUIL.code);
  });
  it('refuses a move of a routing rule or an account to another town as well (409, 403), and accepts their own town named', async () => {
    const rule = (
      await stack.pool.query('SELECT id FROM routing_rules WHERE town_code = $1 ORDER BY id LIMIT 1', [MONTREUIL.code])
    ).rows[0].id as number;
    const account = (
      await stack.pool.query('SELECT id FROM staff_users WHERE town_code = $1 ORDER BY id LIMIT 1', [MONTREUIL.code])
    ).rows[0].id as number;
    const towns = async () =>
      (
        await stack.pool.query(
          `SELECT (SELECT town_code FROM routing_rules WHERE id = $1) AS rule, (SELECT town_code FROM staff_users WHERE id = $2) AS account,
                  (SELECT count(*) FROM admin_audit)::int AS journal`,
          [rule, account],
        )
      ).rows[0];
    const before = await towns();
    expect(before).toMatchObject({ rule: MONTREUIL.code, account: MONTREUIL.code });
    const cases: [Admin, string, number, string][] = [
      ['metroAdmin', `/api/admin/rules/${rule}`, 409, 'TOWN_NOT_CHANGEABLE'],
      ['montreuilAdmin', `/api/admin/rules/${rule}`, 403, 'FORBIDDEN'],
      ['metroAdmin', `/api/admin/users/${account}`, 409, 'TOWN_NOT_CHANGEABLE'],
      ['montreuilAdmin', `/api/admin/users/${account}`, 403, 'FORBIDDEN'],
    ];
    const answers = [];
    for (const [who, url] of cases) {
      const response = await call(who, 'PATCH', url, { town: PARIS.code });
      answers.push([who, url, response.statusCode, response.json().code]);
    }
    expect(answers).toEqual(cases);
    expect(await towns()).toEqual(before);
    const refused = await call('metroAdmin', 'PATCH', `/api/admin/rules/${rule}`, { town: null });
    expect(refused.json().message).toBe(
      `The rule "#${rule}" belongs to ${MONTREUIL.code} and does not change town: create a rule of no town instead.`,
    );
    for (const url of [`/api/admin/rules/${rule}`, `/api/admin/users/${account}`]) {
      const same = await call('metroAdmin', 'PATCH', url, { town: MONTREUIL.code });
      expect(same.statusCode, same.body).toBe(200);
      expect(same.json().town).toBe(MONTREUIL.code);
    }
  });
});
