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
  // After validation: with type coercion, "1e309" and "Infinity" become ±Infinity, which JSON Schema
  // validators let past minimum and maximum (ajv-validator/ajv#2212), and PostgreSQL then refuses.
  app.addHook('preHandler', async (request) => {
    for (const [where, value] of [
      ['path', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      if (holdsNonFiniteNumber(value)) {
        throw new AppError('VALIDATION_FAILED', `A number in the ${where} is not finite.`);
      }
    }
  });
}

function holdsNonFiniteNumber(value: unknown): boolean {
  return someLeaf(value, (leaf) => typeof leaf === 'number' && !Number.isFinite(leaf));
}

function nulError(where: string): AppError {
  return new AppError('VALIDATION_FAILED', `A NUL character (U+0000) in ${where} is not allowed.`);
}

function holdsNul(value: unknown): boolean {
  return someLeaf(value, (leaf) => typeof leaf === 'string' && leaf.includes('\u0000'));
}

/**
 * Whether a leaf (or an object key) of a parsed value matches. Walks without recursion, so a deeply
 * nested body cannot exhaust the stack.
 */
function someLeaf(value: unknown, matches: (leaf: unknown) => boolean): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item !== null && typeof item === 'object' && !Buffer.isBuffer(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (matches(key)) return true;
        pending.push(child);
      }
    } else if (matches(item)) {
      return true;
    }
  }
  return false;
}
