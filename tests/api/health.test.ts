import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app';
import { createTestSettings, testApiConfig } from '../support/config';
import { createTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('GET /api/health', () => {
  it('answers 200 when PostgreSQL and Redis are up', async () => {
    const app = await buildApp(testApiConfig(createTestSettings(db.url)));
    try {
      const response = await app.inject('/api/health');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok', postgres: 'up', redis: 'up' });
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming the service that is down', async () => {
    const settings = { ...createTestSettings(db.url), redisUrl: 'redis://127.0.0.1:1' };
    const app = await buildApp(testApiConfig(settings));
    try {
      const response = await app.inject('/api/health');
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'degraded', postgres: 'up', redis: 'down' });
    } finally {
      await app.close();
    }
  });
});

describe('GET /api/categories, /api/areas, /api/config', () => {
  it('serves the category tree, the 20 areas as GeoJSON, and the public map config', async () => {
    const app = await buildApp(testApiConfig(createTestSettings(db.url), { TILE_URL: '' }));
    try {
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
    } finally {
      await app.close();
    }
  });
});
