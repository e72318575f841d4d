import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { confirmAlertByToken, describeAlert, subscribeAlert, unsubscribeAlertByToken } from '@pave/core';
import { AlertPendingSchema, AlertViewSchema, CreateAlertSchema, errorResponses } from '@pave/shared';
import { Type } from 'typebox';

const errors = errorResponses(400, 404, 422, 429);
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });

/**
 * Area alerts by e-mail, no account needed: subscribe (double opt-in), confirm, and unsubscribe in one
 * click from the digest (its link, or the mail client's RFC 8058 List-Unsubscribe POST).
 */
export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` as a form; only the URL matters here.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.post(
    '/alerts',
    {
      schema: {
        summary: 'Subscribe an e-mail address to a digest of new and resolved reports in an area (confirmed by mail)',
        body: CreateAlertSchema,
        response: { 202: AlertPendingSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { config, db, redis } = app.deps;
      const result = await subscribeAlert(
        { db, redis, rateLimitPrefix: config.QUEUE_PREFIX },
        request.body,
        request.ip,
      );
      return reply.status(202).send(result);
    },
  );

  app.get(
    '/alerts/confirm/:token',
    {
      schema: {
        summary: 'What a confirmation link opens (no side effect: mail scanners follow links)',
        params: TokenParams,
        response: { 200: AlertViewSchema, ...errors },
      },
    },
    async (request) => describeAlert(app.deps, 'confirm', request.params.token),
  );

  app.post(
    '/alerts/confirm/:token',
    { schema: { summary: 'Confirm an alert', params: TokenParams, response: { 200: AlertViewSchema, ...errors } } },
    async (request) => confirmAlertByToken(app.deps, request.params.token),
  );

  app.get(
    '/alerts/unsubscribe/:token',
    {
      schema: {
        summary: 'What an unsubscribe link opens (no side effect)',
        params: TokenParams,
        response: { 200: AlertViewSchema, ...errors },
      },
    },
    async (request) => describeAlert(app.deps, 'unsubscribe', request.params.token),
  );

  app.post(
    '/alerts/unsubscribe/:token',
    {
      schema: {
        summary: 'One-click unsubscribe (the digest page, or a mail client following List-Unsubscribe-Post)',
        params: TokenParams,
        response: { 200: AlertViewSchema, ...errors },
      },
    },
    async (request) => unsubscribeAlertByToken(app.deps, request.params.token),
  );
};
