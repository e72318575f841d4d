import type { Multipart } from '@fastify/multipart';
import { AppError, isAppError } from '@pave/shared';
import type { FastifyRequest } from 'fastify';

/**
 * The parts of a multipart request, for `for await`. A body the parser cannot read (no or mismatched
 * boundary, a boundary over 256 characters, an unterminated body) becomes a 400 MULTIPART_INVALID:
 * the parser throws plain errors with no code, which would otherwise be answered as a 500. Errors
 * of the plugin's own (size and count limits, with FST_ codes) pass through to the error handler.
 */
export async function* readParts(request: FastifyRequest): AsyncGenerator<Multipart> {
  try {
    for await (const part of request.parts()) {
      if (typeof part.fieldname !== 'string' || part.fieldname === '') {
        if (part.type === 'file') part.file.resume();
        throw new AppError('FIELD_UNKNOWN', 'Every part of the form needs a name.');
      }
      yield part;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (isAppError(error) || (typeof code === 'string' && code.startsWith('FST_'))) throw error;
    request.log.info({ err: error }, 'unreadable multipart body');
    throw new AppError('MULTIPART_INVALID', 'The multipart/form-data body cannot be read.');
  }
}
