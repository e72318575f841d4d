import { authenticateCitizen, type CitizenAccount, type CitizenSession } from '@pave/core';
import { AppError } from '@pave/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Separate from the staff cookie: a resident's session never opens staff tools, nor the reverse. */
export const CITIZEN_COOKIE = 'pave_citizen';

const citizens = new WeakMap<FastifyRequest, Promise<CitizenAccount | null>>();

/**
 * The signed-in citizen, or null; read once per request. Any route may ask (report creation links
 * a report to its author), so this is a function rather than a hook on every request.
 */
export function readCitizen(app: FastifyInstance, request: FastifyRequest): Promise<CitizenAccount | null> {
  let pending = citizens.get(request);
  if (!pending) {
    pending = authenticateCitizen(app.deps.db, request.cookies[CITIZEN_COOKIE]);
    citizens.set(request, pending);
  }
  return pending;
}

/** The signed-in citizen, or 401 AUTH_REQUIRED. */
export async function requireCitizen(app: FastifyInstance, request: FastifyRequest): Promise<CitizenAccount> {
  const citizen = await readCitizen(app, request);
  if (!citizen) throw new AppError('AUTH_REQUIRED', 'Sign in to your account first.');
  return citizen;
}

/** HttpOnly (no script reads it) and SameSite=Lax (sent on top-level navigations back from a provider). */
export function setCitizenCookie(app: FastifyInstance, reply: FastifyReply, session: CitizenSession): void {
  reply.setCookie(CITIZEN_COOKIE, session.sessionToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: app.deps.config.COOKIE_SECURE,
    path: '/',
    expires: session.expiresAt,
  });
}

export function clearCitizenCookie(reply: FastifyReply): void {
  reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
}
