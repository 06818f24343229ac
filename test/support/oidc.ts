import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { formOf } from './web.ts';

/** What an inject-based test drives: Browser from ./web.ts fits. */
export interface PageDriver {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(params: {
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge: string;
  state?: string;
  prompt?: string;
}): string {
  const query = new URLSearchParams({
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    response_type: 'code',
    scope: params.scope,
    state: params.state ?? 'st-1',
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
  });
  if (params.prompt) query.set('prompt', params.prompt);
  return `/oidc/auth?${query.toString()}`;
}

function pathOf(location: string): string {
  const url = new URL(location, 'http://hub.test');
  return `${url.pathname}${url.search}`;
}

/**
 * Follows redirects inside the hub (as a browser would) until a page is shown or the hub redirects to the
 * app (`stopAt` prefix). Returns the final response and, when it left for the app, the URL it went to.
 */
export async function follow(
  browser: PageDriver,
  start: string,
  stopAt: string,
): Promise<{ res: LightMyRequestResponse; left?: URL }> {
  let res = await browser.get(start);
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.location;
    if (res.statusCode < 300 || res.statusCode >= 400 || typeof location !== 'string') return { res };
    if (location.startsWith(stopAt)) return { res, left: new URL(location) };
    res = await browser.get(pathOf(location));
  }
  throw new Error('too many redirects');
}

/** Submits the consent page's form with the given decision and follows on to the app. */
export async function decideConsent(
  browser: PageDriver,
  consentPage: LightMyRequestResponse,
  decision: 'allow' | 'deny',
  stopAt: string,
): Promise<URL> {
  const form = formOf(consentPage.body);
  const res = await browser.post(form.action, { ...form.hidden, decision });
  const location = res.headers.location;
  if (res.statusCode !== 303 || typeof location !== 'string') {
    throw new Error(`consent answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  }
  const { left } = await follow(browser, pathOf(location), stopAt);
  if (!left) throw new Error('consent did not lead back to the app');
  return left;
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export const PASSWORD = 'correct horse battery';
export const REDIRECT = 'https://mooc.example/callback';

/** A minimal app.inject world for OAuth tests: two people, one app (owned by bob), helpers to run the flow. */
export async function oauthWorld(t: import('./app.ts').TestApp) {
  const { createUser } = await import('../../src/modules/identity/index.ts');
  const { createApp } = await import('../../src/modules/oauth/index.ts');
  const { Browser } = await import('./web.ts');
  const person = (username: string, name: string) =>
    createUser(t.deps, {
      username,
      name,
      email: `${username}@example.org`,
      password: PASSWORD,
      emailVerified: true,
    });
  const alice = await person('alice', 'Alice Adams');
  const bob = await person('bob', 'Bob Brown');
  const created = await createApp(t.deps, { name: 'MOOC', redirectUris: [REDIRECT], ownerUserId: bob.id });
  const client = { id: created.app.clientId, secret: created.clientSecret };

  async function signIn(username: string) {
    const browser = new Browser(t.app);
    const res = await browser.submit(
      '/login',
      { email: `${username}@example.org`, password: PASSWORD },
      '/login',
    );
    if (res.statusCode !== 303) throw new Error(`sign-in answered ${res.statusCode}`);
    return browser;
  }

  /** Runs /oidc/auth up to the consent page (200) or back to the app (3xx with `left`). */
  function authorize(browser: PageDriver, challenge: string, scope: string, extra: { prompt?: string } = {}) {
    return follow(
      browser,
      authorizeUrl({ clientId: client.id, redirectUri: REDIRECT, scope, challenge, ...extra }),
      REDIRECT,
    );
  }

  async function codeFor(browser: PageDriver, challenge: string, scope = 'openid profile notifications') {
    const { res, left } = await authorize(browser, challenge, scope);
    // Consent already given for these scopes: the hub goes straight back to the app.
    const back = left ?? (await decideConsent(browser, res, 'allow', REDIRECT));
    const code = back.searchParams.get('code');
    if (!code) throw new Error(`no code in ${back.toString()}`);
    return code;
  }

  function token(fields: Record<string, string>, secret = client.secret) {
    return t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: {
        authorization: basicAuth(client.id, secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams(fields).toString(),
    });
  }

  function exchange(code: string, verifier: string, secret = client.secret) {
    return token(
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier },
      secret,
    );
  }

  function verify(
    userProfile: string,
    accessToken: string,
    authorization = basicAuth(client.id, client.secret),
  ) {
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify',
      headers: { authorization },
      payload: { user_profile: userProfile, token: accessToken },
    });
  }

  /** Signs `username` in, consents, and exchanges the code: a fresh user access token. */
  async function userToken(username: string, scope = 'openid profile notifications') {
    const browser = await signIn(username);
    const { verifier, challenge } = pkcePair();
    const res = await exchange(await codeFor(browser, challenge, scope), verifier);
    if (res.statusCode !== 200) throw new Error(`token endpoint answered ${res.statusCode}: ${res.body}`);
    return { browser, body: res.json<{ access_token: string; refresh_token?: string; scope: string }>() };
  }

  return { alice, bob, client, signIn, authorize, codeFor, token, exchange, verify, userToken };
}

/**
 * "Sign in with the hub" against a running hub over real HTTP (a hub process, not app.inject), as a browser
 * would: sign in at /login, authorize the app, allow on the consent page, and stop at the app's redirect URI.
 * Returns the authorization code and its PKCE verifier (for a test to exchange, or to hand to a guide).
 */
export async function codeOverHttp(options: {
  readonly base: string;
  readonly email: string;
  readonly password: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly prompt?: string;
}): Promise<{ code: string; verifier: string }> {
  const jar = new Map<string, string>();
  const request = async (url: string, form?: Record<string, string>) => {
    const target = new URL(url, options.base).toString();
    const res = await fetch(target, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        accept: 'text/html',
        origin: options.base,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location') ?? undefined, body: await res.text() };
  };
  const login = await request('/login');
  const signIn = formOf(login.body, '/login');
  const signedIn = await request(signIn.action, {
    ...signIn.hidden,
    email: options.email,
    password: options.password,
  });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  const { verifier, challenge } = pkcePair();
  const query = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: options.scope,
    state: 'st-http',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...(options.prompt ? { prompt: options.prompt } : {}),
  });
  let res = await request(`/oidc/auth?${query}`);
  for (let hops = 0; hops < 12; hops++) {
    if (res.location?.startsWith(options.redirectUri)) {
      const code = new URL(res.location).searchParams.get('code');
      if (!code) throw new Error(`no code in ${res.location}`);
      return { code, verifier };
    }
    if (res.location) res = await request(res.location);
    else if (res.status === 200) {
      const consent = formOf(res.body);
      res = await request(consent.action, { ...consent.hidden, decision: 'allow' });
    } else throw new Error(`the flow stopped at ${res.status}: ${res.body.slice(0, 200)}`);
  }
  throw new Error('too many redirects');
}
