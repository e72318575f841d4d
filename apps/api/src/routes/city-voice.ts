import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  getCityVoice,
  listMessageTemplates,
  listRejectionReasons,
  saveMessageTemplate,
  saveRejectionReason,
} from '@pave/core';
import {
  CityVoiceSchema,
  errorResponses,
  MessageTemplateBodySchema,
  MessageTemplateSchema,
  MessageTemplatesSchema,
  RejectionReasonBodySchema,
  RejectionReasonSchema,
  RejectionReasonsSchema,
  VoiceCodeParamsSchema,
} from '@pave/shared';
import { requireStaff } from '../plugins/staff-auth';

const errors = errorResponses(400, 401, 403);
const tags = ['admin'];

/** The city's voice: rejection reasons and public message templates, in French and English. */
export const cityVoiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/staff/city-voice',
    {
      schema: {
        summary: 'Active rejection reasons and message templates, to pick from when changing a status',
        response: { 200: CityVoiceSchema, ...errors },
      },
    },
    async (request) => getCityVoice(app.deps, requireStaff(request)),
  );

  app.get(
    '/admin/rejection-reasons',
    { schema: { tags, response: { 200: RejectionReasonsSchema, ...errors } } },
    async (request) => listRejectionReasons(app.deps, requireStaff(request)),
  );
  app.put(
    '/admin/rejection-reasons/:code',
    {
      schema: {
        tags,
        summary: 'Creates or edits a rejection reason (isActive: false retires it; past reports keep it)',
        params: VoiceCodeParamsSchema,
        body: RejectionReasonBodySchema,
        response: { 200: RejectionReasonSchema, ...errors },
      },
    },
    async (request) => saveRejectionReason(app.deps, requireStaff(request), request.params.code, request.body),
  );

  app.get(
    '/admin/message-templates',
    { schema: { tags, response: { 200: MessageTemplatesSchema, ...errors } } },
    async (request) => listMessageTemplates(app.deps, requireStaff(request)),
  );
  app.put(
    '/admin/message-templates/:code',
    {
      schema: {
        tags,
        summary: 'Creates or edits a public message template and the statuses it is offered for',
        params: VoiceCodeParamsSchema,
        body: MessageTemplateBodySchema,
        response: { 200: MessageTemplateSchema, ...errors },
      },
    },
    async (request) => saveMessageTemplate(app.deps, requireStaff(request), request.params.code, request.body),
  );
};
