import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import findMyWay from 'find-my-way';
import { AppError, type Problem, toAppError, toProblem } from '../errors/index.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Renders an AppError as RFC 9457 problem+json; the status always matches the body. */
export function sendProblem(reply: FastifyReply, error: AppError, instance?: string): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  const problem: Problem = toProblem(error, instance);
  return reply.code(error.status).type('application/problem+json').send(problem);
}

/**
 * Logs server errors with their cause (never sent to the client) and client errors at debug level.
 * Dialects call this too, then render the AppError in their own wire shape.
 */
export function normaliseError(error: unknown, request: FastifyRequest): AppError {
  const appError = toAppError(error);
  if (appError.status >= 500) request.log.error({ err: appError.cause ?? error }, 'request failed');
  else request.log.debug({ code: appError.code }, appError.message);
  return appError;
}

/**
 * Installs the root error handler and the 404/405 handler. Fastify answers an unknown method on a known path
 * with 404; we keep a shadow router of every route so we can answer 405 with an Allow header instead.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  const shadow = findMyWay({ ignoreTrailingSlash: true });
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (!METHODS.includes(method as (typeof METHODS)[number])) continue;
      try {
        shadow.on(method as (typeof METHODS)[number], route.url, () => {});
      } catch {
        // Already known (e.g. HEAD added for GET); nothing to add.
      }
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    return sendProblem(reply, normaliseError(error, request), request.url);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = METHODS.filter((m) => m !== request.method && shadow.find(m, path) !== null);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        new AppError('request.method_not_allowed', `${request.method} is not allowed on ${path}.`),
        path,
      );
    }
    return sendProblem(reply, new AppError('route.not_found', `No such endpoint: ${path}`), path);
  });
}
