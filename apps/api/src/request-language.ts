import type { Locale } from '@pave/shared';
import type { FastifyRequest } from 'fastify';

/** The language of a mail or a new account: what the browser prefers, French otherwise. */
export function preferredLanguage(request: FastifyRequest): Locale {
  return /^en\b/i.test(request.headers['accept-language'] ?? '') ? 'en' : 'fr';
}
