import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { normaliseError } from '../../http/errors.ts';
import { bearerToken } from '../../http/principal.ts';
import { getPlatform, type Platform, PlatformTokens } from '../../modules/platforms/index.ts';
import { peerScholarRoutes } from './peerscholar.routes.ts';
import { errorBody } from './peerscholar.wire.ts';

/** A route's path as a pattern: `:param` is one segment. */
function pathPattern(url: string): RegExp {
  const parts = url.split(/:[A-Za-z0-9_]+/).map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

/**
 * The peerScholar Platform API under /peerscholar/v1: the seed's paths, objects and encodings, RS256 bearer
 * JWTs of registered platforms, errors as `{"error": "true", "message"}` with the matching HTTP status, and
 * 404/405 in that shape too. (Written before the shared dialect kit landed; the error, 404/405 and
 * authenticator parts move onto it when it does.)
 */
export async function peerScholarDialect(app: FastifyInstance, { deps }: { deps: Deps }) {
  const tokens = new PlatformTokens(deps);
  const platforms = new WeakMap<FastifyRequest, Platform>();

  app.setErrorHandler((error, request, reply) => {
    const appError = normaliseError(error, request);
    if (appError.headers) reply.headers(appError.headers);
    return reply
      .code(appError.status)
      .type('application/json; charset=utf-8')
      .send(errorBody(appError.message));
  });

  const routes: { pattern: RegExp; method: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ pattern: pathPattern(route.url), method });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
    if (allowed.length > 0)
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send(errorBody(`${request.method} is not allowed on ${path}; use ${allowed.join(', ')}.`));
    return reply.code(404).send(errorBody(`No such endpoint: ${request.method} ${path}`));
  });

  // Every route is a platform's: the token is checked before anything else (so a 404 never leaks to strangers).
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (!token)
      throw new AppError('platforms.invalid_token', 'An Authorization: Bearer <JWT> header is required.', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    const row = await tokens.verify(token);
    const platform = await getPlatform(deps, row.id);
    if (!platform) throw new AppError('platforms.invalid_token', 'This platform registration is gone.');
    platforms.set(request, platform);
    request.principal = { kind: 'platform', platformId: platform.id };
  });

  const platformOf = (request: FastifyRequest): Platform => {
    const p = platforms.get(request);
    if (!p) throw new AppError('platforms.invalid_token', 'No platform.');
    return p;
  };
  await app.register(peerScholarRoutes, { prefix: '/v1', deps, platformOf });
}
