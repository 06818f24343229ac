import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, formOf, linkIn, mailsTo } from '../../../test/support/web.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { createUser } from './index.ts';

const clock = new ManualClock('2026-04-01T09:00:00Z');
let t: TestApp;
const PASSWORD = 'a long enough pass phrase';
const NEW_PASSWORD = 'another quite long phrase';

beforeAll(async () => {
  t = await buildTestApp({ clock });
});
afterAll(async () => {
  await t.close();
});

let n = 0;
async function signedInUser(options: { admin?: boolean } = {}) {
  const username = `user${++n}`;
  const email = `${username}@example.org`;
  await createUser(t.deps, {
    username,
    name: `User ${n}`,
    email,
    password: PASSWORD,
    emailVerified: true,
    ...options,
  });
  const browser = new Browser(t.app, `10.1.0.${n}`);
  const res = await browser.submit('/login', { email, password: PASSWORD });
  expect(res.statusCode).toBe(303);
  return { browser, email, username };
}

async function resetLink(email: string): Promise<string> {
  await new Browser(t.app).submit('/password/forgot', { email });
  await t.runJobs();
  const mails = await mailsTo(t.deps.pool, email);
  return linkIn(mails.at(-1)?.text ?? '', '/password/reset');
}

async function passwordHash(email: string): Promise<string | undefined> {
  const result = await t.deps.pool.query<{ password_hash: string }>(
    'select password_hash from users where email = $1',
    [email],
  );
  return result.rows[0]?.password_hash;
}

