import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { decideConsent, follow, oauthWorld, pkcePair, REDIRECT } from '../../../test/support/oidc.ts';
import { formOf } from '../../../test/support/web.ts';
import { hasUserGrant } from './index.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await oauthWorld(t);
});
afterAll(async () => {
  await t.close();
});

async function events(type: string) {
  const { rows } = await t.deps.pool.query<{ payload: Record<string, unknown> }>(
    'select payload from domain_events where type = $1 order by seq',
    [type],
  );
  return rows.map((r) => r.payload);
}

describe('sign in with the hub: our sign-in and consent pages', () => {
  it('sends someone who is not signed in to the sign-in page, and back to the request afterwards', async () => {
    const { Browser } = await import('../../../test/support/web.ts');
    const browser = new Browser(t.app);
    const { res } = await w.authorize(browser, pkcePair().challenge, 'openid');
    expect(res.statusCode).toBe(200);
    const { formOf } = await import('../../../test/support/web.ts');
    const login = formOf(res.body, '/login');
    expect(login.hidden.return_to).toMatch(/^\/interaction\/[\w-]+$/);
    // The sign-in page says which app asks and where the person returns; so does sign-up from there.
    expect(res.body).toMatch(/<strong>[^<]*MOOC[^<]*<\/strong> asks you to sign in/);
    expect(res.body).toContain(`you will return to <strong>${new URL(REDIRECT).host}</strong>`);
    const signup = await browser.get(
      `/signup?return_to=${encodeURIComponent(String(login.hidden.return_to))}`,
    );
    expect(signup.body).toMatch(/MOOC[^<]*<\/strong> asks you to create an account/);
    // A return_to that is no interaction of ours names no app.
    expect((await browser.get('/login?return_to=/interaction/unknown')).body).not.toContain('asks you to');
    const signedIn = await browser.post('/login', {
      ...login.hidden,
      email: 'alice@example.org',
      password: 'correct horse battery',
    });
    expect(signedIn.headers.location).toBe(login.hidden.return_to);
    const { res: consent } = await follow(browser, String(login.hidden.return_to), REDIRECT);
    expect(consent.statusCode).toBe(200);
    expect(consent.body).toContain('MOOC wants to connect');
  });

  it('shows the asked scopes in plain words on the consent page', async () => {
    const browser = await w.signIn('alice');
    const { res } = await w.authorize(
      browser,
      pkcePair().challenge,
      'openid profile email notifications activities:publish',
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('MOOC wants to connect to your Learnhub account');
    for (const words of [
      'send you notifications',
      'publish activities to your activity feed',
      'see your email address',
    ]) {
      expect(res.body).toContain(words);
    }
  });

  it('issues a token after consent, records app.authorized, and verifies it for that user', async () => {
    const { body } = await w.userToken('alice', 'openid profile email notifications');
    expect(body.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'notifications']));
    expect(await hasUserGrant(t.deps, w.client.id, w.alice.id, 'notifications')).toBe(true);
    expect(await hasUserGrant(t.deps, w.client.id, w.alice.id, 'activities:publish')).toBe(false);
    expect(await hasUserGrant(t.deps, w.client.id, w.bob.id, 'notifications')).toBe(false);

    const verify = await w.verify('http://hub.test/u/alice', body.access_token);
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toEqual({
      active: true,
      user: {
        id: w.alice.id,
        username: 'alice',
        name: 'Alice Adams',
        profile_url: 'http://hub.test/u/alice',
      },
      scopes: expect.arrayContaining(['openid', 'profile', 'email', 'notifications']),
      app: { client_id: w.client.id, name: 'MOOC' },
    });
    const authorized = await events('app.authorized');
    expect(authorized.at(-1)).toMatchObject({
      app_id: w.client.id,
      user: {
        id: w.alice.id,
        username: 'alice',
        email: 'alice@example.org',
        profile_url: 'http://hub.test/u/alice',
      },
      scopes: expect.arrayContaining(['notifications']),
    });
  });

  it('remembers consent per app: a later sign-in, even from a new browser, skips the consent page', async () => {
    await w.userToken('bob', 'openid notifications');
    const again = await w.signIn('bob');
    const { res, left } = await w.authorize(again, pkcePair().challenge, 'openid notifications');
    expect(res.statusCode).toBe(303);
    expect(left?.searchParams.get('code')).toBeTruthy();
  });

  it('asks a person who signed out of the hub to sign in again, even with consent remembered', async () => {
    const browser = await w.signIn('alice');
    const { verifier, challenge } = pkcePair();
    expect((await w.exchange(await w.codeFor(browser, challenge, 'openid'), verifier)).statusCode).toBe(200);
    browser.cookies.delete('lh_session');
    const { res, left } = await w.authorize(browser, pkcePair().challenge, 'openid');
    expect(left).toBeUndefined();
    expect(res.statusCode).toBe(200);
    expect(formOf(res.body, '/login').hidden.return_to).toMatch(/^\/interaction\//);
    const silent = await w.authorize(browser, pkcePair().challenge, 'openid', { prompt: 'none' });
    expect(silent.left?.searchParams.get('error')).toBe('login_required');
  });

  it('acts for whoever is signed in to the hub, not for a provider session left by someone else', async () => {
    const browser = await w.signIn('alice');
    await w.userToken('alice');
    const aliceFirst = await w.authorize(browser, pkcePair().challenge, 'openid activities:publish');
    expect(aliceFirst.res.body).toContain('Signed in as Alice Adams');
    // Alice signs out of the hub (her provider cookie stays); Bob signs in on the same browser.
    browser.cookies.delete('lh_session');
    const bobIn = await browser.submit(
      '/login',
      { email: 'bob@example.org', password: 'correct horse battery' },
      '/login',
    );
    expect(bobIn.statusCode).toBe(303);
    const { res: switching } = await w.authorize(browser, pkcePair().challenge, 'openid activities:publish');
    // The provider first ends Alice's provider session with a self-submitting form (its inline script is
    // allowed by a hash it adds to our CSP); a browser submits it, so do we.
    expect(switching.body).toContain('/oidc/session/end/confirm');
    expect(String(switching.headers['content-security-policy'])).toMatch(/script-src[^;]*'sha256-/);
    const form = formOf(switching.body);
    const ended = await browser.post(new URL(form.action).pathname, form.hidden);
    const { res } = await follow(browser, String(ended.headers.location), REDIRECT);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Signed in as Bob Brown');
  });

  it('sends the person back with access_denied when they deny, and grants nothing', async () => {
    const carol = await (await import('../identity/index.ts')).createUser(t.deps, {
      username: 'carol',
      name: 'Carol',
      email: 'carol@example.org',
      password: 'correct horse battery',
      emailVerified: true,
    });
    const browser = await w.signIn('carol');
    const { res } = await w.authorize(browser, pkcePair().challenge, 'openid notifications');
    const back = await decideConsent(browser, res, 'deny', REDIRECT);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(await hasUserGrant(t.deps, w.client.id, carol.id, 'openid')).toBe(false);
  });

  it('lists the app under connections and disconnecting revokes its tokens', async () => {
    const { browser, body } = await w.userToken('alice', 'openid notifications');
    const page = await browser.get('/account/connections');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('MOOC');
    expect(page.body).toContain('send you notifications');

    const { formOf } = await import('../../../test/support/web.ts');
    const action = `/account/connections/${w.client.id}/revoke`;
    // Disconnecting asks first: the form that does it is on the confirmation page.
    const form = formOf((await browser.get(action)).body, action);
    const revoked = await browser.post(action, form.hidden);
    expect(revoked.statusCode).toBe(303);
    expect((await browser.get('/account/connections')).body).not.toContain(action);
    expect(await hasUserGrant(t.deps, w.client.id, w.alice.id, 'notifications')).toBe(false);
    expect((await w.verify('alice', body.access_token)).statusCode).toBe(401);
  });
});

describe('tokens as principals on native routes', () => {
  it('turns a client-credentials token into an app principal', async () => {
    const cc = await w.token({ grant_type: 'client_credentials', scope: 'notifications' });
    expect(cc.statusCode).toBe(200);
    const appToken = cc.json<{ access_token: string }>().access_token;
    const { body } = await w.userToken('bob', 'openid notifications');
    // /api/v1/auth/verify accepts app principals; the app's own bearer token authenticates it.
    const res = await w.verify('bob', body.access_token, `Bearer ${appToken}`);
    expect(res.statusCode).toBe(200);
  });

  it('turns a user token into an app_user principal (refused where only users and operators may go)', async () => {
    const { body } = await w.userToken('bob', 'openid notifications');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/apps',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'auth.wrong_principal' });
  });

  it('answers an unknown bearer token with 401 problem+json', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/apps',
      headers: { authorization: `Bearer ${'x'.repeat(43)}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'oauth.invalid_token' });
  });
});
