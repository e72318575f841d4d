import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
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
  listStaffHistory,
  listTeams,
  requalifyReport,
  toStaffEvent,
  townScopeOf,
  transitionReport,
  type StaffEvent,
} from '@pave/core';
import {
  AfterPhotoSchema,
  AppError,
  AssigneeChoicesSchema,
  AssignBodySchema,
  AssignmentSchema,
  BulkActionBodySchema,
  BulkActionResultsSchema,
  errorResponses,
  EventStreamQuerySchema,
  PublicReportSchema,
  type QueueEvent,
  QueueQuerySchema,
  QueueSchema,
  ReportIdSchema,
  RequalifyBodySchema,
  StaffHistorySchema,
  StaffNearbySchema,
  StaffTeamsSchema,
  TransitionBodySchema,
  TransitionResultSchema,
} from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';
import { createEventStreams } from '../plugins/event-stream';
import { readParts } from '../plugins/multipart-parts';

const errors = errorResponses(400, 401, 403, 404, 409);

/** The crews' triage API. Every route needs a session; roles and team scope are checked in the services. */
export const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hub = createStaffEventHub({
    connectionString: app.deps.config.DATABASE_URL,
    onError: (error) => app.log.warn({ err: error }, 'staff events: LISTEN connection problem'),
  });
  const openStream = createEventStreams<StaffEvent>(app, hub, {
    stream: 'staff',
    parse: (payload) => toStaffEvent(payload as Record<string, unknown>),
  });

  app.get(
    '/staff/events',
    {
      schema: {
        summary:
          'Live queue changes in your scope (text/event-stream): `hello`, then `queue` events {type, id, status}, ' +
          'each with an `id:`; with `Last-Event-ID` the missed ones first, or `reset` when they are no longer known',
        produces: ['text/event-stream'],
        querystring: EventStreamQuerySchema,
        response: errorResponses(401, 403, 503),
      },
    },
    async (request, reply) => {
      const user = requireStaff(request);
      const teamIds = await findStaffEventScope(app.deps, user);
      const towns = townScopeOf(user);
      // LISTEN before the hello: a client that reloads on hello misses nothing written after it.
      await hub.ready();
      await openStream(request, reply, {
        hello: async () => ({}),
        subscribe: hub.subscribe,
        // The same scope for replayed events as for live ones. Team ids stay server-side: the
        // client only needs to know what changed, then reloads.
        toMessage: (event) =>
          isStaffEventInScope(event, teamIds, towns)
            ? { event: 'queue', data: { type: event.type, id: event.id, status: event.status } satisfies QueueEvent }
            : null,
      });
    },
  );

  app.get(
    '/staff/teams',
    {
      schema: {
        summary: 'The teams in your scope (the queue filter)',
        response: { 200: StaffTeamsSchema, ...errors },
      },
    },
    async (request) => listTeams(app.deps, requireStaff(request)),
  );

  app.get(
    '/staff/assignees',
    {
      schema: {
        summary: 'Who you may assign reports to: active crew members of your scope (yourself, for a crew member)',
        response: { 200: AssigneeChoicesSchema, ...errors },
      },
    },
    async (request) => listAssignees(app.deps, requireStaff(request)),
  );

  app.post(
    '/staff/reports/bulk',
    {
      schema: {
        summary: "One action on up to 100 reports; each goes through the single action's rules. Per-id results.",
        body: BulkActionBodySchema,
        response: { 200: BulkActionResultsSchema, ...errors },
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
        body: AssignBodySchema,
        response: {
          200: AssignmentSchema,
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
        querystring: QueueQuerySchema,
        response: { 200: QueueSchema, ...errors },
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
    '/staff/reports/:id/history',
    {
      schema: {
        summary: 'The internal history of a report in your scope: who did what, by display name, notes included',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: StaffHistorySchema, ...errors },
      },
    },
    async (request) => listStaffHistory(app.deps, requireStaff(request), request.params.id),
  );

  app.get(
    '/staff/reports/:id/nearby',
    {
      schema: {
        summary: 'Reports of the same category within 50 m, open or closed in the last 30 days (duplicate candidates)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: StaffNearbySchema, ...errors },
      },
    },
    async (request) => listNearbyForStaff(app.deps, requireStaff(request), request.params.id),
  );

  app.post(
    '/staff/reports/:id/transitions',
    {
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: TransitionBodySchema,
        response: { 200: TransitionResultSchema, ...errors },
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
          201: AfterPhotoSchema,
          ...errors,
          ...errorResponses(413, 415, 422, 503),
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
        body: RequalifyBodySchema,
        response: { 200: ReportIdSchema, ...errors, ...errorResponses(422) },
      },
    },
    async (request) =>
      requalifyReport({ ...app.deps, log: request.log }, requireStaff(request), request.params.id, request.body),
  );
};
