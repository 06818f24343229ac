import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { parseBasicAuth } from '../../lib/basic-auth.ts';
import { hashToken, safeEqual } from '../../lib/secrets.ts';
import { profileUrl, resolveUserRef } from '../identity/index.ts';
import { UUID } from './oauth.client.ts';
import { oauthErrors } from './oauth.errors.ts';
import { canVerifyToken } from './oauth.policies.ts';
import {
  destroyGrants,
  findAppById,
  findAppsByIds,
  findGrants,
  findLiveTokenRow,
} from './oauth.repository.ts';
import { TOKEN_CACHE_TTL_MS, tokenCacheFor } from './oauth.token-cache.ts';
import { type App, toApp } from './oauth.usecases.ts';

type TokenDeps = Pick<Deps, 'db' | 'clock'>;
type LiveTokenDeps = Pick<Deps, 'pool' | 'clock'>;

/** oidc-provider's opaque tokens: 256 random bits, base64url (43 characters). */
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

interface LiveToken {
  readonly kind: 'AccessToken' | 'ClientCredentials';
  readonly clientId: string;
  readonly accountId: string | undefined;
  readonly scopes: string[];
  /** When it stops being valid by itself (the earlier of its `exp` and its row's expiry), in ms. */
  readonly expiresAtMs: number;
}

function scopesOf(payload: Record<string, unknown>): string[] {
  return typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
}

/** Finds an active access token: stored, unexpired, and (for user tokens) its grant not revoked. One query. */
async function findLiveToken(deps: LiveTokenDeps, idHash: string): Promise<LiveToken | undefined> {
  const now = deps.clock.now();
  const row = await findLiveTokenRow(deps.pool, idHash, now);
  if (!row) return undefined;
  const { payload } = row;
  let expiresAtMs = row.expires_at.getTime();
  if (typeof payload.exp === 'number') expiresAtMs = Math.min(expiresAtMs, payload.exp * 1000);
  if (expiresAtMs <= now.getTime()) return undefined;
  if (typeof payload.clientId !== 'string') return undefined;
  if (row.model === 'AccessToken') {
    if (typeof payload.accountId !== 'string' || typeof payload.grantId !== 'string') return undefined;
    if (!row.grant_live) return undefined;
  }
  return {
    kind: row.model,
    clientId: payload.clientId,
    accountId: typeof payload.accountId === 'string' ? payload.accountId : undefined,
    scopes: scopesOf(payload),
    expiresAtMs,
  };
}

function principalOf(live: LiveToken): Principal {
  if (live.kind === 'ClientCredentials' || live.accountId === undefined) {
    return Object.freeze({ kind: 'app', appId: live.clientId, scopes: Object.freeze(live.scopes) });
  }
  return Object.freeze({
    kind: 'app_user',
    appId: live.clientId,
    userId: live.accountId,
    scopes: Object.freeze(live.scopes),
  });
}

/**
 * The bearer authenticator for native routes: an app's own token (client credentials) becomes an `app`
 * principal, a user's token an `app_user` principal. Tokens of other shapes (operator tokens, JWTs) are left
 * to other authenticators. Verified tokens are kept for a short while in the token cache (see
 * oauth.token-cache.ts for how revocation still takes effect at once).
 */
export async function authenticateBearer(
  deps: Pick<Deps, 'pool' | 'clock' | 'logger'>,
  token: string,
): Promise<Principal | undefined> {
  if (!OPAQUE_TOKEN.test(token)) return undefined;
  const cache = tokenCacheFor(deps);
  const idHash = hashToken(token);
  const nowMs = deps.clock.now().getTime();
  const cached = cache.get(idHash, nowMs);
  if (cached) return cached;
  const generation = cache.generation();
  const live = await findLiveToken(deps, idHash);
  if (!live) throw oauthErrors.invalidToken();
  const principal = principalOf(live);
  cache.set(idHash, principal, Math.min(nowMs + TOKEN_CACHE_TTL_MS, live.expiresAtMs), generation);
  return principal;
}

/**
 * HTTP Basic with an app's client_id and client_secret (as at the token endpoint) gives an `app` principal
 * with no scopes. Basic credentials whose user part is not an app id are left to other authenticators.
 */
