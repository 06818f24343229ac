import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { confirmSignupLink, signupLinkFor } from '../../../test/support/signup.ts';
import { Browser, formOf, mailsTo } from '../../../test/support/web.ts';

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

function linkOf(text: string | undefined): string {
  const match = /https?:\/\/\S+\/signup\/confirm\?token=\S+/.exec(text ?? '');
  if (!match) throw new Error('no sign-up link');
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
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

  it('creates no account and no session until the mailed link is used; then signs in and returns', async () => {
    const before = await userCount();
    const browser = new Browser(t.app);
    const res = await signup(browser, {}, '/signup?return_to=/oidc/interaction/xyz');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your email');
    expect(res.cookies.find((c) => c.name === 'lh_session')).toBeUndefined();
    expect(await userCount()).toBe(before);
    expect((await browser.get('/account')).statusCode).toBe(303);
    // Nor can the password be used before the address is proven.
    const early = await new Browser(t.app).submit('/login', { email: 'lin@example.org', password: PASSWORD });
    expect(early.statusCode).toBe(401);

    const link = await signupLinkFor(t, 'lin@example.org');
    const [mail] = await mailsTo(t.deps.pool, 'lin@example.org');
    expect(mail?.subject).toContain('Finish creating your Learnhub account');
    const stored = await t.deps.pool.query<{ token_hash: string }>('select token_hash from signup_requests');
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(
      new URL(link, 'http://x').searchParams.get('token'),
    );
    // Opening the link (a mail scanner's GET) creates nothing; the button does.
    const finish = await browser.get(link);
    expect(finish.statusCode).toBe(200);
    expect(finish.body).toContain('Create my account');
    expect(await userCount()).toBe(before);

    const confirmed = await confirmSignupLink(browser, link);
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe('/oidc/interaction/xyz');
    expect(await userCount()).toBe(before + 1);
    const account = await browser.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('lin@example.org (verified)');
    const signedIn = await new Browser(t.app).submit('/login', {
      email: 'lin@example.org',
      password: PASSWORD,
    });
    expect(signedIn.statusCode).toBe(303);

    const spent = await new Browser(t.app).get(link);
    expect(spent.statusCode).toBe(400);
    expect(spent.body).toContain('This link does not work');
  });

  it('answers a known email exactly as an unknown one, and mails the owner instead of a link', async () => {
    const before = await userCount();
    const known = await signup(new Browser(t.app), { username: 'mallory', email: 'LIN@Example.org' });
    const unknown = await signup(new Browser(t.app), { username: 'mallory', email: 'LIN2@Example.org' });
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(known.statusCode);
    // The same page but for the address typed in it.
    expect(known.body.replace('LIN@Example.org', 'X')).toBe(unknown.body.replace('LIN2@Example.org', 'X'));
    expect(Object.keys(known.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
    expect(known.body).not.toContain('already belongs');

    await t.runJobs();
    const [notice] = (await mailsTo(t.deps.pool, 'lin@example.org')).filter((m) =>
      m.subject.startsWith('Someone tried'),
    );
    expect(notice?.text).toContain('already has an account');
    expect(notice?.text).toContain('/login');
    expect(notice?.text).toContain('/password/forgot');
    expect(notice?.text).not.toContain('/signup/confirm');
    expect(await signupLinkFor(t, 'LIN2@Example.org')).toContain('/signup/confirm?token=');
    expect(await userCount()).toBe(before);
  });

  it('refuses a taken username in any case, and a link whose address got an account meanwhile', async () => {
    const before = await userCount();
    const byName = await signup(new Browser(t.app), { username: 'LIN', email: 'new1@example.org' });
    expect(byName.statusCode).toBe(409);
    expect(byName.body).toContain('is already taken');
    expect(byName.body).toContain('aria-invalid="true"');
    // Two sign-ups for one new address: the first link used wins; the second says to sign in.
    await signup(new Browser(t.app), { username: 'twin1', email: 'twin@example.org' });
    await signup(new Browser(t.app), { username: 'twin2', email: 'twin@example.org' });
    await t.runJobs();
    const links = (await mailsTo(t.deps.pool, 'twin@example.org')).map((m) => m.text);
    expect(links).toHaveLength(2);
    const first = await confirmSignupLink(new Browser(t.app), linkOf(links[0]));
    expect(first.statusCode).toBe(303);
    const second = await confirmSignupLink(new Browser(t.app), linkOf(links[1]));
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('already has an account');
    expect(await userCount()).toBe(before + 1);
  });

  it('shows every wrong field at once, each next to its field, and keeps the values but the password', async () => {
    const before = await userCount();
    const res = await signup(new Browser(t.app), {
      name: ' ',
      username: 'no spaces please',
      email: 'not-an-email',
      password: 'short',
    });
    expect(res.statusCode).toBe(400);
    for (const field of ['name', 'username', 'email', 'password']) {
      expect(res.body).toContain(`id="field-${field}-error"`);
      expect(res.body).toContain(`href="#field-${field}"`);
    }
    expect(res.body).toContain('4 fields need your attention');
    expect(res.body).toContain('value="no spaces please"');
    expect(res.body).toContain('value="not-an-email"');
    expect(res.body).not.toContain('value="short"');
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
    const browser = new Browser(t.app);
    const res = await signup(browser, {
      username: `r${n}x`,
      email: `r${n}@example.org`,
      return_to: returnTo,
    });
    expect(res.statusCode).toBe(200);
    const confirmed = await confirmSignupLink(browser, await signupLinkFor(t, `r${n}@example.org`));
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe('/account');
  });
});
