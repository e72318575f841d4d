import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fileAssistedReport } from '@pave/core';
import { AssistedReportSchema, CreatedReportSchema, errorResponses } from '@pave/shared';
import { requireStaff } from '../plugins/staff-auth';

/** Reports filed by an agent (counter, call centre) for a resident. Roles are checked in the service. */
export const assistedReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/staff/assisted-reports',
    {
      schema: {
        summary: 'An agent files a report for a resident, with the channel it came through (agent, supervisor, admin)',
        body: AssistedReportSchema,
        response: { 201: CreatedReportSchema, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const report = await fileAssistedReport({ ...app.deps, log: request.log }, requireStaff(request), request.body);
      request.log.info(
        { reportId: report.id, ref: report.ref, channel: request.body.channel },
        'assisted report filed',
      );
      return reply.status(201).send(report);
    },
  );
};
