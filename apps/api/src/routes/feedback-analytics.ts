import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getChannelFigures, getSatisfactionFigures } from '@pave/core';
import {
  ChannelFiguresSchema,
  ErrorBodySchema,
  FeedbackPeriodQuerySchema,
  SatisfactionFiguresSchema,
} from '@pave/shared';
import { requireStaff } from '../plugins/staff-auth';

const errors = { 400: ErrorBodySchema, 401: ErrorBodySchema, 403: ErrorBodySchema };

/** The council's figures per channel and satisfaction after resolution (council, supervisor, admin). */
export const feedbackAnalyticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/analytics/channels',
    {
      schema: {
        summary: 'Reports per channel in a period, with resolution times',
        querystring: FeedbackPeriodQuerySchema,
        response: { 200: ChannelFiguresSchema, ...errors },
      },
    },
    async (request) => getChannelFigures(app.deps, requireStaff(request), request.query),
  );

  app.get(
    '/analytics/satisfaction',
    {
      schema: {
        summary: 'Satisfaction after resolution per category, team and channel; averages withheld under 10 ratings',
        querystring: FeedbackPeriodQuerySchema,
        response: { 200: SatisfactionFiguresSchema, ...errors },
      },
    },
    async (request) => getSatisfactionFigures(app.deps, requireStaff(request), request.query),
  );
};
