import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack';

const stack = useStack({ api: false });

describe('GET /api/health', () => {
  it('answers 200 when PostgreSQL and Redis are up', async () => {
    const app = await stack.buildApp();
    const response = await app.inject('/api/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
  });

  it('answers 503 naming the service that is down', async () => {
    const app = await stack.buildApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    const response = await app.inject('/api/health');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'degraded', postgres: 'up', redis: 'down' });
  });
});

describe('GET /api/health/live and /api/health/ready', () => {
  it('answers live whatever the dependencies, and ready only when they answer', async () => {
    const up = await stack.buildApp();
    expect((await up.inject('/api/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await up.inject('/api/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });

    const redisDown = await stack.buildApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    const live = await redisDown.inject('/api/health/live');
    expect(live.statusCode).toBe(200);
    const notReady = await redisDown.inject('/api/health/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({ status: 'degraded', postgres: 'up', redis: 'down' });
  });
});

describe('GET /api/categories, /api/areas, /api/config', () => {
  it('serves the category tree, the 20 areas as GeoJSON, and the public map config', async () => {
    const app = await stack.buildApp({ TILE_URL: '' });
    const tree = (await app.inject('/api/categories')).json();
    expect(tree.groups.map((g: { code: string }) => g.code)).toEqual(
      expect.arrayContaining([
        'proprete',
        'graffitis',
        'objets-abandonnes',
        'voirie',
        'eclairage',
        'arbres',
        'eau',
        'vehicules',
      ]),
    );
    const voirie = tree.groups.find((g: { code: string }) => g.code === 'voirie');
    expect(voirie.categories).toContainEqual(
      expect.objectContaining({
        code: 'nid-de-poule',
        label: { fr: 'Nid-de-poule', en: 'Pothole' },
        deadlineHours: 72,
      }),
    );
    const areas = (await app.inject('/api/areas')).json();
    expect(areas.features).toHaveLength(20);
    expect(areas.features[10]).toMatchObject({
      geometry: { type: 'MultiPolygon' },
      properties: { code: 'paris-11' },
    });
    const config = (await app.inject('/api/config')).json();
    expect(config).toMatchObject({ tileUrl: '', mapZoom: 12 });
    const unknown = await app.inject('/api/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('NOT_FOUND');
  });
});
