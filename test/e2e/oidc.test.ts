import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { freePort, startTestServer, type TestServer } from '../support/server.ts';
import { formOf } from '../support/web.ts';

/**
 * The story's journey with a real relying party: openid-client talks to the hub over HTTP on 127.0.0.1, and
 * the person's part (sign-in form, consent form) is driven with fetch and a cookie jar, as a browser would.
 */
let server: TestServer;
let callback: string;
let client: { client_id: string; client_secret: string };
const SECRET_KEY = 'test-secret-key-test-secret-key-0123456789';

/** A cookie jar and manual redirects: the hub's pages as a browser without JavaScript sees them. */
class FetchBrowser {
  readonly #jar = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      cookie: [...this.#jar].map(([k, v]) => `${k}=${v}`).join('; '),
    };
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(new URL(url, server.url), {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(cookie)) this.#jar.delete(name);
      else this.#jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects until a page (2xx/4xx) or a redirect to `stopAt`. */
  async follow(start: string, stopAt: string, first?: Response): Promise<{ page?: Response; left?: URL }> {
    let res = first ?? (await this.request(start));
    for (let hops = 0; hops < 12; hops++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { page: res };
      const next = new URL(location, server.url);
      if (next.href.startsWith(stopAt)) return { left: next };
      res = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }
}

beforeAll(async () => {
  server = await startTestServer();
  callback = `http://127.0.0.1:${await freePort()}/callback`;
  const env = { DATABASE_URL: server.database.url, SECRET_KEY, PUBLIC_URL: server.url, LOG_LEVEL: 'warn' };
  const user = await runCli(
    [
      'users',
      'create',
      '--email',
      'alice@example.org',
      '--name',
      'Alice Adams',
      '--username',
      'alice',
      '--password',
      'correct horse battery',
      '--json',
    ],
    env,
  );
  expect(user.code, user.stderr).toBe(0);
  const created = await runCli(
    [
      'apps',
      'create',
      '--name',
      'MOOC',
      '--redirect-uri',
      callback,
      '--reply-url',
      'https://mooc.example/replies',
      '--owner',
      'alice',
      '--json',
    ],
    env,
  );
  expect(created.code, created.stderr).toBe(0);
  client = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('openid-client against the hub', () => {
  it('discovers, signs in with PKCE and consent, reads userinfo, refreshes, introspects and revokes', async () => {
    const config = await oidc.discovery(
      new URL(`${server.url}/oidc`),
      client.client_id,
      undefined,
      oidc.ClientSecretBasic(client.client_secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    expect(config.serverMetadata().issuer).toBe(`${server.url}/oidc`);
    const root = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect((await root.json()).issuer).toBe(`${server.url}/oidc`);
    // Exactly the client authentication the hub supports (both are exercised in oauth.apps.test.ts).
    const meta = config.serverMetadata();
    expect([...(meta.token_endpoint_auth_methods_supported ?? [])].sort()).toEqual([
      'client_secret_basic',
      'client_secret_post',
    ]);
    // oidc-provider 9 authenticates introspection and revocation as the token endpoint and advertises no
    // separate lists; where one is present it must say the same.
    for (const list of [
      meta.introspection_endpoint_auth_methods_supported,
      meta.revocation_endpoint_auth_methods_supported,
    ]) {
      if (list !== undefined) expect([...list].sort()).toEqual(['client_secret_basic', 'client_secret_post']);
    }
    expect(meta.token_endpoint_auth_signing_alg_values_supported).toBeUndefined();

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback,
      scope: 'openid profile email offline_access notifications activities:publish',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      prompt: 'consent',
    });

    // The person: not signed in, so the hub shows its sign-in page first.
    const browser = new FetchBrowser();
    const { page: loginPage } = await browser.follow(authUrl.href, callback);
    const loginHtml = (await loginPage?.text()) ?? '';
    const login = formOf(loginHtml, '/login');
    const signedIn = await browser.request('/login', {
      method: 'POST',
      form: { ...login.hidden, email: 'alice@example.org', password: 'correct horse battery' },
    });
    const { page: consentPage } = await browser.follow('', callback, signedIn);
    const consentHtml = (await consentPage?.text()) ?? '';
    expect(consentHtml).toContain('send you notifications');
    expect(consentHtml).toContain('publish activities to your activity feed');
    const consent = formOf(consentHtml);
    const allowed = await browser.request(consent.action, {
      method: 'POST',
      form: { ...consent.hidden, decision: 'allow' },
    });
    const { left } = await browser.follow('', callback, allowed);
    if (!left) throw new Error('consent did not return to the app');

    const tokens = await oidc.authorizationCodeGrant(config, left, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const sub = tokens.claims()?.sub;
    if (!sub) throw new Error('no id token subject');

    const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    expect(info).toMatchObject({
      sub,
      name: 'Alice Adams',
      preferred_username: 'alice',
      email: 'alice@example.org',
      email_verified: true,
      profile: `${server.url}/u/alice`,
    });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.access_token).not.toBe(tokens.access_token);

    const introspected = await oidc.tokenIntrospection(config, refreshed.access_token);
    expect(introspected.active).toBe(true);
    expect(String(introspected.scope).split(' ')).toEqual(
      expect.arrayContaining(['notifications', 'activities:publish']),
    );
    expect(introspected.client_id).toBe(client.client_id);
    expect(introspected.sub).toBe(sub);

    const verify = await fetch(`${server.url}/api/v1/auth/verify`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ user_profile: `${server.url}/u/alice`, token: refreshed.access_token }),
    });
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ active: true, user: { id: sub, username: 'alice' } });

    await oidc.tokenRevocation(config, refreshed.access_token);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);

    const app = await oidc.clientCredentialsGrant(config, { scope: 'notifications' });
    expect(app.scope).toBe('notifications');
  }, 60_000);
});
