import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getCategoryTree } from '@pave/core';
import { CategoryTreeSchema, errorResponses } from '@pave/shared';
import { Type } from 'typebox';

export const categoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/categories',
    {
      schema: {
        summary:
          'The categories a resident may choose: the whole catalogue, or (with lon and lat, or town) the offer of the town there, in its words, with what a town-less body handles',
        querystring: Type.Object({
          lon: Type.Optional(Type.String({ maxLength: 40 })),
          lat: Type.Optional(Type.String({ maxLength: 40 })),
          town: Type.Optional(
            Type.String({ pattern: '^(\\d{2}|2A|2B)\\d{3}$', description: 'INSEE commune code, e.g. 93048' }),
          ),
        }),
        response: { 200: CategoryTreeSchema, ...errorResponses(400, 404, 422) },
      },
    },
    async (request) => getCategoryTree(app.deps, request.query),
  );
};
