import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OPEN311_BASE,
  postRequest,
  startOpen311App,
  validPothole,
  type Open311TestContext,
} from '../support/open311-app';

// The city's own address index (the demo's 4,612 Paris addresses), as GEOCODER=local serves it.
let ctx: Open311TestContext;

beforeAll(async () => {
  ctx = await startOpen311App();
});

afterAll(async () => {
  await ctx?.close();
});

const withoutPoint = (pairs: [string, string][]) => pairs.filter(([k]) => k !== 'lat' && k !== 'long');

async function fileWith(pairs: [string, string][]) {
  return postRequest(ctx.app, [...withoutPoint(validPothole(ctx.apiKey)), ...pairs]);
}

async function storedPlace(id: string) {
  const { rows } = await ctx.db.pool.query(
    `SELECT ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.address, r.address_id, a.code AS area
       FROM reports r JOIN service_areas a ON a.id = r.area_id WHERE r.id = $1`,
    [id],
  );
  return rows[0];
}

async function reportCount(): Promise<number> {
  return (await ctx.db.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n;
}

describe('POST requests placed by an address, without lat/long', () => {
  it('places an address_string found in the index at that address, and keeps it', async () => {
    const response = await fileWith([['address_string', '90 rue de la Victoire, Paris']]);
    expect(response.statusCode, response.body).toBe(200);
    const [created] = response.json() as { service_request_id: string }[];
    expect(await storedPlace(created!.service_request_id)).toEqual({
      lon: 2.331058,
      lat: 48.875065,
      address: '90 Rue de la Victoire 75009 Paris',
      address_id: '75109_ae3c_00090',
      area: 'paris-09',
    });
    const [request] = (await ctx.app.inject(`${OPEN311_BASE}/requests/${created!.service_request_id}.json`)).json();
    expect(request).toMatchObject({
      address: '90 Rue de la Victoire 75009 Paris',
      address_id: '75109_ae3c_00090',
      lat: 48.875065,
      long: 2.331058,
    });
  });

  it('places an address_string naming only a street at the street, with the street as address', async () => {
    const response = await fileWith([['address_string', 'rue de la Roquette']]);
    expect(response.statusCode, response.body).toBe(200);
    const [created] = response.json() as { service_request_id: string }[];
    expect(await storedPlace(created!.service_request_id)).toMatchObject({
      address: 'Rue de la Roquette 75011 Paris',
      address_id: null,
      area: 'paris-11',
    });
  });

  it('places an address_id (a BAN id of the index) at that address', async () => {
    const response = await fileWith([['address_id', '75109_ae3c_00090']]);
    expect(response.statusCode, response.body).toBe(200);
    const [created] = response.json() as { service_request_id: string }[];
    expect(await storedPlace(created!.service_request_id)).toEqual({
      lon: 2.331058,
      lat: 48.875065,
      address: '90 Rue de la Victoire 75009 Paris',
      address_id: '75109_ae3c_00090',
      area: 'paris-09',
    });
  });

  it('refuses an unknown address_id with the reason, in the spec’s error format, filing nothing', async () => {
    const before = await reportCount();
    const response = await fileWith([
      ['address_id', '75111_0000_99999'],
      ['address_string', '90 rue de la Victoire'],
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual([
      { code: 400, description: expect.stringContaining('"75111_0000_99999" is not an address of this city') },
    ]);
    expect(await reportCount()).toBe(before);
  });

  it('refuses an address_string the index cannot locate with confidence, filing nothing', async () => {
    const before = await reportCount();
    for (const text of ['quelque part', 'zzqx plop']) {
      const response = await fileWith([['address_string', text]]);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual([{ code: 400, description: expect.stringContaining('could not be located') }]);
    }
    expect(await reportCount()).toBe(before);
  });
});

describe('POST requests with lat/long', () => {
  it('stores the index’s address at the point, not the address_string sent with it', async () => {
    const response = await postRequest(ctx.app, [
      ...validPothole(ctx.apiKey).filter(([k]) => k !== 'lat' && k !== 'long'),
      ['lat', '48.875065'],
      ['long', '2.331058'],
      ['address_string', '1 rue Imaginaire'],
    ]);
    expect(response.statusCode, response.body).toBe(200);
    const [created] = response.json() as { service_request_id: string }[];
    expect(await storedPlace(created!.service_request_id)).toMatchObject({
      address: '90 Rue de la Victoire 75009 Paris',
      address_id: '75109_ae3c_00090',
    });
  });
});
