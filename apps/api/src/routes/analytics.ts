import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  exportReports,
  getChannelFigures,
  getClusters,
  getEvaluation,
  getHeatmap,
  getHeatmapTile,
  getSatisfactionFigures,
  getSummary,
  getTrends,
} from '@pave/core';
import {
  AnalyticsFilterQuerySchema,
  ChannelFiguresSchema,
  ClustersQuerySchema,
  ClustersSchema,
  CsvExportQuerySchema,
  errorResponses,
  EvaluationSchema,
  FeedbackPeriodQuerySchema,
  HeatmapQuerySchema,
  HeatmapSchema,
  HeatmapTileQuerySchema,
  SatisfactionFiguresSchema,
  SummaryQuerySchema,
  SummarySchema,
  TrendsSchema,
} from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

const errors = errorResponses(400, 401, 403);
const tags = ['analytics'];
const ROLES = 'Council, supervisor (their service only) or admin; a crew gets 403, no session 401.';
// Channel and satisfaction figures are not scoped to a supervisor's service (satisfaction.service.ts).
const CITY_WIDE_ROLES = 'Council, supervisor or admin (city-wide figures); a crew gets 403, no session 401.';

/**
 * Council analytics and exports (issue #6, docs/analytics.md), and the figures per channel and
 * satisfaction after resolution. The analytics routes take the same filters, the last two a period;
 * roles and a supervisor's scope are checked in the services.
 */
export const analyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Read-only and heavy: on the read replica when there is one (app.deps.readDb). A figure a few
  // milliseconds behind the last write is still the same figure.
  const reads = { db: app.deps.readDb };
  app.addHook('onSend', async (_request, reply, payload) => {
    // Internal figures: never kept by a shared cache.
    reply.header('cache-control', 'private, no-store');
    return payload;
  });

  app.get(
    '/analytics/heatmap',
    {
      schema: {
        tags,
        summary: 'Report density as GeoJSON cells whose size follows the zoom',
        description: ROLES,
        querystring: HeatmapQuerySchema,
        response: { 200: HeatmapSchema, ...errors },
      },
    },
    async (request, reply) => {
      const heatmap = await getHeatmap(reads, requireStaff(request), request.query);
      // JSON.stringify, not the schema serialiser: the service builds each cell field by field, and the
      // schema's per-coordinate checks cost more than the rest of the answer on a city-wide map.
      return reply.serializer(JSON.stringify).send(heatmap);
    },
  );

  app.get(
    '/analytics/heatmap/:z/:x/:y.mvt',
    {
      schema: {
        tags,
        summary: 'The heat-map as Mapbox Vector Tiles: layer `cells` (count, open, i, j), cells sized by the zoom',
        description: `${ROLES} Zoom 10 to 18; square or hexagon outlines, or each square cell as a point.`,
        params: Type.Object({
          z: Type.String({ maxLength: 8 }),
          x: Type.String({ maxLength: 8 }),
          y: Type.String({ maxLength: 8 }),
        }),
        querystring: HeatmapTileQuerySchema,
        produces: ['application/vnd.mapbox-vector-tile'],
        // The 200 body is binary: a Buffer is sent as it is, never serialised.
        response: { 200: Type.Unknown({ description: 'application/vnd.mapbox-vector-tile' }), ...errors },
      },
    },
    async (request, reply) => {
      const tile = await getHeatmapTile(reads, requireStaff(request), request.params, request.query);
      return reply.type('application/vnd.mapbox-vector-tile').send(tile);
    },
  );

  app.get(
    '/analytics/summary',
    {
      schema: {
        tags,
        summary: 'Received, backlog, time to acknowledge and resolve, within-deadline and reopen figures',
        description: `${ROLES} Figures under the sample threshold are withheld (insufficient: true).`,
        querystring: SummaryQuerySchema,
        response: { 200: SummarySchema, ...errors },
      },
    },
    async (request) => getSummary(reads, requireStaff(request), request.query),
  );

  app.get(
    '/analytics/trends',
    {
      schema: {
        tags,
        summary: 'Reports per week by category group, and the open backlog at the end of each week',
        description: ROLES,
        querystring: AnalyticsFilterQuerySchema,
        response: { 200: TrendsSchema, ...errors },
      },
    },
    async (request) => getTrends(reads, requireStaff(request), request.query),
  );

  app.get(
    '/analytics/clusters',
    {
      schema: {
        tags,
        summary: '"Same problem": open reports of one sub-type within a radius of a seed report',
        description: ROLES,
        querystring: ClustersQuerySchema,
        response: { 200: ClustersSchema, ...errors },
      },
    },
    async (request) => getClusters(reads, requireStaff(request), request.query),
  );

  app.get(
    '/analytics/channels',
    {
      schema: {
        tags,
        summary: 'Reports per channel in a period, with resolution times',
        description: CITY_WIDE_ROLES,
        querystring: FeedbackPeriodQuerySchema,
        response: { 200: ChannelFiguresSchema, ...errors },
      },
    },
    async (request) => getChannelFigures(reads, requireStaff(request), request.query),
  );

  app.get(
    '/analytics/satisfaction',
    {
      schema: {
        tags,
        summary: 'Satisfaction after resolution per category, team and channel; averages withheld under 10 ratings',
        description: `${CITY_WIDE_ROLES} The period is the answers'; the other filters are on the reports answered about.`,
        querystring: AnalyticsFilterQuerySchema,
        response: { 200: SatisfactionFiguresSchema, ...errors },
      },
    },
    async (request) => getSatisfactionFigures(reads, requireStaff(request), request.query),
  );

  app.get(
    '/analytics/evaluation',
    {
      schema: {
        tags,
        summary:
          'Channel mix per month, time to resolution and cost per channel, cost per team, savings of the digital share',
        description: `${CITY_WIDE_ROLES} Costs come from the unit costs an admin sets (PUT /api/admin/unit-costs); null where unset.`,
        querystring: FeedbackPeriodQuerySchema,
        response: { 200: EvaluationSchema, ...errors },
      },
    },
    async (request) => getEvaluation(reads, requireStaff(request), request.query),
  );

  for (const format of ['csv', 'geojson'] as const) {
    app.get(
      `/exports/reports.${format}`,
      {
        schema: {
          tags,
          summary:
            format === 'csv'
              ? 'The filtered reports as CSV (UTF-8 with BOM): French labels and ";" by default, codes and "," with format=codes'
              : 'The filtered reports as GeoJSON, streamed',
          description: `${ROLES} No personal data: see docs/analytics.md for the columns.`,
          querystring: format === 'csv' ? CsvExportQuerySchema : AnalyticsFilterQuerySchema,
          produces: [format === 'csv' ? 'text/csv' : 'application/geo+json'],
          // A stream is sent as it is (Fastify skips serialisation); the schema documents the body for OpenAPI.
          response: { 200: Type.Unsafe<Readable>({ type: 'string', description: 'The file, streamed' }), ...errors },
        },
      },
      async (request, reply) => {
        const file = await exportReports(reads, requireStaff(request), request.query, format);
        return reply
          .type(file.contentType)
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .send(file.stream);
      },
    );
  }
};
