import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BULK_ACTIONS,
  BULK_MAX_IDS,
  addAfterPhoto,
  assignReport,
  bulkAction,
  createStaffEventHub,
  findStaffEventScope,
  findStaffReportView,
  isStaffEventInScope,
  listAssignees,
  listNearbyForStaff,
  listQueue,
  listTeams,
  requalifyReport,
  transitionReport,
  type StaffEvent,
} from '@pave/core';
import { AppError, errorResponses, PublicReportSchema, ReportStatusSchema } from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';
import { readParts } from '../plugins/multipart-parts';

// Proxies close a silent connection; a comment line every so often keeps the stream open.
const HEARTBEAT_MS = 25_000;
// A client reconnecting after a drop waits this long (EventSource `retry:`).
const RETRY_MS = 2_000;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const errors = errorResponses(400, 401, 403, 404, 409);

// "No one", without type coercion: Fastify's validator would turn a 0 or a false into null (and
// so unassign) through `{ type: 'null' }`. `const` does not coerce, and coming first it is tried
// before the integer branch could coerce null into 0.
const NobodySchema = Type.Unsafe<null>({ const: null });
const UserIdSchema = Type.Union([NobodySchema, Type.Integer({ minimum: 1, maximum: 2_147_483_647 })]);

const AssigneeRefSchema = Type.Object({ id: Type.Integer(), displayName: Type.String() });

const QueueItemSchema = Type.Object({
  id: Type.String(),
  ref: Type.String(),
  status: ReportStatusSchema,
  priority: Type.Integer(),
  severity: Type.String(),
  category: Type.Object({ code: Type.String(), label: Type.String() }),
  team: Type.Union([Type.String(), Type.Null()]),
  area: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]),
  assignee: Type.Union([AssigneeRefSchema, Type.Null()]),
  location: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }),
  createdAt: Type.String({ format: 'date-time' }),
  deadlineAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  isLate: Type.Boolean(),
  supportCount: Type.Integer(),
});

