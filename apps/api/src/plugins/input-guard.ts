import { AppError } from '@pave/shared';
import type { FastifyInstance } from 'fastify';

/**
 * Refuses a NUL character anywhere in the query, the path parameters or a JSON body, with one clear
 * 400 before any route sees it. PostgreSQL cannot store NUL in text (it fails the whole statement),
 * and no legitimate field of Pavé holds one. Multipart fields are read inside their routes; the error
 * handler maps PostgreSQL's own refusal of them to the same 400.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.url.includes('%00') || request.url.includes('\u0000')) throw nulError('the URL');
    if (holdsNul(request.params)) throw nulError('the path');
    if (holdsNul(request.query)) throw nulError('the query');
    if (holdsNul(request.body)) throw nulError('the body');
  });
}

function nulError(where: string): AppError {
  return new AppError('VALIDATION_FAILED', `A NUL character (U+0000) in ${where} is not allowed.`);
}

/** Walks a parsed JSON value without recursion, so a deeply nested body cannot exhaust the stack. */
function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
    } else if (item !== null && typeof item === 'object' && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\u0000')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}
