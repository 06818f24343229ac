import type { AppRow } from './oauth.repository.ts';

/** Every scope the hub grants, with the plain words the consent page uses. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'know who you are on Learnhub',
  profile: 'see your name, username and public profile link',
  email: 'see your email address',
  offline_access: 'stay connected when you are not using it',
  notifications: 'send you notifications',
  'activities:publish': 'publish activities to your activity feed',
  'badges:award': 'award you its own badges (for example its participation badge)',
  xapi: 'record and read xAPI learning statements (its own Learning Record Store at the hub)',
};

export const SCOPES: readonly string[] = Object.keys(SCOPE_DESCRIPTIONS);

/** Scopes an app may hold as itself (client credentials): never anything about a person. */
export const APP_ONLY_SCOPES: readonly string[] = [
  'notifications',
  'activities:publish',
  'badges:award',
  'xapi',
];

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The OAuth client metadata oidc-provider sees for an app. `client_secret` is the SHA-256 of the real secret:
 * Client.prototype.compareClientSecret is replaced to hash what the client presents (oauth.provider.ts), and
 * nothing else uses the secret because HS* algorithms and client_secret_jwt are not enabled.
 */
export function clientMetadata(app: AppRow): Record<string, unknown> {
  return {
    client_id: app.id,
    client_secret: app.secretHash,
    client_name: app.name,
    redirect_uris: app.redirectUris,
    // RP-initiated logout may send the person back to any of the app's registered redirect URIs.
    post_logout_redirect_uris: app.redirectUris,
    response_types: app.redirectUris.length > 0 ? ['code'] : [],
    grant_types:
      app.redirectUris.length > 0
        ? ['authorization_code', 'refresh_token', 'client_credentials']
        : ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: SCOPES.join(' '),
    ...(app.logoUrl ? { logo_uri: app.logoUrl } : {}),
    ...(app.homepageUrl ? { client_uri: app.homepageUrl } : {}),
  };
}