export async function authenticateClientBasic(
  deps: Pick<Deps, 'db'>,
  header: string | undefined,
): Promise<Principal | undefined> {
  const basic = parseBasicAuth(header);
  if (!basic) return undefined;
  let clientId: string;
  let secret: string;
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    clientId = decodeURIComponent(basic.user.replaceAll('+', ' '));
    secret = decodeURIComponent(basic.password.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
  if (!UUID.test(clientId)) return undefined;
  const app = await findAppById(deps.db, clientId);
  if (!app) return undefined;
  if (!safeEqual(app.secretHash, hashToken(secret))) throw oauthErrors.invalidClient();
  return { kind: 'app', appId: app.id, scopes: [] };
}

export interface VerifiedToken {
  readonly user: { id: string; username: string; name: string; profile_url: string };
  readonly scopes: string[];
  readonly app: { client_id: string; name: string };
}

/**
 * The P2PU story's check: is this access token active, and was it issued to this user (named by profile URL,
 * id or username) for the calling app? Any "no" is the same 401, so a caller learns nothing more.
 */
export async function verifyUserToken(
  deps: Deps,
  principal: Principal,
  input: { userProfile: string; token: string },
): Promise<VerifiedToken> {
  const live = OPAQUE_TOKEN.test(input.token) ? await findLiveToken(deps, hashToken(input.token)) : undefined;
  if (live?.kind !== 'AccessToken' || !live.accountId) throw oauthErrors.tokenInactive();
  if (!canVerifyToken(principal, live)) throw oauthErrors.tokenInactive();
  const user = await resolveUserRef(deps, input.userProfile);
  if (!user || user.id !== live.accountId) throw oauthErrors.tokenInactive();
  const app = await findAppById(deps.db, live.clientId);
  if (!app) throw oauthErrors.tokenInactive();
  return {
    user: {
      id: user.id,
      username: user.username,
      name: user.name,
      profile_url: profileUrl(deps.config, user.username),
    },
    scopes: live.scopes,
    app: { client_id: app.id, name: app.name },
  };
}

/** Whether the user has granted the app this scope (consent given and not revoked). */
export async function hasUserGrant(
  deps: TokenDeps,
  appId: string,
  userId: string,
  scope: string,
): Promise<boolean> {
  if (!UUID.test(appId) || !UUID.test(userId)) return false;
  const grants = await findGrants(deps.db, { accountId: userId, clientId: appId, now: deps.clock.now() });
  return grants.some((g) => grantScopes(g.payload).includes(scope));
}

function grantScopes(payload: Record<string, unknown>): string[] {
  const openid = payload.openid;
  if (typeof openid !== 'object' || openid === null) return [];
  const scope = (openid as Record<string, unknown>).scope;
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

export interface Connection {
  readonly app: App;
  readonly scopes: string[];
  readonly connectedAt: Date;
}

/** The apps a user has connected (granted consent to), newest first. */
export async function listConnections(deps: TokenDeps, userId: string): Promise<Connection[]> {
  const grants = await findGrants(deps.db, { accountId: userId, now: deps.clock.now() });
  const byClient = new Map<string, { scopes: Set<string>; connectedAt: Date }>();
  for (const { clientId, payload } of grants) {
    if (!clientId) continue;
    const entry = byClient.get(clientId) ?? { scopes: new Set<string>(), connectedAt: new Date(0) };
    for (const scope of grantScopes(payload)) entry.scopes.add(scope);
    const iat = typeof payload.iat === 'number' ? new Date(payload.iat * 1000) : new Date(0);
    if (iat > entry.connectedAt) entry.connectedAt = iat;
    byClient.set(clientId, entry);
  }
  const apps = await findAppsByIds(deps.db, [...byClient.keys()]);
  return apps
    .map((row) => {
      const entry = byClient.get(row.id);
      return {
        app: toApp(row),
        scopes: [...(entry?.scopes ?? [])],
        connectedAt: entry?.connectedAt ?? new Date(0),
      };
    })
    .sort((a, b) => b.connectedAt.getTime() - a.connectedAt.getTime());
}

/**
 * Disconnects an app: deletes the user's grants to it and every code and token issued under them. Its
 * tokens stop working at once: this process's token cache is cleared after the commit, other processes'
 * when the trigger's notification reaches them.
 */
export async function revokeConnection(
  deps: Pick<Deps, 'db' | 'pool' | 'logger'>,
  userId: string,
  appId: string,
): Promise<void> {
  if (!UUID.test(appId)) throw oauthErrors.connectionNotFound();
  const removed = await deps.db.transaction((tx) =>
    destroyGrants(tx, { accountId: userId, clientId: appId }),
  );
  tokenCacheFor(deps).invalidate();
  if (removed === 0) throw oauthErrors.connectionNotFound();
}
