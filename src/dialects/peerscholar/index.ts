import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { bearerToken } from '../../http/principal.ts';
import { getPlatform, type Platform, PlatformTokens } from '../../modules/platforms/index.ts';
import { authenticateDialect, hideInternals, installDialect } from '../kit/index.ts';
import { peerScholarRoutes } from './peerscholar.routes.ts';
import { errorBody } from './peerscholar.wire.ts';

/**
 * The peerScholar Platform API under /peerscholar/v1, on the dialect kit: the seed's paths, objects and
 * encodings, RS256 bearer JWTs of registered platforms, and every failure (404/405 included) as
 * `{"error": "true", "message"}` with the catalogue's HTTP status.
 */
export async function peerScholarDialect(app: FastifyInstance, { deps }: { deps: Deps }) {
  const tokens = new PlatformTokens(deps);
  const platforms = new WeakMap<FastifyRequest, Platform>();

  installDialect(app, {
    name: 'peerscholar',
    prefix: app.prefix,
    challenge: 'Bearer',
    render: (error) => ({ status: error.status, body: errorBody(hideInternals(error)) }),
  });

  authenticateDialect(app, {
    authenticate: async (request) => {
      const token = bearerToken(request);
      if (!token)
        throw new AppError('platforms.invalid_token', 'An Authorization: Bearer <JWT> header is required.');
      const row = await tokens.verify(token);
      const platform = await getPlatform(deps, row.id);
      if (!platform) throw new AppError('platforms.invalid_token', 'This platform registration is gone.');
      platforms.set(request, platform);
      return { kind: 'platform', platformId: platform.id };
    },
  });

  const platformOf = (request: FastifyRequest): Platform => {
    const p = platforms.get(request);
    if (!p) throw new AppError('platforms.invalid_token', 'No platform.');
    return p;
  };
  await app.register(peerScholarRoutes, { prefix: '/v1', deps, platformOf });
}