describe('password reset', () => {
  it('answers the same for an unknown address and sends nothing', async () => {
    const { email } = await signedInUser();
    const known = await new Browser(t.app).submit('/password/forgot', { email });
    const unknown = await new Browser(t.app).submit('/password/forgot', { email: 'nobody@example.org' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const notice = (body: string) => /role="status">([^<]*)</.exec(body)?.[1];
    expect(notice(known.body)).toBe(notice(unknown.body));
    await t.runJobs();
    expect(await mailsTo(t.deps.pool, 'nobody@example.org')).toEqual([]);
  });

  it('sets a new password once, signs the account out everywhere, and the link cannot be reused', async () => {
    const { browser, email } = await signedInUser();
    const link = await resetLink(email);
    expect(await passwordHash(email)).toMatch(/^scrypt\$32768\$8\$1\$/);
    const reset = await new Browser(t.app).submit(link, { password: NEW_PASSWORD });
    expect(reset.statusCode).toBe(200);
    expect(reset.body).toContain('Your new password is set');
    expect((await browser.get('/account')).statusCode).toBe(303);
    expect(
      (await new Browser(t.app, '10.9.0.1').submit('/login', { email, password: NEW_PASSWORD })).statusCode,
    ).toBe(303);
    expect(
      (await new Browser(t.app, '10.9.0.2').submit('/login', { email, password: PASSWORD })).statusCode,
    ).toBe(401);

    const reused = await new Browser(t.app).get(link);
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain('expired or has been used already');
  });

  it('refuses a weak new password without spending the link', async () => {
    const { email } = await signedInUser();
    const link = await resetLink(email);
    const before = await passwordHash(email);
    const weak = await new Browser(t.app).submit(link, { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('at least 10 characters');
    expect(await passwordHash(email)).toBe(before);
    expect((await new Browser(t.app).submit(link, { password: NEW_PASSWORD })).statusCode).toBe(200);
  });

  it('refuses an expired link and changes nothing', async () => {
    const { email } = await signedInUser();
    const link = await resetLink(email);
    const before = await passwordHash(email);
    const browser = new Browser(t.app);
    const page = await browser.get(link);
    expect(page.statusCode).toBe(200);
    clock.advance(61 * 60_000);
    const late = await browser.post('/password/reset', {
      ...formOf(page.body).hidden,
      password: NEW_PASSWORD,
    });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('expired');
    expect(await passwordHash(email)).toBe(before);
  });

  it('refuses the reset form without a CSRF token', async () => {
    const { email } = await signedInUser();
    const link = await resetLink(email);
    const token = new URL(link, 'http://x').searchParams.get('token') ?? '';
    const browser = new Browser(t.app);
    await browser.get(link);
    const res = await browser.post('/password/reset', { token, password: NEW_PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(await passwordHash(email)).not.toBe(undefined);
    expect((await new Browser(t.app).submit(link, { password: NEW_PASSWORD })).statusCode).toBe(200);
  });
});

describe('account changes', () => {
  it('changes the email, asks to verify the new one, and tells the old address', async () => {
    const { browser, email, username } = await signedInUser();
    const res = await browser.submit(
      '/account',
      { email: `${username}@new.example`, current_password: PASSWORD },
      '/account/email',
    );
    expect(res.statusCode).toBe(303);
    const page = await browser.get(res.headers.location ?? '');
    expect(page.body).toContain(`${username}@new.example (not verified yet)`);
    const ids = [...page.body.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    await t.runJobs();
    expect((await mailsTo(t.deps.pool, email)).at(-1)?.text).toContain(`now ${username}@new.example`);
    const [verify] = await mailsTo(t.deps.pool, `${username}@new.example`);
    expect((await browser.get(linkIn(verify?.text ?? '', '/verify-email'))).statusCode).toBe(200);
    expect((await browser.get('/account')).body).toContain('(verified)');
  });

  it('refuses an email change with a wrong password, a taken address or an invalid one', async () => {
    const { browser, email } = await signedInUser();
    const other = await signedInUser();
    const wrong = await browser.submit(
      '/account',
      { email: 'x1@example.org', current_password: 'not my password!' },
      '/account/email',
    );
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('is not your current password');
    expect(wrong.body).toContain('id="field-email-current_password-error"');
    const taken = await browser.submit(
      '/account',
      { email: other.email.toUpperCase(), current_password: PASSWORD },
      '/account/email',
    );
    expect(taken.statusCode).toBe(409);
    const invalid = await browser.submit(
      '/account',
      { email: 'nope', current_password: PASSWORD },
      '/account/email',
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('is not a valid email address');
    expect((await browser.get('/account')).body).toContain(`${email} (verified)`);
  });

  it('changes the password and signs out the other sessions but not this one', async () => {
    const { browser, email } = await signedInUser();
    const elsewhere = new Browser(t.app, '10.2.0.1');
    await elsewhere.submit('/login', { email, password: PASSWORD });
    expect((await elsewhere.get('/account')).statusCode).toBe(200);
    const weak = await browser.submit(
      '/account',
      { current_password: PASSWORD, new_password: 'tiny' },
      '/account/password',
    );
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('id="field-new_password-error"');
    const res = await browser.submit(
      '/account',
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      '/account/password',
    );
    expect(res.statusCode).toBe(303);
    expect((await browser.get(res.headers.location ?? '')).body).toContain('Your password was changed');
    expect((await elsewhere.get('/account')).statusCode).toBe(303);
  });

  it('refuses account changes without a CSRF token and changes nothing', async () => {
    const { browser, email } = await signedInUser();
    await browser.get('/account');
    const res = await browser.post('/account/email', {
      email: 'hijack@example.org',
      current_password: PASSWORD,
    });
    expect(res.statusCode).toBe(403);
    expect((await browser.get('/account')).body).toContain(email);
  });

  it('sends a signed-out visitor to the sign-in page and back', async () => {
    const res = await new Browser(t.app).get('/account');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?return_to=%2Faccount');
  });
});

describe('hub administrators', () => {
  it('lets an admin user see the outbox page and refuses other users', async () => {
    const admin = await signedInUser({ admin: true });
    expect((await admin.browser.get('/admin/mail')).statusCode).toBe(200);
    expect((await admin.browser.get('/account')).body).toContain('href="/admin/mail"');
    const user = await signedInUser();
    expect((await user.browser.get('/admin/mail')).statusCode).toBe(403);
  });
});
