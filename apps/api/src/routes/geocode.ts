import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AddressLabelSchema,
  AddressSuggestionsSchema,
  AppError,
  errorResponses,
  isLatitude,
  isLongitude,
  parseCoordinate,
} from '@pave/shared';
import { Type } from 'typebox';

const errors = errorResponses(400, 404, 503);

/** Address search and reverse geocoding, proxied to the configured geocoder (GEOCODER_URL). */
export const geocodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/geocode/search',
    {
      schema: {
        querystring: Type.Object({ q: Type.String({ minLength: 3, maxLength: 200 }) }),
        response: { 200: AddressSuggestionsSchema, ...errors },
      },
    },
    async (request) => {
      const { MAP_CENTER_LON, MAP_CENTER_LAT } = app.deps.config;
      const results = await app.deps.geocoder.search(request.query.q, { lon: MAP_CENTER_LON, lat: MAP_CENTER_LAT });
      return { results: results.map(({ label, lon, lat }) => ({ label, lon, lat })) };
    },
  );

  app.get(
    '/geocode/reverse',
    {
      schema: {
        querystring: Type.Object({ lat: Type.String({ maxLength: 40 }), lon: Type.String({ maxLength: 40 }) }),
        response: { 200: AddressLabelSchema, ...errors },
      },
    },
    async (request) => {
      const lat = parseCoordinate(request.query.lat);
      const lon = parseCoordinate(request.query.lon);
      if (lat === null || lon === null || !isLatitude(lat) || !isLongitude(lon)) {
        throw new AppError('LOCATION_INVALID', 'lat and lon must be decimal numbers within range.');
      }
      const found = await app.deps.geocoder.reverse(lon, lat);
      if (!found) throw new AppError('NOT_FOUND', 'No address is known at this point.');
      return { label: found.label };
    },
  );
};
