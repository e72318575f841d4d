import { AppError } from '@pave/shared';
import type { FastifyInstance } from 'fastify';

/**
 * Refuses, with one clear 400 before any route sees it, what PostgreSQL would refuse mid-statement:
 * - a NUL character (PostgreSQL cannot store it in text, and no field of Pavé holds one). The path
 *   and the query are decoded from the URL, so the URL alone tells; a JSON body is walked.
 *   Multipart fields are read inside their routes: the error handler maps PostgreSQL's own refusal
 *   of them to the same 400.
 * - a non-finite number. With type coercion, "1e309" and "Infinity" become ±Infinity, which JSON
 *   Schema validators let past minimum and maximum (ajv-validator/ajv#2212); JSON.parse makes 1e309
 *   Infinity too. So this looks after validation, at the values the route will get.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.url.includes('%00') || request.url.includes('\u0000')) throw nulError('the URL');
  });
  app.addHook('preHandler', async (request) => {
    for (const [where, value] of [
      ['path', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const problem = findUnstorable(value);
      if (problem === 'nul') throw nulError(`the ${where}`);
      if (problem === 'non-finite') throw new AppError('VALIDATION_FAILED', `A number in the ${where} is not finite.`);
    }
  });
}

function nulError(where: string): AppError {
  return new AppError('VALIDATION_FAILED', `A NUL character (U+0000) in ${where} is not allowed.`);
}

/**
 * The first value PostgreSQL could not take in a parsed input (a key or string with NUL, a number
 * that is not finite), or null. One walk, without recursion, so a deeply nested body cannot exhaust
 * the stack.
 */
function findUnstorable(value: unknown): 'nul' | 'non-finite' | null {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return 'nul';
    } else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'non-finite';
    } else if (item !== null && typeof item === 'object' && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes('\u0000')) return 'nul';
        pending.push(child);
      }
    }
  }
  return null;
}
