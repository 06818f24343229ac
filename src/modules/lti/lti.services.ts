import type { Deps } from '../../deps.ts';
import { signToolJwt } from './lti.keys.ts';
import type { PlatformRow } from './lti.repository.ts';

/** The roster sync job (lti.nrps.ts); named here so launches can queue it without importing the job. */
export const SYNC_ROSTER = 'lti.sync_roster';

export const SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemRead: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  roster: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

/** A failed call to a platform service: `retry` says whether a later attempt may succeed. */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retry: boolean,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}
// Access tokens per platform and scope set, per process; they are refetched a minute before they expire.
const tokens = new WeakMap<object, Map<string, CachedToken>>();

function cacheOf(deps: Deps): Map<string, CachedToken> {
  let cache = tokens.get(deps.jobs);
  if (!cache) {
    cache = new Map();
    tokens.set(deps.jobs, cache);
  }
  return cache;
}

/**
 * An access token from the platform (client_credentials with an RFC 7523 JWT client assertion signed by the
 * tool's key, as the 1EdTech Security Framework §4.1 describes).
 */
export async function serviceToken(
  deps: Deps,
  platform: PlatformRow,
  scopes: readonly string[],
): Promise<string> {
  const key = `${platform.id} ${[...scopes].sort().join(' ')}`;
  const cache = cacheOf(deps);
  const now = deps.clock.now().getTime();
  const cached = cache.get(key);
  if (cached && cached.expiresAt > now) return cached.token;
  const assertion = await signToolJwt(
    deps,
    {
      iss: platform.clientId,
      sub: platform.clientId,
      aud: platform.tokenAudience ?? platform.tokenEndpoint,
      jti: deps.ids.uuid(),
    },
    { expiresInSeconds: 300 },
  );
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope: scopes.join(' '),
  }).toString();
  const res = await call(deps, platform.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
  if (typeof json.access_token !== 'string')
    throw new ServiceError(
      `token endpoint ${platform.tokenEndpoint} returned no access_token`,
      res.status,
      true,
    );
  const lifetime = typeof json.expires_in === 'number' ? json.expires_in : 3600;
  cache.set(key, { token: json.access_token, expiresAt: now + Math.max(0, lifetime - 60) * 1000 });
  return json.access_token;
}

export function forgetToken(deps: Deps, platform: PlatformRow, scopes: readonly string[]): void {
  cacheOf(deps).delete(`${platform.id} ${[...scopes].sort().join(' ')}`);
}

/** One HTTP call through the SSRF-guarded fetch; non-2xx becomes a ServiceError (5xx and 429 retryable). */
async function call(
  deps: Deps,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Response> {
  let res: Response;
  try {
    res = await deps.outbound(url, { ...init, signal: AbortSignal.timeout(10_000), redirect: 'error' });
  } catch (error) {
    throw new ServiceError(
      `${init.method} ${url}: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      true,
    );
  }
  if (res.status >= 200 && res.status < 300) return res;
  const text = (await res.text().catch(() => '')).slice(0, 300);
  throw new ServiceError(
    `${init.method} ${url}: HTTP ${res.status} ${text}`,
    res.status,
    res.status >= 500 || res.status === 429 || res.status === 401,
  );
}

/** A service call with the platform's token; an expired token (401) is replaced once. */
export async function serviceCall(
  deps: Deps,
  platform: PlatformRow,
  scopes: readonly string[],
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const token = await serviceToken(deps, platform, scopes);
    try {
      return await call(deps, url, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
      });
    } catch (error) {
      if (attempt === 0 && error instanceof ServiceError && error.status === 401) {
        forgetToken(deps, platform, scopes);
        continue;
      }
      throw error;
    }
  }
}

/** `<lineitem>/scores`, keeping the line item URL's query string after the added path. */
export function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}
