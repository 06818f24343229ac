import type { FastifyInstance, FastifyReply } from 'fastify';
import { type AppError, type Problem, toProblem } from '../errors/index.ts';
import { sendErrorPage, wantsHtml } from '../web/error-page.tsx';
import { installDialect } from './wire.ts';

export { normaliseError } from './wire.ts';

/** Renders an AppError as RFC 9457 problem+json; the status always matches the body. */
export function sendProblem(reply: FastifyReply, error: AppError, instance?: string): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  const problem: Problem = toProblem(error, instance);
  return reply.code(error.status).type('application/problem+json').send(problem);
}

/**
 * Installs the root error handler and the 404/405 handler: the native API's "dialect" is RFC 9457
 * problem+json, on the same kit as the seed dialects (src/dialects/kit), so there is one 404/405 implementation.
 * The same handler answers people: a browser asking for HTML at a page address (not /api, a dialect or the
 * OpenID provider; see web/error-page.tsx) gets a page, or for a 401 the sign-in page and back. Page plugins
 * inherit this handler; dialects install their own and keep their seeds' shapes.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  installDialect(app, {
    name: 'native',
    prefix: '',
    contentType: 'application/problem+json',
    forPeople: (error, request, reply, routes) =>
      wantsHtml(request)
        ? sendErrorPage(request, reply, error, (path) => routes.has('GET', path))
        : undefined,
    render: (error, request) => {
      const path = error.details?.path;
      return { status: error.status, body: toProblem(error, typeof path === 'string' ? path : request.url) };
    },
  });
}
