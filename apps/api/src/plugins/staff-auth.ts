import { authenticate, currentTownScope, runInTownScope, townScopeOf, type StaffUser } from '@pave/core';
import { AppError } from '@pave/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'pave_session';

declare module 'fastify' {
  interface FastifyRequest {
    staff: StaffUser | null;
  }
}

/**
 * Reads the session cookie on every request of the scope; routes then call `requireStaff`. A signed-in
 * member's request runs in their town scope (db/town-scope.ts): every query it makes, on either pool,
 * sees only their town's rows (migration 030). This is the one place the town is set.
 */
export function registerStaffAuth(app: FastifyInstance): void {
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    request.staff = await authenticate(app.deps.db, request.cookies[SESSION_COOKIE]);
  });
  // After the body is parsed: Fastify calls the handler from the body stream's events, which would run
  // outside a scope entered in onRequest. From preValidation on, hooks and the handler follow `done`.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.staff) runInTownScope(townScopeOf(request.staff), done);
    else done();
  });
}

/**
 * The signed-in staff user, or 401 AUTH_REQUIRED. Which roles may do what is the services' rule.
 * Fails closed: a handler that lost its town scope answers 500 rather than reading every town.
 */
export function requireStaff(request: FastifyRequest): StaffUser {
  const user = requireSignedIn(request);
  if (currentTownScope() !== townScopeOf(user)) {
    throw new Error(`staff request ${request.method} ${request.routeOptions.url} runs outside its town scope`);
  }
  return user;
}

/**
 * The signed-in staff user, or 401 AUTH_REQUIRED, for a check made before the town scope is entered
 * (an onRequest hook refusing a caller before the body is read). It makes no query.
 */
export function requireSignedIn(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new AppError('AUTH_REQUIRED', 'Sign in to use the staff tools.');
  return request.staff;
}
