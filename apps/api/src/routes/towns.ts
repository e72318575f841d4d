import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createTownHostResolver,
  findTownsGeoJson,
  getTownPage,
  requireRole,
  resolveTownAt,
  saveTownBoundary,
} from '@pave/core';
import type { FastifyInstance } from 'fastify';
import {
  AppError,
  AREA_LIMITS,
  errorResponses,
  isLatitude,
  isLongitude,
  parseCoordinate,
  TownFeatureCollectionSchema,
  TownPageSchema,
  TownSchema,
} from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

const tags = ['towns'];
const TownCodeParams = Type.Object({
  code: Type.String({ pattern: '^(\\d{2}|2A|2B)\\d{3}$', description: 'INSEE commune code, e.g. 75056' }),
});

/** Towns (jurisdictions): their outlines and the town at a point, for everyone. */
export const townRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/towns',
    {
      schema: {
        tags,
        summary:
          'Every town the deployment knows, with its outline (simplified to about 10 m) and whether reports are taken there',
        querystring: Type.Object({ served: Type.Optional(Type.Boolean({ description: 'Only the towns served' })) }),
        response: { 200: TownFeatureCollectionSchema, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return findTownsGeoJson(app.deps.readDb, { servedOnly: request.query.served === true });
    },
  );

  app.get(
    '/towns/:code',
    {
      schema: {
        tags,
        summary: "A served town's public page: its branding, a few figures and its latest public reports",
        params: TownCodeParams,
        response: { 200: TownPageSchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return getTownPage(app.deps, request.params.code);
    },
  );

  app.get(
    '/towns/at',
    {
      schema: {
        tags,
        summary: 'The town at a point (the one whose boundary covers it; on a shared boundary, the lower INSEE code)',
        querystring: Type.Object({ lon: Type.String({ maxLength: 40 }), lat: Type.String({ maxLength: 40 }) }),
        response: { 200: TownSchema, ...errorResponses(400, 422) },
      },
    },
    async (request) => {
      const lon = parseCoordinate(request.query.lon);
      const lat = parseCoordinate(request.query.lat);
      if (lon === null || lat === null || !isLongitude(lon) || !isLatitude(lat)) {
        throw new AppError('LOCATION_INVALID', 'lat and lon must be decimal numbers within range.');
      }
      return resolveTownAt(app.deps, lon, lat);
    },
  );
};

/**
 * A town's own host name (`towns.host`, e.g. signaler.montreuil.fr) opens its page: the site's root on
 * that host is redirected to `/villes/:code`. On the root instance, before the web app's files.
 */
export function addTownHostRedirect(app: FastifyInstance): void {
  const townOfHost = createTownHostResolver(app.deps);
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' || request.url !== '/') return;
    const code = await townOfHost(request.headers.host);
    if (code) return reply.redirect(`/villes/${code}`, 302);
  });
}

/** Town boundaries, for admins (inside the staff scope: the staff session is read before). */
export const townAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/admin/towns/:code',
    {
      bodyLimit: AREA_LIMITS.maxBodyBytes,
      // Before the body is read: an anonymous or non-admin caller learns nothing about validation.
      onRequest: async (request) => requireRole(requireStaff(request), ['admin']),
      schema: {
        tags: ['admin', ...tags],
        summary:
          "Sets a town's boundary (GeoJSON Polygon or MultiPolygon; a new town also needs a name); refused when it overlaps another town",
        params: TownCodeParams,
        body: Type.Unknown({
          description: 'GeoJSON: a Feature, a FeatureCollection of one Feature, or a bare Polygon or MultiPolygon',
        }),
        response: { 200: TownSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
      },
    },
    async (request) => saveTownBoundary(app.deps, requireStaff(request), request.params.code, request.body),
  );
};
