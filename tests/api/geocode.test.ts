import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGeocoderStub, type GeocoderStub } from '../support/geocoder-stub';
import { useStack } from '../support/stack';

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
    expect(ban.seen.at(-1)).toContain('q=12+rue+de+la+roquette');
    const reverse = await app.inject('/api/geocode/reverse?lat=48.853&lon=2.369');
    expect(reverse.json()).toEqual({
      label: '1 Place de la Bastille 75011 Paris',
      kind: 'address',
      id: '75111_0764_00001',
      metres: null,
    });
  });

  it('answers 503 GEOCODER_UNAVAILABLE when the geocoder cannot be reached, and 400 on bad input', async () => {
    const down = await unreachable.inject('/api/geocode/search?q=bastille');
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('GEOCODER_UNAVAILABLE');
    expect((await app.inject('/api/geocode/search?q=a')).statusCode).toBe(400);
    expect((await app.inject('/api/geocode/reverse?lat=abc&lon=2.3')).json().code).toBe('LOCATION_INVALID');
  });
});
