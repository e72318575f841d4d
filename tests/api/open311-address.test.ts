import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formBody } from '../support/open311-client';
import { OPEN311_BASE, startOpen311App, validPothole, type Open311TestContext } from '../support/open311-app';

let ban: Server;
let ctx: Open311TestContext;

beforeAll(async () => {
  // A local geocoder in the national address API's format: sure of one address, unsure of the rest.
  ban = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
    const sure = /roquette/i.test(q);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'Point', coordinates: sure ? [2.3729, 48.8541] : [2.35, 48.85] },
            properties: { label: sure ? '12 Rue de la Roquette 75011 Paris' : 'Paris', score: sure ? 0.93 : 0.31 },
          },
        ],
      }),
    );
  });
  await new Promise<void>((resolve) => ban.listen(0, '127.0.0.1', resolve));
  ctx = await startOpen311App({
    GEOCODER: 'ban-api',
    GEOCODER_URL: `http://127.0.0.1:${(ban.address() as AddressInfo).port}/`,
  });
});

afterAll(async () => {
  await ctx?.close();
  await new Promise((resolve) => ban?.close(resolve));
});

const withoutPoint = (pairs: [string, string][]) => pairs.filter(([k]) => k !== 'lat' && k !== 'long');

describe('POST requests with an address_string and no lat/long', () => {
  it('places a confident address and files the request there', async () => {
    const body = formBody([
      ...withoutPoint(validPothole(ctx.apiKey)),
      ['address_string', '12 rue de la Roquette, Paris'],
    ]);
    const response = await ctx.app.inject({ method: 'POST', url: `${OPEN311_BASE}/requests.json`, ...body });
    expect(response.statusCode).toBe(200);
    const [created] = response.json() as { service_request_id: string }[];
    const { rows } = await ctx.db.pool.query(
      'SELECT ST_X(r.geom) AS lon, ST_Y(r.geom) AS lat, r.address, a.code AS area FROM reports r JOIN service_areas a ON a.id = r.area_id WHERE r.id = $1',
      [created!.service_request_id],
    );
    expect(rows[0]).toEqual({ lon: 2.3729, lat: 48.8541, address: '12 rue de la Roquette, Paris', area: 'paris-11' });
  });

  it('refuses an address the geocoder is not sure of, in the spec’s error format', async () => {
    const before = (await ctx.db.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n;
    const body = formBody([...withoutPoint(validPothole(ctx.apiKey)), ['address_string', 'quelque part']]);
    const response = await ctx.app.inject({ method: 'POST', url: `${OPEN311_BASE}/requests.json`, ...body });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual([{ code: 400, description: expect.stringContaining('could not be located') }]);
    expect((await ctx.db.pool.query('SELECT count(*)::int AS n FROM reports')).rows[0].n).toBe(before);
  });
});
