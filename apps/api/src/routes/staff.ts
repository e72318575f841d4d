import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { addAfterPhoto, getPublicReport, listQueue, requalifyReport, requireRole, transitionReport } from '@pave/core';
import { AppError, ErrorBodySchema, PublicReportSchema, ReportStatusSchema } from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

const errors = {
  400: ErrorBodySchema,
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
};

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
  location: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }),
  createdAt: Type.String({ format: 'date-time' }),
  deadlineAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  isLate: Type.Boolean(),
  supportCount: Type.Integer(),
});

/** The crews' triage API. Every route needs a session; roles and team scope are checked in the services. */
export const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
    async (request) => {
      requireRole(requireStaff(request), ['crew', 'supervisor', 'council', 'admin']);
      return getPublicReport(app.deps, request.params.id, 'staff');
    },
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
          413: ErrorBodySchema,
          415: ErrorBodySchema,
          422: ErrorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const user = requireStaff(request);
      if (!request.isMultipart()) throw new AppError('MULTIPART_EXPECTED', 'Send the photo as multipart/form-data.');
      let data: Buffer | undefined;
      for await (const part of request.parts()) {
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
        response: { 200: Type.Object({ id: Type.String() }), ...errors, 422: ErrorBodySchema },
      },
    },
    async (request) => requalifyReport(app.deps, requireStaff(request), request.params.id, request.body),
  );
};
