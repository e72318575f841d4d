import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReportEventHub, findMapDataVersion, type ReportEventHub } from '@pave/core';
import { errorResponses, type ReportEvent, type ReportEventsHello } from '@pave/shared';
import { createEventStreams } from '../plugins/event-stream';
import { tileRoutes } from './tiles';

/** `GET /api/events`: server-sent events of public report changes (`report`), after a `hello` with the data version. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ hub: ReportEventHub }> = async (app, { hub }) => {
  const openStream = createEventStreams(app, hub, 'public');

  app.get(
    '/events',
    {
      schema: {
        summary: 'Live public changes (text/event-stream): `hello` {version}, then `report` events',
        produces: ['text/event-stream'],
        response: errorResponses(503),
      },
    },
    async (request, reply) => {
      // LISTEN first, then read the version: a change in between is sent, never lost.
      await hub.ready();
      const version = await findMapDataVersion(app.deps.db);
      openStream(request, reply, {
        hello: { version } satisfies ReportEventsHello,
        subscribe: (send) => hub.subscribe((event: ReportEvent) => send('report', event)),
      });
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
