import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { normaliseError } from '../../http/errors.ts';
import { eventsContext } from '../../modules/events/index.ts';
import { eventStoreRoutes } from './eventstore.routes.ts';

const CHALLENGE = 'Basic realm="eventstore"';

/**
 * The Event Store dialect under /eventstore: the seed's paths, PascalCase fields and HTTP Basic keys. Errors
 * are `{"error": {"code", "message"}}` with the status the seed implies (401 credentials, 403 rights on the
 * prefix, 400 bad input); a 401 always challenges for Basic credentials.
 */
export async function eventStoreDialect(app: FastifyInstance, { deps }: { deps: Deps }) {
  app.setErrorHandler((error, request, reply) => {
    const appError = normaliseError(error, request);
    if (appError.headers) reply.headers(appError.headers);
    if (appError.status === 401) reply.header('www-authenticate', CHALLENGE);
    return reply
      .code(appError.status)
      .type('application/json; charset=utf-8')
      .send({ error: { code: appError.code, message: appError.message } });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const error = new AppError('route.not_found', 404, `No such endpoint: ${request.method} ${path}`);
    return reply.code(404).send({ error: { code: error.code, message: error.message } });
  });
  await app.register(eventStoreRoutes, { ctx: eventsContext(deps) });
}
