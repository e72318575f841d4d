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

/** Address search (autocomplete) and reverse lookup, from the configured geocoder (the local index by default). */
export const geocodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/geocode/search',
    {
      schema: {
        querystring: Type.Object({
          q: Type.String({ minLength: 3, maxLength: 200 }),
          lon: Type.Optional(Type.String({ maxLength: 40 })),
          lat: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 200: AddressSuggestionsSchema, ...errors },
      },
    },
    async (request) => {
      const { q } = request.query;
      if (q.includes('\u0000')) throw new AppError('VALIDATION_FAILED', 'The address text holds a NUL character.');
      if (!/[\p{L}\p{N}]/u.test(q)) throw new AppError('VALIDATION_FAILED', 'Type a street name or an address.');
      const { MAP_CENTER_LON, MAP_CENTER_LAT } = app.deps.config;
      const near = hasPoint(request.query) ? readNear(request.query) : { lon: MAP_CENTER_LON, lat: MAP_CENTER_LAT };
      if (!near) throw new AppError('LOCATION_INVALID', 'lat and lon must be decimal numbers within range.');
      return { results: await app.deps.geocoder.search(q, near) };
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
      const near = readNear(request.query);
      if (!near) throw new AppError('LOCATION_INVALID', 'lat and lon must be decimal numbers within range.');
      const found = await app.deps.geocoder.reverse(near.lon, near.lat);
      if (!found) throw new AppError('ADDRESS_NOT_FOUND', 'No address, street or area is known at this point.');
      return found;
    },
  );
};

function hasPoint(query: { lon?: string; lat?: string }): boolean {
  return query.lon !== undefined || query.lat !== undefined;
}

/** The map's centre a search ranks around, or a reverse lookup's point; null when absent or invalid. */
function readNear(query: { lon?: string; lat?: string }): { lon: number; lat: number } | null {
  if (query.lon === undefined || query.lat === undefined) return null;
  const lon = parseCoordinate(query.lon);
  const lat = parseCoordinate(query.lat);
  return lon === null || lat === null || !isLongitude(lon) || !isLatitude(lat) ? null : { lon, lat };
}
