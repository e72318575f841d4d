import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  addResidentComment,
  answerFixed,
  confirmFollow,
  describeTokenHolder,
  findDuplicateCandidates,
  findReportIdForRef,
  getPublicReport,
  enforceRateLimits,
  requestFollow,
  supportReport,
  unfollowReport,
} from '@pave/core';
import {
  AppError,
  CommentAddedSchema,
  errorResponses,
  FixedAnswerSchema,
  FixedBodySchema,
  FollowBodySchema,
  FollowerTokenSchema,
  FollowRequestedSchema,
  LinkTokenBodySchema,
  NearbyReportsSchema,
  PublicReportSchema,
  SupportBodySchema,
  SupportResultSchema,
  ViewerRoleSchema,
} from '@pave/shared';
import { Type } from 'typebox';
import { readParts } from '../plugins/multipart-parts';
import { preferredLanguage } from '../request-language';

const errors = errorResponses(400, 404, 409, 415, 422, 429, 503);
const ReportParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const TokenParams = Type.Object({ id: Type.String({ maxLength: 64 }), token: Type.String({ maxLength: 200 }) });

/** Following a report: duplicates, "+1", followers, the reporter's private link, comments, "is it fixed?". */
export const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const followDeps = { ...app.deps, rateLimitPrefix: config.QUEUE_PREFIX, publicBaseUrl: config.PUBLIC_BASE_URL };

  app.get(
    '/reports/nearby',
    {
      schema: {
        summary: 'Open reports of the same group near a point (duplicate candidates), nearest first',
        querystring: Type.Object({
          lat: Type.Optional(Type.String({ maxLength: 40 })),
          lon: Type.Optional(Type.String({ maxLength: 40 })),
          category: Type.Optional(Type.String({ maxLength: 80 })),
        }),
        response: { 200: NearbyReportsSchema, ...errors },
      },
    },
    async (request) => findDuplicateCandidates(app.deps, request.query),
  );

  app.get(
    '/reports/by-ref/:ref',
    {
      schema: {
        params: Type.Object({ ref: Type.String({ maxLength: 40 }) }),
        response: { 200: PublicReportSchema, ...errors },
      },
    },
    async (request) => getPublicReport(app.deps, await findReportIdForRef(app.deps, request.params.ref)),
  );

  app.post(
    '/reports/:id/support',
    {
      schema: {
        summary:
          '"+1": one per device (header X-Pave-Device), bounded per client address; with an e-mail, also ask to follow (a confirmation mail is sent)',
        params: ReportParams,
        headers: Type.Object({ 'x-pave-device': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: SupportBodySchema,
        response: { 200: SupportResultSchema, ...errors },
      },
      // A bare "+1" has no body at all.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const { supportCount } = await supportReport(followDeps, {
        reportId: request.params.id,
        deviceId: request.headers['x-pave-device'],
        ip: request.ip,
      });
      const email = request.body.email?.trim();
      if (!email) return { supportCount, confirmationSent: false };
      await requestFollow(followDeps, {
        reportId: request.params.id,
        email,
        ip: request.ip,
        language: request.body.language ?? preferredLanguage(request),
      });
      return { supportCount, confirmationSent: true };
    },
  );

  app.post(
    '/reports/:id/followers',
    {
      schema: {
        summary:
          'Ask to follow a report by e-mail: always 202; the address gets a confirmation link, and nothing else until it is opened',
        params: ReportParams,
        body: FollowBodySchema,
        response: { 202: FollowRequestedSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(202).send(
        await requestFollow(followDeps, {
          reportId: request.params.id,
          email: request.body.email,
          ip: request.ip,
          language: request.body.language ?? preferredLanguage(request),
        }),
      ),
  );

  app.post(
    '/reports/:id/followers/confirm',
    {
      schema: {
        summary: "The confirmation mail's link was opened: the follower is confirmed and gets their private link",
        params: ReportParams,
        body: LinkTokenBodySchema,
        response: { 200: FollowerTokenSchema, ...errors },
      },
    },
    async (request) => confirmFollow(app.deps, { reportId: request.params.id, token: request.body.token }),
  );

  app.delete(
    '/reports/:id/followers/:token',
    { schema: { params: TokenParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await unfollowReport(app.deps, { reportId: request.params.id, token: request.params.token });
      return reply.status(204).send(null);
    },
  );

  // RFC 8058 one-click unsubscribe: mail clients POST here from the List-Unsubscribe header.
  app.post(
    '/reports/:id/followers/:token/unsubscribe',
    { schema: { params: TokenParams, response: { 200: Type.Object({ unsubscribed: Type.Boolean() }), ...errors } } },
    async (request) => {
      await unfollowReport(app.deps, { reportId: request.params.id, token: request.params.token });
      return { unsubscribed: true };
    },
  );

  app.get(
    '/reports/:id/me',
    {
      schema: {
        summary: 'What the private link (?t=) lets its holder do on this report',
        params: ReportParams,
        querystring: Type.Object({ t: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 200: ViewerRoleSchema, ...errors },
      },
    },
    async (request) => describeTokenHolder(app.deps, request.params.id, request.query.t),
  );

  app.post(
    '/reports/:id/fixed',
    {
      schema: {
        summary:
          'The reporter or a follower answers "is it fixed?" (and how satisfied, 1–5) on a resolved report; "no" reopens it',
        params: ReportParams,
        body: FixedBodySchema,
        response: { 200: FixedAnswerSchema, ...errors },
      },
    },
    async (request) =>
      answerFixed(app.deps, {
        reportId: request.params.id,
        token: request.body.t,
        fixed: request.body.fixed,
        comment: request.body.comment,
        rating: request.body.rating,
      }),
  );

  app.post(
    '/reports/:id/comments',
    {
      schema: {
        summary: 'A comment (multipart: t, text, optional photo) from the reporter or a follower',
        consumes: ['multipart/form-data'],
        params: ReportParams,
        response: { 201: CommentAddedSchema, ...errors, ...errorResponses(413) },
      },
      // Before the body is read: a flood is refused without parsing its photos.
      onRequest: async (request) => {
        await enforceRateLimits(
          app.deps.redis,
          config.QUEUE_PREFIX,
          [{ key: `comment:ip:${request.ip}`, max: 30, windowSeconds: 60 * 60 }],
          'Too many comments from this network; try again later.',
        );
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('MULTIPART_EXPECTED', 'Send the comment as multipart/form-data.');
      const fields: Record<string, string> = {};
      let photo: { data: Buffer } | undefined;
      for await (const part of readParts(request)) {
        if (part.type === 'file') {
          if (part.fieldname !== 'photo' || photo) {
            part.file.resume();
            throw new AppError('FIELD_UNKNOWN', 'A comment takes one file, in the field "photo".');
          }
          photo = { data: await part.toBuffer() };
        } else if (part.fieldname === 't' || part.fieldname === 'text') {
          fields[part.fieldname] = String(part.value);
        } else {
          throw new AppError('FIELD_UNKNOWN', `Unknown field "${part.fieldname.slice(0, 40)}".`);
        }
      }
      await addResidentComment(app.deps, { reportId: request.params.id, token: fields.t, text: fields.text, photo });
      return reply.status(201).send({ ok: true });
    },
  );
};
