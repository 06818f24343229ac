import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Deps } from '../../deps.ts';
import { hashToken, safeEqual } from '../../lib/secrets.ts';
import { getUserById, profileUrl } from '../identity/index.ts';
import { postgresAdapter } from './oauth.adapter.ts';
import { SCOPES } from './oauth.client.ts';
import { interactionPolicyWithHubSession } from './oauth.hub-session.ts';
import { cookieKeys, loadSigningKeys } from './oauth.keys.ts';
import { endHubSessionOnSignOut, logoutSource, postLogoutSuccessSource } from './oauth.logout.tsx';
import { renderProviderError } from './oauth.pages.tsx';
import { findGrants } from './oauth.repository.ts';

/** Where our own sign-in/consent pages live (outside /oidc: everything under /oidc belongs to the provider). */
export const INTERACTION_PATH = '/interaction';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Consent is remembered per app: besides the grant the OP session points at, look up the newest live grant
 * this account gave this client, so a new browser session does not ask again.
 */
function existingGrantLoader(deps: Deps) {
  return async (ctx: KoaContextWithOIDC) => {
    const { provider, client, session, result } = ctx.oidc;
    if (!client) return undefined;
    const known = result?.consent?.grantId ?? session?.grantIdFor(client.clientId);
    if (typeof known === 'string') {
      const grant = await provider.Grant.find(known);
      if (grant) return grant;
    }
    const accountId = session?.accountId;
    if (!accountId) return undefined;
    const [row] = await findGrants(deps.db, { accountId, clientId: client.clientId, now: deps.clock.now() });
    const id = row?.payload.jti;
    return typeof id === 'string' ? provider.Grant.find(id) : undefined;
  };
}

export async function createProvider(deps: Deps): Promise<Provider> {
  const issuer = `${deps.config.publicUrl}/oidc`;
  const keys = await loadSigningKeys(deps);
  const config: Configuration = {
    adapter: postgresAdapter(deps),
    clients: [],
    jwks: { keys },
    cookies: { keys: cookieKeys(deps.secretKey) },
    findAccount: async (_ctx, sub) => {
      const user = await getUserById(deps, sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          name: user.name,
          preferred_username: user.username,
          profile: profileUrl(deps.config, user.username),
          email: user.email,
          email_verified: user.emailVerified,
        }),
      };
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'profile'],
      email: ['email', 'email_verified'],
    },
    scopes: [...SCOPES],
    responseTypes: ['code'],
    // Exactly what apps are registered with and what is tested (oauth.apps.test.ts): the secret in HTTP Basic or
    // in the form body. No client_secret_jwt (HS256 over a hashed secret cannot work), private_key_jwt or none.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    pkce: { required: () => true },
    interactions: {
      policy: interactionPolicyWithHubSession(),
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
    },
    loadExistingGrant: existingGrantLoader(deps),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      // An app may introspect and revoke only the tokens issued to it.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      // End-session in the hub's look; confirming it also signs the person out of the hub (oauth.logout.tsx).
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // Hub permissions are plain OAuth scopes on opaque tokens (introspectable); no RFC 8707 resources.
      resourceIndicators: { enabled: false },
    },
    // Apps are server-side clients; browsers never call the token endpoint cross-origin.
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      BackchannelAuthenticationRequest: 10 * 60,
      ClientCredentials: HOUR,
      DeviceCode: 10 * 60,
      Grant: 365 * DAY,
      IdToken: HOUR,
      Interaction: HOUR,
      PreAuthorizedCode: 10 * 60,
      RefreshToken: 30 * DAY,
      Session: 14 * DAY,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderProviderError(out);
    },
  };
  const provider = new Provider(issuer, config);
  provider.proxy = deps.config.trustProxy;

  // Client secrets are stored as SHA-256 (oauth.client.ts puts the hash in `client_secret`); compare what the
  // client presents by hashing it, in constant time.
  provider.Client.prototype.compareClientSecret = function compareHashed(
    this: { clientSecret?: string },
    actual,
  ) {
    return typeof this.clientSecret === 'string' && safeEqual(this.clientSecret, hashToken(actual));
  };

  // Confirming "Sign out" on the hub's end-session page ends the hub session too; an account switch does not.
  endHubSessionOnSignOut(provider, deps);
  provider.on('server_error', (_ctx, error) => deps.logger.error({ err: error }, 'oidc provider error'));
  provider.on('grant.error', (_ctx, error) => deps.logger.debug({ err: error.message }, 'oidc grant error'));
  return provider;
}
