import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { logIn, logOut } from '@pave/core';
import { errorResponses, StaffLoginBodySchema, StaffSessionSchema } from '@pave/shared';
import { Type } from 'typebox';
import { requireStaff, SESSION_COOKIE } from '../plugins/staff-auth';

/** Staff sign-in with e-mail and password; the session lives in an HttpOnly, SameSite cookie. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/auth/login',
    {
      schema: {
        body: StaffLoginBodySchema,
        response: { 200: StaffSessionSchema, ...errorResponses(401, 429) },
      },
    },
    async (request, reply) => {
      const { user, sessionToken, expiresAt } = await logIn(
        { db: app.deps.db, redis: app.deps.redis, rateLimitPrefix: app.deps.config.QUEUE_PREFIX },
        { ...request.body, ip: request.ip },
      );
      reply.setCookie(SESSION_COOKIE, sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.deps.config.COOKIE_SECURE,
        path: '/',
        expires: expiresAt,
      });
      return { user };
    },
  );

  app.post('/auth/logout', { schema: { response: { 204: Type.Null() } } }, async (request, reply) => {
    await logOut(app.deps.db, request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get(
    '/staff/me',
    { schema: { response: { 200: StaffSessionSchema, ...errorResponses(401) } } },
    async (request) => ({ user: requireStaff(request) }),
  );
};
