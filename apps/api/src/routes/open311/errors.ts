import { isAppError, isOpen311Error, type Open311Format } from '@pave/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUnavailable } from '../../plugins/errors';
import { toOpen311Xml } from './xml';

/** The format asked for by the path suffix; errors on a path without one are JSON. */
export function formatOf(request: FastifyRequest): Open311Format {
  return /\.xml$/i.test(request.url.split('?')[0] ?? '') ? 'xml' : 'json';
}

/** Sends the specification's error document: `[{ code, description }]`, or `errors/error` in XML. */
export function sendOpen311Error(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  description: string,
): FastifyReply {
  const errors = [{ code: status, description }];
  reply.status(status);
  if (formatOf(request) === 'xml') {
    return reply.type('text/xml; charset=utf-8').send(toOpen311Xml('errors', 'error', errors));
  }
  return reply.type('application/json; charset=utf-8').send(errors);
}

/**
 * Open311's own error handler and 404: every failure under /open311 is answered in the
 * specification's format (400, 403 or 404; 503 for a dependency that is down), in the format the path asked for.
 */
export function registerOpen311Errors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { code?: string }, request, reply) => {
    if (isOpen311Error(error)) return sendOpen311Error(request, reply, error.status, error.message);
    // A refusal from an app-wide guard (a NUL character in the URL) or a rate limit, told in the
    // specification's statuses; a rate limit keeps its 429 and Retry-After.
    if (isAppError(error) && error.status < 500) {
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
      const status =
        error.status === 404 || error.status === 429
          ? error.status
          : error.status === 401 || error.status === 403
            ? 403
            : 400;
      return sendOpen311Error(request, reply, status, error.message);
    }
    // A dependency answering for us (the object store refusing a media_url's photo): a 503 to retry later.
    if (isAppError(error)) {
      request.log.error({ err: error.cause ?? error, code: error.code }, 'open311: dependency unavailable');
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendOpen311Error(request, reply, 503, error.message);
    }
    if (error.validation) {
      // An unknown format suffix (`services.csv`) names a resource that does not exist.
      if (error.validationContext === 'params') {
        return sendOpen311Error(request, reply, 404, 'No such resource: formats are .json and .xml.');
      }
      if (error.validationContext === 'body' && (request.body === undefined || request.body === null)) {
        return sendOpen311Error(request, reply, 400, 'Send the request body as application/x-www-form-urlencoded.');
      }
      return sendOpen311Error(request, reply, 400, `Invalid ${error.validationContext ?? 'request'}: ${error.message}`);
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendOpen311Error(request, reply, 400, 'Send the request body as application/x-www-form-urlencoded.');
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendOpen311Error(request, reply, error.statusCode === 404 ? 404 : 400, error.message);
    }
    if (isUnavailable(error)) {
      request.log.error({ err: error }, 'open311: dependency unavailable');
      return sendOpen311Error(request, reply, 503, 'The service is temporarily unavailable.');
    }
    request.log.error({ err: error }, 'open311: unhandled error');
    return sendOpen311Error(request, reply, 500, 'Internal error.');
  });
  app.setNotFoundHandler((request, reply) =>
    sendOpen311Error(
      request,
      reply,
      404,
      `No Open311 resource ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}.`,
    ),
  );
}
