import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeocoderStub, type GeocoderStub } from '../support/geocoder-stub';
import { useStack } from '../support/stack';

// The optional external geocoder (GEOCODER=ban-api), against a local stub of the national address API.
// The default, the city's own index, and the validation of every query are in addresses-search.test.ts.

const stack = useStack({ api: false });
let ban: GeocoderStub;
let app: FastifyInstance;
let unreachable: FastifyInstance;

beforeAll(async () => {
  ban = await startGeocoderStub();
  app = await stack.buildApp({ GEOCODER: 'ban-api', GEOCODER_URL: ban.url });
  unreachable = await stack.buildApp({ GEOCODER: 'ban-api', GEOCODER_URL: 'http://127.0.0.1:1/' });
});

afterAll(async () => {
  await ban?.close();
});

describe('geocoding through a configured BAN-compatible geocoder', () => {
  it('searches addresses and reverse-geocodes a point, with [lon, lat] results', async () => {
    const search = await app.inject('/api/geocode/search?q=12%20rue%20de%20la%20roquette');
    expect(search.statusCode).toBe(200);
    expect(search.json()).toEqual({
      results: [
        {
          label: '12 Rue de la Roquette 75011 Paris',
          lon: 2.3729,
          lat: 48.8541,
          kind: 'address',
          id: '75111_8366_00012',
          score: 0.95,
        },
      ],
    });
    // The query and the map's centre are what the external service is sent.
    const sent = new URL(ban.seen.at(-1)!, 'http://stub');
    expect(sent.pathname).toBe('/search/');
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      q: '12 rue de la roquette',
      limit: '5',
      lon: '2.3488',
      lat: '48.8534',
    });
    const reverse = await app.inject('/api/geocode/reverse?lat=48.853&lon=2.369');
    expect(reverse.json()).toEqual({
      label: '1 Place de la Bastille 75011 Paris',
      kind: 'address',
      id: '75111_0764_00001',
      metres: null,
    });
  });

  it('answers 503 GEOCODER_UNAVAILABLE when the geocoder cannot be reached', async () => {
    for (const url of ['/api/geocode/search?q=bastille', '/api/geocode/reverse?lat=48.853&lon=2.369']) {
      const down = await unreachable.inject(url);
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ code: 'GEOCODER_UNAVAILABLE', message: expect.any(String) });
    }
  });
});
