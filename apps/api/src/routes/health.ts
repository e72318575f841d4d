import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkHealth } from '@pave/core';
import { Type } from 'typebox';

const HealthSchema = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  postgres: Type.Enum(['up', 'down']),
  redis: Type.Enum(['up', 'down']),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { response: { 200: HealthSchema, 503: HealthSchema } } }, async (request, reply) => {
    const health = await checkHealth(app.deps.db, app.deps.redis);
    return reply.status(health.status === 'ok' ? 200 : 503).send(health);
  });
};
