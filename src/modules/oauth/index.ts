import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { bearerToken } from '../../http/principal.ts';
import { addSignInAppResolver } from '../identity/index.ts';
import { accountRoutes } from './oauth.account.routes.ts';
import { closeAppCache } from './oauth.app-cache.ts';
import { resolveHubSessionFirst } from './oauth.hub-session.ts';
import { appBehindInteraction, interactionRoutes } from './oauth.interactions.ts';
import { registerOAuthJobs } from './oauth.jobs.ts';
import { mountProvider } from './oauth.mount.ts';
import { createProvider } from './oauth.provider.ts';
import { oauthRoutes } from './oauth.routes.ts';
import { closeTokenCache } from './oauth.token-cache.ts';
import { authenticateBearer, authenticateClientBasic } from './oauth.tokens.ts';
import { refuseAtEdge, shapeProviderNotFound } from './oauth.wire.ts';

export { type AppLabel, appLabel, whenAppChangesHeard } from './oauth.app-cache.ts';
export { SCOPE_DESCRIPTIONS, SCOPES } from './oauth.client.ts';
export { liveGrantCondition } from './oauth.repository.ts';
export { TOKEN_CACHE_TTL_MS, tokenCacheFor } from './oauth.token-cache.ts';
export {
  authenticateBearer,
  type Connection,
  hasUserGrant,
  listConnections,
  revokeConnection,
} from './oauth.tokens.ts';
export { type App, type AppWithSecret, createApp, getAppById } from './oauth.usecases.ts';

/**
 * Apps (OAuth clients) and the hub's OpenID provider: oidc-provider mounted at /oidc (oauth.mount.ts),
 * our sign-in/consent interaction pages, the developer and connected-apps pages, the apps API, the token
 * check, and the authenticators that turn app credentials into principals.
 */
export async function registerOAuth(app: FastifyInstance, deps: Deps, auth: AuthenticatorRegistry) {
  auth.add({
    name: 'oauth-bearer',
    authenticate: async (request) => {
      const token = bearerToken(request);
      return token ? authenticateBearer(deps, token) : undefined;
    },
  });
  auth.add({
    name: 'oauth-client-basic',
    authenticate: (request) => authenticateClientBasic(deps, request.headers.authorization),
  });
  // The token cache listens (db/notifications.ts) from the first bearer request; forget it with the app.
  app.addHook('onClose', async () => {
    closeTokenCache(deps);
    closeAppCache(deps);
  });

  registerOAuthJobs(deps);
  const provider = await createProvider(deps);
  resolveHubSessionFirst(app, deps);
  shapeProviderNotFound(provider);
  addSignInAppResolver(app, (returnTo) => appBehindInteraction(deps, provider, returnTo));
  mountProvider(app, provider.callback(), refuseAtEdge);

  await app.register(interactionRoutes, { deps, provider });
  await app.register(accountRoutes, { deps });
  await app.register(oauthRoutes, { deps });
}
