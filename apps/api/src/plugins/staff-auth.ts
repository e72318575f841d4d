import { authenticate, type StaffUser } from '@pave/core';
import { AppError } from '@pave/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'pave_session';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffUser | null;
  }
}

/** Reads the session cookie on every request of the scope; routes then call `requireStaff`. */
export function registerStaffAuth(app: FastifyInstance): void {
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    request.staff = await authenticate(app.deps.db, request.cookies[SESSION_COOKIE]);
  });
}

/** The signed-in staff user, or 401 AUTH_REQUIRED. Which roles may do what is the services' rule. */
export function requireStaff(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new AppError('AUTH_REQUIRED', 'Sign in to use the staff tools.');
  return request.staff;
}
