import { AppError, ERRORS, isAppError, type ErrorCode } from '@pave/shared';
import type { FastifyError, FastifyInstance } from 'fastify';

/** Library error codes that are the client's fault, and the code we answer with. */
const CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_REQ_FILE_TOO_LARGE: { code: 'PHOTO_TOO_LARGE', message: 'A photo is larger than the size limit.' },
  FST_FILES_LIMIT: { code: 'PHOTO_TOO_MANY', message: 'Too many photos.' },
  FST_PARTS_LIMIT: { code: 'VALIDATION_FAILED', message: 'Too many form parts.' },
  FST_FIELDS_LIMIT: { code: 'VALIDATION_FAILED', message: 'Too many form fields.' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    code: 'MULTIPART_EXPECTED',
    message: 'Send the report as multipart/form-data.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'MULTIPART_EXPECTED', message: 'Unsupported content type.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'VALIDATION_FAILED', message: 'The request body is too large.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'The JSON body is malformed.' },
  // PostgreSQL refuses text it cannot store: a NUL character in a multipart field (JSON and query
  // strings are refused earlier, by the input guard).
  '22021': { code: 'VALIDATION_FAILED', message: 'A text field holds a character that cannot be stored (NUL).' },
  '22P05': { code: 'VALIDATION_FAILED', message: 'A text field holds a character that cannot be stored.' },
};

/**
 * A dependency is down or restarting: network errors, PostgreSQL shutting down or refusing
 * connections (57P01–57P03, class 08), a cancelled statement (57014), too many connections (53300).
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '53300',
  '08000',
  '08003',
  '08006',
]);
/** What pg throws, with no code, for a connection that died under a query or before it. */
const LOST_CONNECTION =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect/i;
/** What the multipart parser (busboy) throws, with no code, on a body it cannot read to the end. */
const UNREADABLE_MULTIPART =
  /Unexpected end of (multipart data|form)|Malformed part header|Multipart: Boundary not found/;

/** Whether an error means a dependency (PostgreSQL, Redis) is down or restarting: a 503, not a 500. */
export function isUnavailable(error: { code?: unknown; message: string }): boolean {
  return typeof error.code === 'string' ? UNAVAILABLE.has(error.code) : LOST_CONNECTION.test(error.message);
}

/**
 * The one error handler: known failures become `{ code, message }` with a 4xx status;
 * anything else is logged in full and answered with a generic 500.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { code?: string }, request, reply) => {
    if (isAppError(error)) {
      // A dependency answering for us (the object store, the geocoder): the client gets the code, the log the cause.
      if (error.status >= 500)
        request.log.error({ err: error.cause ?? error, code: error.code }, 'dependency unavailable');
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply
        .status(error.status)
        .send({ code: error.code, message: error.message, details: error.details, ...error.extra });
    }
    if (error.validation) {
      return reply.status(400).send({
        code: 'VALIDATION_FAILED',
        message: `Invalid ${error.validationContext ?? 'request'}: ${error.message}`,
        details: error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? 'invalid' })),
      });
    }
    const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
    if (known) return reply.status(ERRORS[known.code]).send(known);
    // A multipart body cut off inside a file part fails in the route's own read, past readParts.
    if (!error.code && UNREADABLE_MULTIPART.test(error.message)) {
      return reply
        .status(400)
        .send({ code: 'MULTIPART_INVALID', message: 'The multipart/form-data body cannot be read.' });
    }
    if (isUnavailable(error)) {
      request.log.error({ err: error }, 'dependency unavailable');
      return reply
        .status(503)
        .send({ code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable.' });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ code: 'VALIDATION_FAILED', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ code: 'INTERNAL', message: 'Internal error.' });
  });
}

export { AppError };
