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
  const enterScope = (request: FastifyRequest, done: () => void) => {
    if (request.staff) runInTownScope(townScopeOf(request.staff), done);
    else done();
  };
  // Entered as soon as the user is known, for the routes' own onRequest checks; and again after the
  // body is parsed, since Fastify calls the handler from the body stream's events, outside the first.
  // From each `done` on, hooks and the handler run inside the scope.
  app.addHook('onRequest', (request, _reply, done) => {
    authenticate(app.deps.db, request.cookies[SESSION_COOKIE]).then((user) => {
      request.staff = user;
      enterScope(request, done);
    }, done);
  });
  app.addHook('preValidation', (request, _reply, done) => enterScope(request, done));
}

/**
 * The signed-in staff user, or 401 AUTH_REQUIRED. Which roles may do what is the services' rule.
 * Fails closed: a handler that lost its town scope answers 500 rather than reading every town.
 */
export function requireStaff(request: FastifyRequest): StaffUser {
  if (!request.staff) throw new AppError('AUTH_REQUIRED', 'Sign in to use the staff tools.');
  const user = request.staff;
  if (currentTownScope() !== townScopeOf(user)) {
    throw new Error(`staff request ${request.method} ${request.routeOptions.url} runs outside its town scope`);
  }
  return user;
}
