import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findPhotoBlur, setPhotoBlur } from '@pave/core';
import { BlurBoxesBodySchema, errorResponses, PhotoBlurSchema } from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

const params = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Boxes staff draw on a photo to blur what the face detector missed (number plates, faces). */
export const photoBlurRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/photos/:id/blur',
    {
      schema: {
        summary: "A photo's boxes to blur and how many faces the worker blurred",
        params,
        response: { 200: PhotoBlurSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => findPhotoBlur(app.deps, requireStaff(request), request.params.id),
  );

  app.put(
    '/staff/photos/:id/blur',
    {
      schema: {
        summary:
          'Replace the boxes to blur (fractions 0..1 of the upright photo); the public renditions are made again',
        params,
        body: BlurBoxesBodySchema,
        response: { 200: PhotoBlurSchema, ...errorResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request) => setPhotoBlur(app.deps, requireStaff(request), request.params.id, request.body),
  );
};
