import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createJobQueue, listFailedJobs, retryFailedJob } from '@pave/core';
import { errorResponses, FailedJobsQuerySchema, FailedJobsSchema, RetriedJobSchema } from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

const errors = errorResponses(400, 401, 403, 404, 409, 503);

/**
 * Background jobs that failed for good, for supervisors and admins: what failed, on which report,
 * why, and a retry once the cause is fixed. Registered in the staff scope (session required).
 */
export const jobRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Shares the API's Redis connection; closing the queue leaves that connection to the app.
  const queue = createJobQueue(app.deps.redis, app.deps.config.QUEUE_PREFIX);
  app.addHook('onClose', async () => {
    await queue.close();
  });
  const deps = { db: app.deps.db, queue };

  app.get(
    '/staff/jobs/failed',
    {
      schema: {
        summary: 'Jobs that failed for good (newest first)',
        querystring: FailedJobsQuerySchema,
        response: { 200: FailedJobsSchema, ...errors },
      },
    },
    async (request) => listFailedJobs(deps, requireStaff(request), request.query),
  );

  app.post(
    '/staff/jobs/failed/:id/retry',
    {
      schema: {
        summary: 'Put a failed job back in the queue, with fresh attempts',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: RetriedJobSchema, ...errors },
      },
    },
    async (request) => retryFailedJob(deps, requireStaff(request), request.params.id),
  );
};
