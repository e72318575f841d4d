import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  flagContent,
  listModerationActions,
  listModerationQueue,
  listModerationWords,
  moderateComment,
  moderateDescription,
  moderatePhoto,
  resolveModerationFlags,
  saveModerationWords,
} from '@pave/core';
import {
  errorResponses,
  FlagAcceptedSchema,
  FlagBodySchema,
  ModerationActionBodySchema,
  ModerationActionsSchema,
  ModerationQueueSchema,
  ModerationWordsSchema,
  ResolvedFlagsSchema,
  ResolveFlagsBodySchema,
} from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff } from '../plugins/staff-auth';

const errors = errorResponses(400, 401, 403, 404);
const tags = ['moderation'];
const ReportParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Done = Type.Object({ ok: Type.Boolean() });

/** Residents flag abuse; supervisors and admins hide or edit what residents wrote (issue #17). */
export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;

  app.post(
    '/reports/:id/flags',
    {
      schema: {
        summary: 'Flag a report, one of its comments or photos as abusive (a few per hour per client)',
        headers: Type.Object({ 'x-pave-device': Type.Optional(Type.String({ maxLength: 200 })) }),
        params: ReportParams,
        body: FlagBodySchema,
        response: { 201: FlagAcceptedSchema, ...errorResponses(400, 404, 429) },
      },
    },
    async (request, reply) => {
      await flagContent(
        { ...app.deps, rateLimitPrefix: config.QUEUE_PREFIX, flagSalt: config.TOKEN_SECRET },
        {
          reportId: request.params.id,
          body: request.body,
          ip: request.ip,
          deviceId: request.headers['x-pave-device']?.slice(0, 64),
        },
      );
      return reply.status(201).send({ ok: true });
    },
  );

  app.post(
    '/moderation/reports/:id/description',
    {
      schema: {
        tags,
        summary: 'Hide, edit or restore a report’s description (supervisor, admin); the original is kept',
        params: ReportParams,
        body: ModerationActionBodySchema,
        response: { 200: Done, ...errors },
      },
    },
    async (request) => moderateDescription(app.deps, requireStaff(request), request.params.id, request.body),
  );

  app.post(
    '/moderation/reports/:id/comments/:commentId',
    {
      schema: {
        tags,
        summary: 'Hide, edit, restore or publish (when held) a resident’s comment (supervisor, admin)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), commentId: Type.String({ maxLength: 20 }) }),
        body: ModerationActionBodySchema,
        response: { 200: Done, ...errors },
      },
    },
    async (request) =>
      moderateComment(app.deps, requireStaff(request), request.params.id, request.params.commentId, request.body),
  );

  app.post(
    '/moderation/reports/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'Hide or restore a photo (supervisor, admin): it leaves every public output',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), photoId: Type.String({ maxLength: 64 }) }),
        body: ModerationActionBodySchema,
        response: { 200: Done, ...errors },
      },
    },
    async (request) =>
      moderatePhoto(app.deps, requireStaff(request), request.params.id, request.params.photoId, request.body),
  );

  app.get(
    '/moderation/reports/:id/actions',
    {
      schema: {
        tags,
        summary: 'Who hid or edited what on a report, when, why, and the original text',
        params: ReportParams,
        response: { 200: ModerationActionsSchema, ...errors },
      },
    },
    async (request) => listModerationActions(app.deps, requireStaff(request), request.params.id),
  );

  app.get(
    '/moderation/queue',
    {
      schema: {
        tags,
        summary: 'Flagged content with its open flag count (most flagged first), then comments held for review',
        response: { 200: ModerationQueueSchema, ...errors },
      },
    },
    async (request) => listModerationQueue(app.deps, requireStaff(request)),
  );

  app.post(
    '/moderation/queue/resolve',
    {
      schema: {
        tags,
        summary: 'Close the open flags of one target: dismissed, or hidden (hides it, with a reason)',
        body: ResolveFlagsBodySchema,
        response: { 200: ResolvedFlagsSchema, ...errors },
      },
    },
    async (request) => resolveModerationFlags(app.deps, requireStaff(request), request.body),
  );

  app.get(
    '/moderation/words',
    { schema: { tags, response: { 200: ModerationWordsSchema, ...errors } } },
    async (request) => listModerationWords(app.deps, requireStaff(request)),
  );
  app.put(
    '/moderation/words',
    {
      schema: {
        tags,
        summary: 'Replace the words that hold a comment for review (admin)',
        body: ModerationWordsSchema,
        response: { 200: ModerationWordsSchema, ...errors },
      },
    },
    async (request) => saveModerationWords(app.deps, requireStaff(request), request.body),
  );
};
