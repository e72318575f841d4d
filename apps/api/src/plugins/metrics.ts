import { createMetrics, startMetricsServer, type Metrics } from '@pave/core';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/**
 * The API's metrics: every answer's duration by method, route pattern and status, and the live
 * streams (plugins/event-stream.ts). With METRICS_PORT set they are served on that port (see
 * startMetricsServer), started with the app and stopped with it.
 */
export function registerMetrics(app: FastifyInstance, config: { METRICS_PORT: number; METRICS_HOST: string }): void {
  const metrics = createMetrics({ db: app.deps.db, app: 'api', replica: app.deps.replica });
  app.decorate('metrics', metrics);
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern (`/api/reports/:id`), never the URL: labels must stay a bounded set.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  if (config.METRICS_PORT === 0) return;
  let server: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  app.addHook('onReady', async () => {
    server = await startMetricsServer(metrics.registry, { host: config.METRICS_HOST, port: config.METRICS_PORT });
    app.log.info({ url: server.url }, 'metrics served');
  });
  app.addHook('onClose', async () => {
    await server?.close();
  });
}
