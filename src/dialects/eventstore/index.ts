import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { normaliseError } from '../../http/errors.ts';
import { eventsContext } from '../../modules/events/index.ts';
import { eventStoreRoutes } from './eventstore.routes.ts';

const CHALLENGE = 'Basic realm="eventstore"';

/** A route's path as a pattern: `:param` is one segment, `::` a literal colon (find-my-way's syntax). */
function pathPattern(url: string): RegExp {
  const parts = url.split('::').map((part) =>
    part
      .split(/:[A-Za-z0-9_]+/)
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+'),
  );
  return new RegExp(`^${parts.join(':')}$`);
}

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
  // Known paths asked with another method get 405 and the methods they allow, not 404.
  const routes: { pattern: RegExp; method: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ pattern: pathPattern(route.url), method });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
    if (allowed.length > 0) {
      const message = `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}.`;
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({ error: { code: 'route.method_not_allowed', message } });
    }
    const error = new AppError('route.not_found', `No such endpoint: ${request.method} ${path}`);
    return reply.code(404).send({ error: { code: error.code, message: error.message } });
  });
  await app.register(eventStoreRoutes, { ctx: eventsContext(deps) });
}
