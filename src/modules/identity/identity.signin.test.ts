import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser } from '../../../test/support/web.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { createUser } from './index.ts';

const clock = new ManualClock('2026-03-01T10:00:00Z');
let t: TestApp;
const PASSWORD = 'a long enough pass phrase';
let ip = 0;
/** Each test signs in from its own address so the per-IP limit of one test does not touch another. */
const newBrowser = () => new Browser(t.app, `10.0.0.${++ip}`);

beforeAll(async () => {
  t = await buildTestApp({ clock });
  for (const name of ['sam', 'kim', 'lee', 'max']) {
    await createUser(t.deps, { username: name, name, email: `${name}@example.org`, password: PASSWORD });
  }
});
afterAll(async () => {
  await t.close();
});

function signIn(browser: Browser, email: string, password = PASSWORD, returnTo?: string) {
  return browser.submit(
    `/login${returnTo === undefined ? '' : `?return_to=${encodeURIComponent(returnTo)}`}`,
    {
      email,
      password,
    },
  );
}

describe('sign-in', () => {
  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await signIn(newBrowser(), 'nobody@example.org');
    const wrong = await signIn(newBrowser(), 'sam@example.org', 'not the password at all');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const message = (body: string) => /role="alert">([^<]*)</.exec(body)?.[1];
    expect(message(unknown.body)).toBe('The email or password is not right.');
    expect(message(wrong.body)).toBe(message(unknown.body));
    expect(unknown.cookies.find((c) => c.name === 'lh_session')).toBeUndefined();
  });

  it('signs in case-insensitively by email and keeps only a hash of the session token', async () => {
    const browser = newBrowser();
    const res = await signIn(browser, 'SAM@example.org');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const token = browser.cookies.get('lh_session') ?? '';
    expect(token.length).toBeGreaterThan(30);
    const rows = await t.deps.pool.query<{ token_hash: string }>('select token_hash from sessions');
    expect(rows.rows.map((r) => r.token_hash)).not.toContain(token);
    expect((await browser.get('/account')).statusCode).toBe(200);
  });

  it.each(['https://evil.example', '//evil.example', '/\\evil.example', '/%0a/x\n', 'http:/x'])(
    'ignores an off-site return_to %j and goes home',
    async (returnTo) => {
      const res = await signIn(newBrowser(), 'kim@example.org', PASSWORD, returnTo);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
    },
  );

  it('treats a tampered or unknown session cookie as signed out', async () => {
    const browser = newBrowser();
    await signIn(browser, 'kim@example.org');
    const token = browser.cookies.get('lh_session') ?? '';
    browser.cookies.set('lh_session', `${token.slice(0, -2)}xx`);
    const account = await browser.get('/account');
    expect(account.statusCode).toBe(303);
    expect(account.headers.location).toBe('/login?return_to=%2Faccount');
    const mail = await browser.get('/admin/mail');
    expect(mail.statusCode).toBe(401);
  });

  it('ends a session after 7 idle days and after 30 days in any case', async () => {
    const browser = newBrowser();
    await signIn(browser, 'lee@example.org');
    clock.advance(6 * 86_400_000);
    expect((await browser.get('/account')).statusCode).toBe(200);
    clock.advance(6 * 86_400_000);
    expect((await browser.get('/account')).statusCode).toBe(200);
    clock.advance(7 * 86_400_000 + 1000);
    expect((await browser.get('/account')).statusCode).toBe(303);

    const busy = newBrowser();
    await signIn(busy, 'lee@example.org');
    for (let day = 5; day <= 25; day += 5) {
      clock.advance(5 * 86_400_000);
      expect((await busy.get('/account')).statusCode).toBe(200);
    }
    clock.advance(5 * 86_400_000 + 1000);
    expect((await busy.get('/account')).statusCode).toBe(303);
  });

  it('signs out only with a CSRF token, and the old cookie then no longer works', async () => {
    const browser = newBrowser();
    await signIn(browser, 'kim@example.org');
    const token = browser.cookies.get('lh_session') ?? '';
    const forged = await browser.post('/logout', {});
    expect(forged.statusCode).toBe(403);
    expect((await browser.get('/account')).statusCode).toBe(200);

    const out = await browser.submit('/account', {}, '/logout');
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/');
    expect(browser.cookies.has('lh_session')).toBe(false);
    browser.cookies.set('lh_session', token);
    expect((await browser.get('/account')).statusCode).toBe(303);
  });

  it('refuses sign-in without a CSRF token and does not count it as an attempt', async () => {
    const browser = newBrowser();
    await browser.get('/login');
    const res = await browser.post('/login', { email: 'kim@example.org', password: PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'csrf.invalid' });
    expect(browser.cookies.has('lh_session')).toBe(false);
  });

  it('throttles an account after 5 failures, even with the right password, until the window passes', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await signIn(newBrowser(), 'max@example.org', `wrong password ${i}`)).statusCode).toBe(401);
    }
    const blocked = await signIn(newBrowser(), 'max@example.org');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(blocked.body).toContain('Too many failed sign-ins');
    // Unknown accounts are throttled the same way, so the limit reveals nothing either.
    for (let i = 0; i < 5; i++) await signIn(newBrowser(), 'ghost@example.org', 'whatever it is');
    expect((await signIn(newBrowser(), 'ghost@example.org', 'whatever it is')).statusCode).toBe(429);

    clock.advance(15 * 60_000 + 1000);
    expect((await signIn(newBrowser(), 'max@example.org')).statusCode).toBe(303);
  });

  it('throttles one IP address after 30 failures across accounts', async () => {
    const browser = newBrowser();
    for (let i = 0; i < 30; i++) {
      await signIn(browser, `probe${i}@example.org`, 'some guess here');
    }
    const blocked = await signIn(browser, 'sam@example.org');
    expect(blocked.statusCode).toBe(429);
    expect((await signIn(newBrowser(), 'sam@example.org')).statusCode).toBe(303);
  });
});

describe('housekeeping', () => {
  it('purges expired sessions and old sign-in failures, keeping live sessions', async () => {
    const { enqueue } = await import('../../jobs/enqueue.ts');
    const live = newBrowser();
    await signIn(live, 'sam@example.org');
    await signIn(newBrowser(), 'sam@example.org', 'a wrong guess here');
    clock.advance(16 * 60_000);
    await enqueue(t.deps.db, 'identity.purge_expired', {});
    await t.runJobs();
    const failures = await t.deps.pool.query<{ n: string }>('select count(*) as n from sign_in_failures');
    expect(Number(failures.rows[0]?.n)).toBe(0);
    expect((await live.get('/account')).statusCode).toBe(200);
    clock.advance(8 * 86_400_000);
    await enqueue(t.deps.db, 'identity.purge_expired', {});
    await t.runJobs();
    const sessions = await t.deps.pool.query<{ n: string }>('select count(*) as n from sessions');
    expect(Number(sessions.rows[0]?.n)).toBe(0);
  });
});
