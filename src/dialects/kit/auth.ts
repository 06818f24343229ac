import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../http/principal.ts';

export interface DialectAuthenticator {
  /** Requests that need no credentials (public paths, health checks); unknown routes are always skipped. */
  readonly skip?: (request: FastifyRequest) => boolean;
  /** Resolves the caller or throws the AppError the dialect's wire renders (401/403). */
  readonly authenticate: (request: FastifyRequest) => Promise<Principal>;
}

/**
 * A dialect whose seed has its own credential (BadgeKit's JWT, peerScholar's RS256 bearer) authenticates every
 * route in one preHandler — after the body is parsed, since some credentials sign the body. Unknown routes
 * answer 404/405 without asking for credentials, as the seed servers do. Dialects whose credentials are hub
 * principals (Basic program keys, institution keys) use the routes' `config.principals` instead.
 */
export function authenticateDialect(app: FastifyInstance, authenticator: DialectAuthenticator): void {
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url === undefined) return;
    if (authenticator.skip?.(request)) return;
    request.principal = await authenticator.authenticate(request);
  });
}
