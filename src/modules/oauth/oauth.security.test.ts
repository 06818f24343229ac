import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { authorizeUrl, basicAuth, oauthWorld, pkcePair, REDIRECT } from '../../../test/support/oidc.ts';
import { formOf } from '../../../test/support/web.ts';
import { createApp, hasUserGrant } from './index.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await oauthWorld(t);
});
afterAll(async () => {
  await t.close();
});

async function count(sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await t.deps.pool.query<{ n: string }>(sql, values);
  return Number(rows[0]?.n ?? 0);
}

describe('the provider refuses bad requests and changes nothing', () => {
  it('refuses an unregistered redirect URI with an error page, never redirecting there', async () => {
    const browser = await w.signIn('alice');
    const url = authorizeUrl({
      clientId: w.client.id,
      redirectUri: 'https://evil.example/steal',
      scope: 'openid',
      challenge: pkcePair().challenge,
    });
    const res = await browser.get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('redirect_uri');
  });

  it('refuses an unknown client with an error page', async () => {
    const browser = await w.signIn('alice');
    for (const clientId of ['not-a-client', '00000000-0000-4000-8000-000000000000']) {
      const url = authorizeUrl({
        clientId,
        redirectUri: REDIRECT,
        scope: 'openid',
        challenge: pkcePair().challenge,
      });
      const res = await browser.get(url);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('invalid_client');
    }
  });

  it('refuses an authorization request without PKCE', async () => {
    const browser = await w.signIn('alice');
    const query = new URLSearchParams({
      client_id: w.client.id,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid',
    });
    const res = await browser.get(`/oidc/auth?${query.toString()}`);
    expect(res.statusCode).toBe(303);
    const back = new URL(String(res.headers.location));
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a reused code, revoking the tokens the first use issued and the consent they came from', async () => {
    const browser = await w.signIn('alice');
    const { verifier, challenge } = pkcePair();
    const code = await w.codeFor(browser, challenge);
    const first = await w.exchange(code, verifier);
    expect(first.statusCode).toBe(200);
    const second = await w.exchange(code, verifier);
    expect(second.statusCode).toBe(400);
    expect(second.json()).toMatchObject({ error: 'invalid_grant' });
    const token = first.json<{ access_token: string }>().access_token;
    expect((await w.verify('alice', token)).statusCode).toBe(401);
    // A replayed code means it leaked: the grant (the app's connection) goes too, so the person is asked again.
    expect(await hasUserGrant(t.deps, w.client.id, w.alice.id, 'openid')).toBe(false);
    expect((await browser.get('/account/connections')).body).not.toContain(
      `/account/connections/${w.client.id}/revoke`,
    );
  });

  it('refuses an expired code', async () => {
    const browser = await w.signIn('alice');
    const { verifier, challenge } = pkcePair();
    const code = await w.codeFor(browser, challenge);
    // Codes live 60 s; move this one's expiry into the past rather than waiting.
    await t.deps.pool.query(
      "update oidc_payloads set expires_at = now() - interval '1 second' where model = 'AuthorizationCode'",
    );
    const res = await w.exchange(code, verifier);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('purges expired provider records with the hourly job', async () => {
    await w.authorize(await w.signIn('alice'), pkcePair().challenge, 'openid email');
    await t.deps.pool.query(
      "update oidc_payloads set expires_at = now() - interval '1 minute' where model = 'Interaction'",
    );
    expect(await count('select count(*) as n from oidc_payloads where expires_at < now()')).toBeGreaterThan(
      0,
    );
    await t.deps.pool.query("select graphile_worker.add_job('oauth.purge_expired', '{}'::json)");
    await t.runJobs();
    expect(await count('select count(*) as n from oidc_payloads where expires_at < now()')).toBe(0);
  });

  it('refuses a code with the wrong PKCE verifier', async () => {
    const browser = await w.signIn('alice');
    const { challenge } = pkcePair();
    const code = await w.codeFor(browser, challenge);
    const res = await w.exchange(code, pkcePair().verifier);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong client secret, and keeps the code usable for the real client', async () => {
    const browser = await w.signIn('alice');
    const { verifier, challenge } = pkcePair();
    const code = await w.codeFor(browser, challenge);
    const wrong = await w.exchange(code, verifier, 'lh_cs_not-the-secret');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'invalid_client' });
    expect((await w.exchange(code, verifier)).statusCode).toBe(200);
  });

  it('stores neither client secrets nor tokens in clear', async () => {
    const { body } = await w.userToken('alice');
    const leaks = await count(
      "select count(*) as n from oidc_payloads where payload::text like '%' || $1 || '%' or id_hash = $1",
      [body.access_token],
    );
    expect(leaks).toBe(0);
    expect(
      await count('select count(*) as n from oauth_apps where secret_hash = $1', [w.client.secret]),
    ).toBe(0);
  });
});

describe('POST /api/v1/auth/verify', () => {
  it('answers 401 for a token of another user', async () => {
    const { body } = await w.userToken('bob');
    const res = await w.verify('http://hub.test/u/alice', body.access_token);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'oauth.token_inactive' });
  });

  it("answers 401 when another app asks about this app's token", async () => {
    const other = await createApp(t.deps, { name: 'Other', redirectUris: ['https://other.example/cb'] });
    const { body } = await w.userToken('alice');
    const res = await w.verify('alice', body.access_token, basicAuth(other.app.clientId, other.clientSecret));
    expect(res.statusCode).toBe(401);
  });

  it('refuses callers without app credentials, and wrong app secrets', async () => {
    const { body } = await w.userToken('alice');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify',
      payload: { user_profile: 'alice', token: body.access_token },
    });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await w.verify('alice', body.access_token, basicAuth(w.client.id, 'lh_cs_wrong'));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'oauth.invalid_client' });
  });

  it('names the missing field when the body is incomplete', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify',
      headers: { authorization: basicAuth(w.client.id, w.client.secret) },
      payload: { user_profile: 'alice' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('token');
  });
});

describe('consent form', () => {
  it('refuses a consent POST without the CSRF token and grants nothing', async () => {
    const dave = await (await import('../identity/index.ts')).createUser(t.deps, {
      username: 'dave',
      name: 'Dave',
      email: 'dave@example.org',
      password: 'correct horse battery',
      emailVerified: true,
    });
    const browser = await w.signIn('dave');
    const { res } = await w.authorize(browser, pkcePair().challenge, 'openid notifications');
    expect(res.statusCode).toBe(200);
    const form = formOf(res.body);
    const forged = await browser.post(form.action, { decision: 'allow' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('security token');
    const tampered = await browser.post(form.action, { _csrf: 'x'.repeat(43), decision: 'allow' });
    expect(tampered.statusCode).toBe(403);
    expect(await hasUserGrant(t.deps, w.client.id, dave.id, 'notifications')).toBe(false);
  });

  it('refuses a tampered interaction cookie', async () => {
    const browser = await w.signIn('alice');
    const { res } = await w.authorize(browser, pkcePair().challenge, 'openid email');
    expect(res.statusCode).toBe(200);
    const action = formOf(res.body).action;
    const cookie = browser.cookies.get('_interaction');
    expect(cookie).toEqual(expect.any(String));
    browser.cookies.set('_interaction', `${String(cookie).slice(0, -2)}xx`);
    const again = await browser.get(action.replace(/\/consent$/, ''));
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('expired');
  });

  it('shows an "expired" page for an unknown interaction', async () => {
    const browser = await w.signIn('alice');
    const res = await browser.get('/interaction/not-a-real-one');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('expired');
  });
});
