import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkStorageKey, PUBLIC_CACHE_CONTROL, PUBLIC_PREFIX } from '@pave/core';
import { errorResponses } from '@pave/shared';
import { Type } from 'typebox';

/**
 * Public renditions streamed from a storage backend the static file server cannot read (an S3
 * bucket), with the headers the static server gives the disk's. Only `public/` keys are ever read:
 * the URL names the path below it, and a path that could climb out (`..`) is refused as missing.
 */
export const mediaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/media/*',
    {
      schema: {
        // Served only with STORAGE=s3 (the disk's are static files): kept out of the API document.
        hide: true,
        params: Type.Object({ '*': Type.String({ maxLength: 300 }) }),
        produces: ['image/jpeg'],
        // The 200 body is a stream of the stored bytes, never serialised.
        response: { 200: Type.Unknown({ description: 'image/jpeg' }), 304: Type.Null(), ...errorResponses(404, 503) },
      },
    },
    async (request, reply) => {
      let key: string;
      try {
        key = checkStorageKey(`${PUBLIC_PREFIX}${request.params['*']}`);
      } catch {
        return reply.callNotFound();
      }
      const object = await app.deps.storage.open(key);
      if (!object) return reply.callNotFound();
      reply
        .header('cache-control', PUBLIC_CACHE_CONTROL)
        // Open311 clients show media_url photos in their own pages: renditions may be embedded anywhere.
        .header('cross-origin-resource-policy', 'cross-origin');
      if (object.etag) reply.header('etag', object.etag);
      if (object.lastModified) reply.header('last-modified', object.lastModified.toUTCString());
      if (object.etag && request.headers['if-none-match'] === object.etag) {
        object.body.destroy();
        return reply.status(304).send(null);
      }
      if (object.size !== null) reply.header('content-length', object.size);
      return reply.type(object.contentType).send(object.body);
    },
  );
};
