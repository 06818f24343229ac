import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { oauthWorld, REDIRECT } from '../../../test/support/oidc.ts';
import { formOf } from '../../../test/support/web.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await oauthWorld(t);
});
afterAll(() => t.close());

const endSession = (redirect: string) =>
  `/oidc/session/end?${new URLSearchParams({ client_id: w.client.id, post_logout_redirect_uri: redirect, state: 's1' })}`;

describe('OpenID end-session (RP-initiated logout)', () => {
  it('asks on a hub page and returns to a registered URI', async () => {
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
