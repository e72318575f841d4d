import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkHealth } from '@pave/core';
import { Type } from 'typebox';

const HealthSchema = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  postgres: Type.Enum(['up', 'down']),
  redis: Type.Enum(['up', 'down']),
});

const LiveSchema = Type.Object({ status: Type.Literal('ok') });

const tags = ['health'];

/**
 * Liveness and readiness, for a process manager and a load balancer. Live: the process answers
 * (restart it when it does not); it never looks at PostgreSQL or Redis, or an outage of either would
 * restart every healthy process at once. Ready: PostgreSQL (with PostGIS) and Redis answer (send it
 * traffic). While the server closes, Fastify answers 503 to every request (return503OnClosing), so a
 * load balancer drains it. `/health` is the readiness check, kept under its old name.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health/live',
    { schema: { tags, summary: 'Liveness: the process answers', response: { 200: LiveSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  for (const url of ['/health', '/health/ready']) {
    app.get(
      url,
      {
        schema: {
          tags,
          summary: 'Readiness: PostgreSQL/PostGIS and Redis answer (else 503)',
          response: { 200: HealthSchema, 503: HealthSchema },
        },
      },
      async (_request, reply) => {
        const health = await checkHealth(app.deps.db, app.deps.redis);
        return reply.status(health.status === 'ok' ? 200 : 503).send(health);
      },
    );
  }
};
