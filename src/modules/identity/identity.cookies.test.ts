import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, formOf } from '../../../test/support/web.ts';
import { createUser } from './index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ env: { PUBLIC_URL: 'https://hub.example' } });
  await createUser(t.deps, {
    username: 'tls',
    name: 'T',
    email: 'tls@example.org',
    password: 'secure pass phrase',
  });
});
afterAll(async () => {
  await t.close();
});

describe('cookies on an https hub', () => {
  it('marks the CSRF and session cookies Secure, HttpOnly and SameSite=Lax', async () => {
    const browser = new Browser(t.app);
    const page = await browser.get('/login');
    const csrf = page.cookies.find((c) => c.name === 'lh_csrf');
    expect(csrf).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    const res = await browser.post('/login', {
      ...formOf(page.body).hidden,
      email: 'tls@example.org',
      password: 'secure pass phrase',
    });
    expect(res.statusCode).toBe(303);
    const session = res.cookies.find((c) => c.name === 'lh_session');
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session?.maxAge).toBe(30 * 86_400);
  });

  it('reuses one CSRF cookie for every form a browser loads', async () => {
    const browser = new Browser(t.app);
    const first = formOf((await browser.get('/login')).body).hidden._csrf;
    const second = await browser.get('/signup');
    expect(second.cookies.find((c) => c.name === 'lh_csrf')).toBeUndefined();
    expect(formOf(second.body).hidden._csrf).toBe(first);
  });
});
