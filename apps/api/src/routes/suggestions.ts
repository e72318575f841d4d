import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { suggestCategories } from '@pave/core';
import {
  AppError,
  CategorySuggestionsSchema,
  errorResponses,
  isLatitude,
  isLongitude,
  parseCoordinate,
  SuggestionQuerySchema,
} from '@pave/shared';

const errors = errorResponses(400, 415, 429);

/** Category suggestions for the report form, from the description's words and what is reported nearby. */
export const suggestionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/categories/suggestions',
    {
      schema: {
        summary:
          'The three categories a description and a position most likely mean; with a position, only those the town there offers (none outside a served town)',
        body: SuggestionQuerySchema,
        response: { 200: CategorySuggestionsSchema, ...errors },
      },
    },
    async (request) => {
      const { q = '', lon, lat } = request.body;
      if (q.includes('\u0000')) throw new AppError('VALIDATION_FAILED', 'The description holds a NUL character.');
      let point: { lon: number; lat: number } | null = null;
      if (lon !== undefined || lat !== undefined) {
        const x = lon === undefined ? null : parseCoordinate(lon);
        const y = lat === undefined ? null : parseCoordinate(lat);
        if (x === null || y === null || !isLongitude(x) || !isLatitude(y)) {
          throw new AppError('LOCATION_INVALID', 'lat and lon must both be decimal numbers within range.');
        }
        point = { lon: x, lat: y };
      }
      const { db, redis, config } = app.deps;
      const suggestions = await suggestCategories(
        { db, redis, rateLimitPrefix: config.QUEUE_PREFIX },
        { text: q, point },
        request.ip,
      );
      return { suggestions };
    },
  );
};
