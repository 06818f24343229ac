import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { oauthWorld, PASSWORD, pkcePair, REDIRECT } from '../../../test/support/oidc.ts';
import { formOf } from '../../../test/support/web.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await oauthWorld(t);
});
afterAll(() => t.close());

async function countSessions(userId: string): Promise<number> {
  const { rows } = await t.deps.pool.query<{ n: string }>(
    'select count(*) as n from sessions where user_id = $1',
    [userId],
  );
  return Number(rows[0]?.n ?? 0);
}

const endSession = (redirect: string) =>
  `/oidc/session/end?${new URLSearchParams({ client_id: w.client.id, post_logout_redirect_uri: redirect, state: 's1' })}`;

describe('OpenID end-session (RP-initiated logout)', () => {
  it('asks on a hub page, signs the person out of the hub too, and returns to a registered URI', async () => {
    const { browser } = await w.userToken('alice');
    expect((await browser.get('/account')).statusCode).toBe(200);
    const page = await browser.get(endSession(REDIRECT));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sign out of Learnhub?');
    expect(page.body).not.toContain('fonts.googleapis');
    expect(page.body).toMatch(/<link[^>]+stylesheet/);
    const form = formOf(page.body, '/oidc/session/end/confirm');
    const done = await browser.post(form.action, { ...form.hidden, logout: 'yes' });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`${REDIRECT}?state=s1`);
    // The hub's own session is gone: its pages ask for sign-in again.
    const account = await browser.get('/account');
    expect(account.statusCode).toBe(303);
    expect(String(account.headers.location)).toContain('/login');
  });

  it('signs the hub out for an openid-client style request (id_token_hint, post_logout_redirect_uri, state)', async () => {
    const browser = await w.signIn('alice');
    const { verifier, challenge } = pkcePair();
    const tokens = await w.exchange(await w.codeFor(browser, challenge, 'openid'), verifier);
    const idToken = tokens.json<{ id_token: string }>().id_token;
    // What openid-client's buildEndSessionUrl sends: no client_id, the id token as the hint.
    const url = `/oidc/session/end?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: REDIRECT, state: 'rp-9' })}`;
    const page = await browser.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('MOOC asked to sign you out');
    const form = formOf(page.body, '/oidc/session/end/confirm');
    const done = await browser.post(form.action, { ...form.hidden, logout: 'yes' });
    expect(done.headers.location).toBe(`${REDIRECT}?state=rp-9`);
    expect((await browser.get('/account')).statusCode).toBe(303);
    // The stored hub session is deleted, not only the cookie: replaying the old cookie signs nobody in.
    expect(await countSessions(w.alice.id)).toBe(0);
  });

  it('an account switch ends the previous provider session but never signs the new person out', async () => {
    const browser = await w.signIn('alice');
    await w.codeFor(browser, pkcePair().challenge, 'openid');
    // Alice leaves the hub (her provider cookie stays); Bob signs in on the same browser and uses the app.
    browser.cookies.delete('lh_session');
    await browser.submit('/login', { email: 'bob@example.org', password: PASSWORD }, '/login');
    const { res: switching } = await w.authorize(browser, pkcePair().challenge, 'openid');
    const form = formOf(switching.body);
    expect(new URL(form.action).pathname).toBe('/oidc/session/end/confirm');
    expect(form.hidden.logout).toBe('yes');
    const ended = await browser.post(new URL(form.action).pathname, form.hidden);
    expect(ended.statusCode).toBe(303);
    const account = await browser.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Bob Brown');
    expect(await countSessions(w.bob.id)).toBeGreaterThan(0);
  });

  it('a person who looked at the sign-out page and then switched account stays signed in as the new person', async () => {
    const browser = await w.signIn('alice');
    await w.codeFor(browser, pkcePair().challenge, 'openid');
    // Alice opens the hub's sign-out page but walks away without answering.
    expect((await browser.get('/oidc/session/end')).body).toContain('Sign out of Learnhub?');
    browser.cookies.delete('lh_session');
    await browser.submit('/login', { email: 'bob@example.org', password: PASSWORD }, '/login');
    const { res: switching } = await w.authorize(browser, pkcePair().challenge, 'openid');
    const form = formOf(switching.body);
    expect(new URL(form.action).pathname).toBe('/oidc/session/end/confirm');
    await browser.post(new URL(form.action).pathname, form.hidden);
    expect((await browser.get('/account')).statusCode).toBe(200);
  });

  it('refuses a post_logout_redirect_uri the app did not register, on an error page', async () => {
    const browser = await w.signIn('alice');
    const page = await browser.get(endSession('https://evil.example/after'));
    expect(page.statusCode).toBe(400);
    expect(page.headers.location).toBeUndefined();
    expect(page.body).toContain('post_logout_redirect_uri');
    expect((await browser.get('/account')).statusCode).toBe(200);
  });

  it('keeps the person signed in when they choose to stay', async () => {
    const { browser } = await w.userToken('bob');
    const page = await browser.get('/oidc/session/end');
    const form = formOf(page.body, '/oidc/session/end/confirm');
    const done = await browser.post(form.action, form.hidden);
    expect(done.statusCode).toBe(303);
    expect((await browser.get('/account')).statusCode).toBe(200);
    const success = await browser.get(String(done.headers.location).replace(/^https?:\/\/[^/]+/, ''));
    expect(success.body).toContain('signed out');
  });
});
