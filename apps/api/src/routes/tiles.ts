import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  getMapTile,
  getMapTileEtag,
  listMapReports,
  parseTileAddress,
  purgeExpiredMapReports,
  createReplicaMapVersions,
  type Pool,
  type ReportEventHub,
} from '@pave/core';
import {
  errorResponses,
  MapFilterQuerySchema,
  MapReportsQuerySchema,
  ReportFeatureCollectionSchema,
} from '@pave/shared';
import { Type } from 'typebox';

// Short: a browser re-asks soon, and mostly gets a 304. Live clients also add `v=` to bust it at once.
const TILE_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=30';

// Housekeeping only: tiles filter expired reports anyway, so the pace only bounds the table's size.
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

export const tileRoutes: FastifyPluginAsyncTypebox<{ hub: ReportEventHub }> = async (app, { hub }) => {
  const purge = setInterval(() => {
    purgeExpiredMapReports(app.deps).catch((error: unknown) => app.log.warn({ err: error }, 'map purge failed'));
  }, PURGE_INTERVAL_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));

  // Public reads go to the read replica when there is one (app.deps.readDb); the purge above writes.
  const { replica } = app.deps;
  const replicaVersions = replica ? createReplicaMapVersions(app.deps) : null;
  /**
   * The data version the answer is read at, and where to read it. On the primary, the LISTEN
   * connection's version (no query; null: read with the tile's ETag). On a replica, the primary's, once
   * the replica holds it; a replica still behind after the wait is skipped for the primary (and for a
   * while, see db/read-pool.ts), so the answer always matches the version its ETag names.
   */
  const readVersion = async (known: number | null): Promise<{ version: number | null; reads: { db: Pool } }> => {
    if (!replicaVersions || !replica) return { version: known, reads: { db: app.deps.readDb } };
    const { version, isBehind } = await replicaVersions(known);
    if (!isBehind) return { version, reads: { db: app.deps.readDb } };
    replica.markLagging();
    replica.noteFallback('lagging');
    return { version, reads: { db: app.deps.db } };
  };

  app.get(
    '/tiles/reports/:z/:x/:y.mvt',
    {
      schema: {
        summary: 'Public map vector tile (Mapbox Vector Tile): layer `cells` below z14, layer `reports` from z14',
        params: Type.Object({
          z: Type.String({ maxLength: 8 }),
          x: Type.String({ maxLength: 8 }),
          y: Type.String({ maxLength: 8 }),
        }),
        querystring: MapFilterQuerySchema,
        produces: ['application/vnd.mapbox-vector-tile'],
        // The 200 body is binary: a Buffer is sent as it is, never serialised.
        response: {
          200: Type.Unknown({ description: 'application/vnd.mapbox-vector-tile' }),
          304: Type.Null(),
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) => {
      const tile = parseTileAddress(request.params);
      const known = hub.version();
      // Not listening yet (first tile of this process) or the connection dropped: start it, read the version once.
      if (known === null) hub.ready().catch((error: unknown) => request.log.warn({ err: error }, 'LISTEN failed'));
      const { version, reads } = await readVersion(known);
      const etag = await getMapTileEtag(reads, version);
      reply.header('cache-control', TILE_CACHE_CONTROL).header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      const data = await getMapTile(reads, tile, request.query);
      // An empty tile is a valid tile (zero layers): 200 with no body keeps clients and caches simple.
      return reply.type('application/vnd.mapbox-vector-tile').send(data);
    },
  );

  app.get(
    '/map/reports',
    {
      schema: {
        summary: 'Public map reports in a bbox (GeoJSON), with the same filters as the tiles',
        description:
          'The public bbox query: `bbox=minLon,minLat,maxLon,maxLat` (WGS84), newest first, `truncated` when ' +
          '`limit` (at most 5,000) cut the answer.',
        querystring: MapReportsQuerySchema,
        response: { 200: ReportFeatureCollectionSchema, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const known = hub.version();
      if (known === null) hub.ready().catch((error: unknown) => request.log.warn({ err: error }, 'LISTEN failed'));
      const { reads } = await readVersion(known);
      const collection = await listMapReports(reads, request.query);
      // JSON.stringify, not the schema serialiser: 4 ms instead of 16 for 5,000 features. Safe because
      // the service builds each feature field by field from public columns (the schema documents it).
      return reply.type('application/geo+json').serializer(JSON.stringify).send(collection);
    },
  );
};
