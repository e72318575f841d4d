import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReportEventHub, findMapDataVersion, toPublicEvent, type ReportEventHub } from '@pave/core';
import { errorResponses, EventStreamQuerySchema, type ReportEvent, type ReportEventsHello } from '@pave/shared';
import { createEventStreams } from '../plugins/event-stream';
import { tileRoutes } from './tiles';

/**
 * `GET /api/events`: server-sent events of public report changes (`report`), after a `hello` with the
 * data version, or, for a client resuming (`Last-Event-ID`), the changes it missed first.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{ hub: ReportEventHub }> = async (app, { hub }) => {
  const openStream = createEventStreams<ReportEvent>(app, hub, {
    stream: 'public',
    // The log holds what the trigger wrote; the public fields are picked again on the way out.
    parse: (payload) => toPublicEvent(payload as ReportEvent),
  });

  app.get(
    '/events',
    {
      schema: {
        summary:
          'Live public changes (text/event-stream): `hello` {version}, then `report` events, each with an `id:`; ' +
          'with `Last-Event-ID` the missed ones first, or `reset` {version} when they are no longer known',
        produces: ['text/event-stream'],
        querystring: EventStreamQuerySchema,
        response: errorResponses(503),
      },
    },
    async (request, reply) => {
      // LISTEN first, then read the version and the log: a change in between is sent, never lost.
      await hub.ready();
      await openStream(request, reply, {
        hello: async () => ({ version: await findMapDataVersion(app.deps.db) }) satisfies ReportEventsHello,
        subscribe: hub.subscribe,
        toMessage: (event) => ({ event: 'report', data: event }),
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
