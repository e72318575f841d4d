import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createReportOnce,
  getPublicReport,
  enforceRateLimits,
  reportOwnership,
  type CreateReportInput,
} from '@pave/core';
import { AppError, CreatedReportSchema, errorResponses, PublicReportSchema } from '@pave/shared';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { readCitizen } from '../plugins/citizen-auth';
import { readParts } from '../plugins/multipart-parts';

const TEXT_FIELDS = new Set(['category', 'lat', 'lon', 'description', 'email', 'severity', 'language']);

/** Reads the multipart form: known text fields, and files only in `photos`. */
async function readReportForm(request: FastifyRequest): Promise<CreateReportInput> {
  if (!request.isMultipart()) throw new AppError('MULTIPART_EXPECTED', 'Send the report as multipart/form-data.');
  const input: CreateReportInput & Record<string, unknown> = { photos: [] };
  for await (const part of readParts(request)) {
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

const errors = errorResponses(400, 404, 413, 415, 422, 503);

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/reports',
    {
      schema: {
        summary: 'File a report (multipart: category, lat, lon, description, email, severity, language, photos[0..3])',
        description:
          'Send an `Idempotency-Key` header to make retries safe: the same key and body get the first answer ' +
          'back (header `Idempotent-Replayed: true`); the same key with another body is refused (409).',
        consumes: ['multipart/form-data'],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ maxLength: 200 })),
          'x-pave-device': Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 201: CreatedReportSchema, ...errors, ...errorResponses(409, 429) },
      },
      // Before the body is read: a flood is refused without parsing its photos.
      onRequest: async (request) => {
        const { config, redis } = app.deps;
        const device = String(request.headers['x-pave-device'] ?? '').slice(0, 64);
        const limits = [{ key: `reports:ip:${request.ip}`, max: config.RATE_LIMIT_REPORTS_PER_IP, windowSeconds: 60 }];
        if (device)
          limits.push({
            key: `reports:device:${device}`,
            max: config.RATE_LIMIT_REPORTS_PER_DEVICE,
            windowSeconds: 60,
          });
        await enforceRateLimits(
          redis,
          config.QUEUE_PREFIX,
          limits,
          'Too many reports from this device or network; try again shortly.',
        );
      },
    },
    async (request, reply) => {
      const form = await readReportForm(request);
      Object.assign(
        form,
        reportOwnership(await readCitizen(app, request), request.headers['x-pave-device'], form.email),
      );
      const { report, replayed } = await createReportOnce(
        { ...app.deps, log: request.log },
        form,
        request.headers['idempotency-key'],
      );
      request.log.info({ reportId: report.id, ref: report.ref, replayed }, 'report filed');
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).header('location', `/api/reports/${report.id}`).send(report);
    },
  );

  app.get(
    '/reports/:id',
    {
      schema: {
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: PublicReportSchema, ...errors },
      },
    },
    async (request) => getPublicReport(app.deps, request.params.id),
  );
};