/** The crews' triage API. Every route needs a session; roles and team scope are checked in the services. */
export const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = createStaffEventHub({
    connectionString: app.deps.config.DATABASE_URL,
    onError: (error) => app.log.warn({ err: error }, 'staff events: LISTEN connection problem'),
  });
  const streams = new Set<ServerResponse>();
  // Before the server stops accepting: open streams would otherwise keep `close()` waiting forever.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    await hub.close();
  });

  app.get(
    '/staff/events',
    {
      schema: {
        summary:
          'Live queue changes in your scope (text/event-stream): `hello`, then `queue` events {type, id, status}',
        produces: ['text/event-stream'],
        response: errorResponses(401, 403, 503),
      },
    },
    async (request, reply) => {
      const teamIds = await findStaffEventScope(app.deps, requireStaff(request));
      // LISTEN before the hello: a client that reloads on hello misses nothing written after it.
      await hub.ready();
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
      res.write(frame('hello', {}));
      const unsubscribe = hub.subscribe((event: StaffEvent) => {
        if (!isStaffEventInScope(event, teamIds)) return;
        // Team ids stay server-side: the client only needs to know what changed, then reloads.
        res.write(frame('queue', { type: event.type, id: event.id, status: event.status }));
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

  app.get(
    '/staff/teams',
    {
      schema: {
        summary: 'The teams in your scope (the queue filter)',
        response: {
          200: Type.Object({ teams: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }),
          ...errors,
        },
      },
    },
    async (request) => listTeams(app.deps, requireStaff(request)),
  );

  app.get(
    '/staff/assignees',
    {
      schema: {
        summary: 'Who you may assign reports to: active crew members of your scope (yourself, for a crew member)',
        response: {
          200: Type.Object({
            assignees: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String(), team: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async (request) => listAssignees(app.deps, requireStaff(request)),
  );

  app.post(
    '/staff/reports/bulk',
    {
      schema: {
        summary: "One action on up to 100 reports; each goes through the single action's rules. Per-id results.",
        body: Type.Object({
          ids: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: BULK_MAX_IDS }),
          action: Type.Union(BULK_ACTIONS.map((a) => Type.Literal(a))),
          userId: Type.Optional(UserIdSchema),
          message: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: {
          200: Type.Object({
            results: Type.Array(
              Type.Object({ id: Type.String(), ok: Type.Boolean(), code: Type.Optional(Type.String()) }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => bulkAction({ ...app.deps, log: request.log }, requireStaff(request), request.body),
  );

  app.post(
    '/staff/reports/:id/assign',
    {
      schema: {
        summary: 'Assign a report to a crew member, or clear it (userId: null)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ userId: UserIdSchema }),
        response: {
          200: Type.Object({ id: Type.String(), assignee: Type.Union([AssigneeRefSchema, Type.Null()]) }),
          ...errors,
          ...errorResponses(422),
        },
      },
    },
    async (request) => assignReport(app.deps, requireStaff(request), request.params.id, request.body),
  );

  app.get(
    '/staff/reports',
    {
      schema: {
        querystring: Type.Object({
          status: Type.Optional(Type.String({ maxLength: 200 })),
          category: Type.Optional(Type.String({ maxLength: 80 })),
          area: Type.Optional(Type.String({ maxLength: 80 })),
          team: Type.Optional(Type.String({ maxLength: 80 })),
          late: Type.Optional(Type.Boolean()),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          assignee: Type.Optional(Type.String({ maxLength: 12, description: '`me`, `none` or a staff user id' })),
          limit: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Type.Object({ reports: Type.Array(QueueItemSchema) }), ...errors },
      },
    },
    async (request) => listQueue(app.deps, requireStaff(request), request.query),
  );

  app.get(
    '/staff/reports/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: PublicReportSchema, ...errors },
      },
    },
    async (request) => findStaffReportView(app.deps, requireStaff(request), request.params.id),
  );

  app.get(
    '/staff/reports/:id/nearby',
    {
      schema: {
        summary: 'Reports of the same category within 50 m, open or closed in the last 30 days (duplicate candidates)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          200: Type.Object({
            radiusM: Type.Integer(),
            reports: Type.Array(
              Type.Object({
                id: Type.String(),
                ref: Type.String(),
                status: ReportStatusSchema,
                distanceM: Type.Integer(),
                createdAt: Type.String({ format: 'date-time' }),
                closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
                excerpt: Type.String(),
                supportCount: Type.Integer(),
                followerCount: Type.Integer(),
                isInScope: Type.Boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => listNearbyForStaff(app.deps, requireStaff(request), request.params.id),
  );

  app.post(
    '/staff/reports/:id/transitions',
    {
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({
          to: Type.String({ maxLength: 40 }),
          reason: Type.Optional(Type.String({ maxLength: 80 })),
          message: Type.Optional(Type.String({ maxLength: 2000 })),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
          duplicateOf: Type.Optional(Type.String({ maxLength: 64 })),
          transferredTo: Type.Optional(Type.String({ maxLength: 200 })),
          scheduledFor: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: { 200: Type.Object({ id: Type.String(), status: ReportStatusSchema }), ...errors },
      },
    },
    async (request) => transitionReport(app.deps, requireStaff(request), request.params.id, request.body),
  );

  app.post(
    '/staff/reports/:id/photos',
    {
      schema: {
        summary: 'The crew\'s "after" photo (multipart, field "photo")',
        consumes: ['multipart/form-data'],
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: {
          201: Type.Object({ photoId: Type.String() }),
          ...errors,
          ...errorResponses(413, 415, 422),
        },
      },
    },
    async (request, reply) => {
      const user = requireStaff(request);
      if (!request.isMultipart()) throw new AppError('MULTIPART_EXPECTED', 'Send the photo as multipart/form-data.');
      let data: Buffer | undefined;
      for await (const part of readParts(request)) {
        if (part.type !== 'file' || part.fieldname !== 'photo' || data) {
          if (part.type === 'file') part.file.resume();
          throw new AppError('FIELD_UNKNOWN', 'Send exactly one file, in the field "photo".');
        }
        data = await part.toBuffer();
      }
      return reply.status(201).send(await addAfterPhoto(app.deps, user, request.params.id, data));
    },
  );

  app.post(
    '/staff/reports/:id/requalify',
    {
      schema: {
        summary: 'Change the category and/or move the pin; the report is routed again',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({
          category: Type.Optional(Type.String({ maxLength: 80 })),
          lat: Type.Optional(Type.Number()),
          lon: Type.Optional(Type.Number()),
        }),
        response: { 200: Type.Object({ id: Type.String() }), ...errors, ...errorResponses(422) },
      },
    },
    async (request) => requalifyReport(app.deps, requireStaff(request), request.params.id, request.body),
  );
};
