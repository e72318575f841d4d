import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fileAssistedReport } from '@pave/core';
import { ASSISTED_CHANNELS, CreatedReportSchema, errorResponses, REPORT_LIMITS, SEVERITIES } from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

/** Reports filed by an agent (counter, call centre) for a resident. Roles are checked in the service. */
export const assistedReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/staff/assisted-reports',
    {
      schema: {
        summary: 'An agent files a report for a resident, with the channel it came through (agent, supervisor, admin)',
        body: Type.Object({
          channel: Type.String({ maxLength: 20, description: ASSISTED_CHANNELS.join(' | ') }),
          category: Type.String({ maxLength: 80 }),
          lat: Type.Number(),
          lon: Type.Number(),
          description: Type.Optional(Type.String({ maxLength: REPORT_LIMITS.descriptionMaxLength })),
          severity: Type.Optional(Type.String({ maxLength: 20, description: SEVERITIES.join(' | ') })),
          /** The resident's address: they get the acknowledgement, the updates and their follow link. */
          residentEmail: Type.Optional(Type.String({ maxLength: REPORT_LIMITS.emailMaxLength })),
        }),
        response: {
          201: CreatedReportSchema,
          ...errorResponses(400, 401, 403, 422),
        },
      },
    },
    async (request, reply) => {
      const report = await fileAssistedReport(app.deps, requireStaff(request), request.body);
      request.log.info(
        { reportId: report.id, ref: report.ref, channel: request.body.channel },
        'assisted report filed',
      );
      return reply.status(201).send(report);
    },
  );
};
