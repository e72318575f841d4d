import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReportEventHub, findMapDataVersion, type ReportEventHub } from '@pave/core';
import { ErrorBodySchema, type ReportEvent } from '@pave/shared';
import type { ServerResponse } from 'node:http';
import { tileRoutes } from './tiles';

// Proxies and load balancers close a silent connection; a comment line every so often keeps it open.
const HEARTBEAT_MS = 25_000;
// A client reconnecting after a drop waits this long (EventSource `retry:`).
const RETRY_MS = 2_000;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** `GET /api/events`: server-sent events of public report changes (`report`), after a `hello` with the data version. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ hub: ReportEventHub }> = async (app, { hub }) => {
  const streams = new Set<ServerResponse>();
  // Before the server stops accepting: open streams would otherwise keep `close()` waiting forever.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    await hub.close();
  });

  app.get(
    '/events',
    {
      schema: {
        summary: 'Live public changes (text/event-stream): `hello` {version}, then `report` events',
        produces: ['text/event-stream'],
        response: { 503: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      // LISTEN first, then read the version: a change in between is sent, never lost.
      await hub.ready();
      const version = await findMapDataVersion(app.deps.db);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // nginx buffers responses by default, which would hold events back.
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${RETRY_MS}\n`);
      res.write(frame('hello', { version }));
      const unsubscribe = hub.subscribe((event: ReportEvent) => {
        res.write(frame('report', event));
      });
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      streams.add(res);
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(res);
      };
      request.raw.once('close', stop);
      res.once('close', stop);
    },
  );
};

/**
 * The public live map: its tiles and GeoJSON (routes/tiles.ts) and its event stream, sharing one
 * LISTEN connection per process (it also gives the tiles their data version without a query).
 */
export const publicMapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = createReportEventHub({
    connectionString: app.deps.config.DATABASE_URL,
    onError: (error) => app.log.warn({ err: error }, 'report events: LISTEN connection problem'),
  });
  await app.register(tileRoutes, { hub });
  await app.register(eventRoutes, { hub });
};
