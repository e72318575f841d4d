import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReport, getPublicReport, listReportsInBbox, type CreateReportInput } from '@pave/core';
import {
  AppError,
  CreatedReportSchema,
  ErrorBodySchema,
  PublicReportSchema,
  ReportFeatureCollectionSchema,
} from '@pave/shared';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';

const TEXT_FIELDS = new Set(['category', 'lat', 'lon', 'description', 'email']);

/** Reads the multipart form: known text fields, and files only in `photos`. */
async function readReportForm(request: FastifyRequest): Promise<CreateReportInput> {
  if (!request.isMultipart()) throw new AppError('MULTIPART_EXPECTED', 'Send the report as multipart/form-data.');
  const input: CreateReportInput & Record<string, unknown> = { photos: [] };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'photos') {
        part.file.resume();
        throw new AppError('FIELD_UNKNOWN', `Files go in the field "photos", not "${part.fieldname.slice(0, 40)}".`);
      }
      input.photos.push({ data: await part.toBuffer(), filename: part.filename });
      continue;
    }
    if (!TEXT_FIELDS.has(part.fieldname)) {
      throw new AppError('FIELD_UNKNOWN', `Unknown field "${part.fieldname.slice(0, 40)}".`);
    }
    if (part.valueTruncated) {
      throw new AppError(
        part.fieldname === 'description' ? 'DESCRIPTION_TOO_LONG' : 'VALIDATION_FAILED',
        `The field "${part.fieldname}" is too long.`,
      );
    }
    input[part.fieldname] = String(part.value);
  }
  return input;
}

const errorResponses = {
  400: ErrorBodySchema,
  404: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  422: ErrorBodySchema,
};

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/reports',
    {
      schema: {
        summary: 'File a report (multipart: category, lat, lon, description, email, photos[0..3])',
        consumes: ['multipart/form-data'],
        response: { 201: CreatedReportSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createReport(app.deps, await readReportForm(request));
      request.log.info({ reportId: created.id, ref: created.ref }, 'report filed');
      return reply.status(201).header('location', `/api/reports/${created.id}`).send(created);
    },
  );

  app.get(
    '/reports',
    {
      schema: {
        querystring: Type.Object({
          bbox: Type.Optional(Type.String()),
          status: Type.Optional(Type.String()),
          category: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: ReportFeatureCollectionSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const collection = await listReportsInBbox(app.deps, request.query);
      return reply.type('application/geo+json').send(collection);
    },
  );

  app.get(
    '/reports/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: PublicReportSchema, ...errorResponses },
      },
    },
    async (request) => getPublicReport(app.deps, request.params.id),
  );
};
