import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, formOf, linkIn, mailsTo } from '../../../test/support/web.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = 'a long enough pass phrase';

async function userCount(): Promise<number> {
  const result = await t.deps.pool.query<{ n: string }>('select count(*) as n from users');
  return Number(result.rows[0]?.n);
}

function signup(browser: Browser, fields: Partial<Record<string, string>>, page = '/signup') {
  return browser.submit(page, {
    name: 'Lin Learner',
    username: 'lin',
    email: 'lin@example.org',
    password: PASSWORD,
    ...fields,
  } as Record<string, string>);
}

describe('sign-up', () => {
  it('shows a labelled form with a CSRF field and the return path', async () => {
    const res = await new Browser(t.app).get('/signup?return_to=/oidc/interaction/xyz');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const name of ['name', 'username', 'email', 'password']) {
      expect(res.body).toContain(`<label for="field-${name}">`);
    }
    const form = formOf(res.body, '/signup');
    expect(form.hidden._csrf).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(form.hidden.return_to).toBe('/oidc/interaction/xyz');
  });

  it('creates the account, signs the person in, returns them, and mails a verification link', async () => {
    const browser = new Browser(t.app);
    const res = await signup(browser, {}, '/signup?return_to=/oidc/interaction/xyz');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/oidc/interaction/xyz');
    const account = await browser.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('lin@example.org');
    expect(account.body).toContain('not verified yet');

    await t.runJobs();
    const [mail] = await mailsTo(t.deps.pool, 'lin@example.org');
    expect(mail?.subject).toContain('Confirm your email');
    const link = linkIn(mail?.text ?? '', '/verify-email');
    const stored = await t.deps.pool.query<{ token_hash: string }>('select token_hash from email_tokens');
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(
      new URL(link, 'http://x').searchParams.get('token'),
    );

    const verified = await new Browser(t.app).get(link);
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toContain('is confirmed');
    expect((await browser.get('/account')).body).toContain('(verified)');

    const again = await new Browser(t.app).get(link);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This link does not work');
  });

  it('refuses a username or email that differs only in case, and creates nothing', async () => {
    const before = await userCount();
    const byName = await signup(new Browser(t.app), { username: 'LIN', email: 'new1@example.org' });
    expect(byName.statusCode).toBe(409);
    expect(byName.body).toContain('is already taken');
    expect(byName.body).toContain('aria-invalid="true"');
    const byEmail = await signup(new Browser(t.app), { username: 'lin2', email: 'LIN@Example.org' });
    expect(byEmail.statusCode).toBe(409);
    expect(byEmail.body).toContain('already belongs to an account');
    expect(await userCount()).toBe(before);
  });

  it.each([
    ['email', { email: 'not-an-email' }, 'is not a valid email address'],
    ['email', { email: 'a@b' }, 'is not a valid email address'],
    ['password', { password: 'short' }, 'at least 10 characters'],
    ['password', { password: 'password123' }, 'too easy to guess'],
    ['password', { password: 'aaaaaaaaaaaaaa' }, 'too easy to guess'],
    ['username', { username: 'no spaces please' }, 'must be 3–30'],
    ['username', { username: 'admin' }, 'is reserved'],
    ['name', { name: '   ' }, 'is required'],
  ])('rejects a bad %s inline (%o) and keeps the other values', async (field, fields, message) => {
    const before = await userCount();
    const res = await signup(new Browser(t.app), {
      username: 'fresh',
      email: 'fresh@example.org',
      ...fields,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(`id="field-${field}-error"`);
    expect(res.body).toContain(message);
    expect(res.body).not.toContain(PASSWORD);
    expect(await userCount()).toBe(before);
  });

  it('refuses a form without a CSRF token, or with a wrong one, with 403 and creates nothing', async () => {
    const before = await userCount();
    const browser = new Browser(t.app);
    await browser.get('/signup');
    const fields = { name: 'Eve', username: 'eve', email: 'eve@example.org', password: PASSWORD };
    const missing = await browser.post('/signup', fields);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ code: 'csrf.invalid' });
    const wrong = await browser.post('/signup', { ...fields, _csrf: 'A'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    // A token from another browser does not fit this browser's cookie.
    const other = formOf((await new Browser(t.app).get('/signup')).body).hidden._csrf ?? '';
    const foreign = await browser.post('/signup', { ...fields, _csrf: other });
    expect(foreign.statusCode).toBe(403);
    expect(await userCount()).toBe(before);
  });

  it('shows a browser an HTML page, not JSON, when its form is refused for CSRF', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/signup',
      headers: {
        accept: 'text/html,application/xhtml+xml',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'name=Eve&username=eve2&email=eve2%40example.org&password=whatever+it+takes',
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<code>csrf.invalid</code>');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    'evil.example',
  ])('never redirects off-site after sign-up (return_to %j)', async (returnTo) => {
    const n = await userCount();
    const res = await signup(new Browser(t.app), {
      username: `r${n}x`,
      email: `r${n}@example.org`,
      return_to: returnTo,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account');
  });
});
