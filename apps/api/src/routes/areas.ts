import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findAreasGeoJson } from '@pave/core';
import { AreaFeatureCollectionSchema, PublicConfigSchema } from '@pave/shared';

export const areaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/areas', { schema: { response: { 200: AreaFeatureCollectionSchema } } }, async () =>
    findAreasGeoJson(app.deps.db),
  );

  app.get('/config', { schema: { response: { 200: PublicConfigSchema } } }, async () => {
    const c = app.deps.config;
    return {
      tileUrl: c.TILE_URL,
      tileAttribution: c.TILE_ATTRIBUTION,
      mapCenter: [c.MAP_CENTER_LON, c.MAP_CENTER_LAT],
      mapZoom: c.MAP_ZOOM,
    };
  });
};
