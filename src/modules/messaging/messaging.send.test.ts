import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser } from '../../../test/support/web.ts';
import { DIGEST_DAILY } from './index.ts';
import { messagingWorld } from './messaging.testing.ts';

// Sending, the inbox and preferences through the API and pages, with mail in the outbox table.
let t: TestApp;
let w: Awaited<ReturnType<typeof messagingWorld>>;

beforeAll(async () => {
  t = await buildTestApp({ env: { INBOUND_EMAIL_SECRET: 'inbound-secret-inbound-secret-0123' } });
  w = await messagingWorld(t);
});
afterAll(async () => {
  await t.close();
});

function api(browser: Browser, method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({
    method,
    url,
    headers: { cookie: browser.cookieHeader() },
    ...(payload ? { payload } : {}),
  });
}

async function mailTo(address: string) {
  const { rows } = await t.deps.pool.query<{
    subject: string;
    text: string;
    html: string;
    headers: Record<string, string>;
  }>('select subject, text, html, headers from outbox where $1 = any("to") order by created_at, id', [
    address,
  ]);
  return rows;
}

async function emailStatus(id: string): Promise<string | undefined> {
  const { rows } = await t.deps.pool.query<{ email_status: string }>(
    'select email_status from messages where id = $1',
    [id],
  );
  return rows[0]?.email_status;
}

async function sendToAlice(subject: string, extra: Record<string, unknown> = {}) {
  const res = await w.send({ user_profile: 'http://hub.test/u/alice', subject, content: 'Hello', ...extra });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

async function setPreference(browser: Browser, scope: string, delivery: string) {
  const res = await api(browser, 'PUT', '/api/v1/me/notification-preferences', { scope, delivery });
  expect(res.statusCode).toBe(200);
}

describe('POST /api/v1/messages', () => {
  it('puts the message in the inbox and mails it at once with the [App] subject', async () => {
    const id = await sendToAlice('Welcome to SOGTA', { content: 'We are glad that you joined SOGTA' });
    await t.runJobs();
    const mails = (await mailTo('alice@example.org')).filter((m) => m.subject === '[MOOC] Welcome to SOGTA');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('We are glad that you joined SOGTA');
    expect(await emailStatus(id)).toBe('sent');
    const browser = await w.signIn('alice');
    const inbox = await browser.get('/api/v1/me/messages?unread=true');
    expect(inbox.json().data.map((m: { id: string }) => m.id)).toContain(id);
  });

  it('refuses an app the person has not granted notifications, with a code that says so', async () => {
    const res = await w.send({ user_profile: 'http://hub.test/u/bob', subject: 'Hi', content: 'Hello' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('messaging.no_notifications_grant');
  });

  it('answers 404 for an unknown recipient', async () => {
    const res = await w.send({ user_profile: 'http://hub.test/u/nobody', subject: 'Hi', content: 'Hello' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('messaging.recipient_not_found');
  });

  it('refuses oversize content and changes nothing', async () => {
    const before = await t.deps.pool.query('select count(*)::int as n from messages');
    const res = await w.send({ user_profile: w.alice.id, subject: 'Big', content: 'x'.repeat(50_001) });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('messaging.content_too_large');
    const after = await t.deps.pool.query('select count(*)::int as n from messages');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('refuses a request without credentials and a signed-in person', async () => {
    expect((await w.send({ user_profile: w.alice.id, subject: 'a', content: 'b' }, '')).statusCode).toBe(401);
    const browser = await w.signIn('alice');
    const res = await api(browser, 'POST', '/api/v1/messages', {
      user_profile: w.alice.id,
      subject: 'a',
      content: 'b',
    });
    expect(res.statusCode).toBe(403);
  });

  it('lets an operator send as the hub itself, without an app prefix', async () => {
    const res = await w.send(
      { user_profile: 'alice', subject: 'Maintenance tonight', content: 'Down 22:00–23:00 UTC' },
      `Bearer ${w.operator}`,
    );
    expect(res.statusCode).toBe(201);
    await t.runJobs();
    const mail = (await mailTo('alice@example.org')).find((m) => m.subject === 'Maintenance tonight');
    expect(mail).toBeDefined();
  });

  it('pages the inbox with a cursor, newest first', async () => {
    for (const n of [1, 2, 3]) await sendToAlice(`Paged ${n}`);
    const browser = await w.signIn('alice');
    const first = (await browser.get('/api/v1/me/messages?limit=2')).json();
    expect(first.data.map((m: { subject: string }) => m.subject)).toEqual([
      '[MOOC] Paged 3',
      '[MOOC] Paged 2',
    ]);
    const second = (await browser.get(`/api/v1/me/messages?limit=2&cursor=${first.next_cursor}`)).json();
    expect(second.data[0].subject).toBe('[MOOC] Paged 1');
    expect((await browser.get('/api/v1/me/messages?cursor=nonsense')).statusCode).toBe(400);
  });

  it('renders Markdown to sanitised HTML', async () => {
    const content =
      '# Week 1\n\n**Read** [this](https://example.org) <script>alert(1)</script> [x](javascript:alert(1))';
    const id = await sendToAlice('Markdown', { content, format: 'markdown' });
    const browser = await w.signIn('alice');
    const message = (await browser.get(`/api/v1/me/messages/${id}`)).json<{ html: string }>();
    expect(message.html).toContain('<h1>Week 1</h1>');
    expect(message.html).toContain('<strong>Read</strong>');
    expect(message.html).toContain('href="https://example.org"');
    expect(message.html).not.toContain('<script>');
    expect(message.html).not.toContain('href="javascript:');
  });

  it('does not show one person’s message to another', async () => {
    const id = await sendToAlice('Private');
    const bob = await w.signIn('bob');
    expect((await bob.get(`/api/v1/me/messages/${id}`)).statusCode).toBe(404);
    expect((await api(bob, 'PATCH', `/api/v1/me/messages/${id}`, { read: true })).statusCode).toBe(404);
  });

  it('marks messages read and unread', async () => {
    const id = await sendToAlice('Read me');
    const browser = await w.signIn('alice');
    const read = await api(browser, 'PATCH', `/api/v1/me/messages/${id}`, { read: true });
    expect(read.json().read).toBe(true);
    const unread = await browser.get('/api/v1/me/messages?unread=true');
    expect(unread.json().data.map((m: { id: string }) => m.id)).not.toContain(id);
  });
});

describe('preferences decide what is mailed', () => {
  it('mails nothing for an app set to never, but keeps the message in the inbox', async () => {
    const browser = await w.signIn('alice');
    await setPreference(browser, `app:${w.client.id}`, 'never');
    const id = await sendToAlice('Muted one');
    await t.runJobs();
    expect(await emailStatus(id)).toBe('muted');
    expect((await mailTo('alice@example.org')).some((m) => m.subject.includes('Muted one'))).toBe(false);
    await api(browser, 'DELETE', `/api/v1/me/notification-preferences?scope=app:${w.client.id}`);
  });

  it('collects daily-digest messages into one mail sent by the digest job', async () => {
    const browser = await w.signIn('alice');
    await setPreference(browser, 'default', 'daily');
    const a = await sendToAlice('Digest A');
    const b = await sendToAlice('Digest B');
    await t.runJobs();
    expect(await emailStatus(a)).toBe('digest_daily');
    await t.deps.pool.query('select graphile_worker.add_job($1)', [DIGEST_DAILY]);
    await t.runJobs();
    const digests = (await mailTo('alice@example.org')).filter((m) =>
      m.subject.startsWith('Your daily Learnhub digest'),
    );
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toContain('[MOOC] Digest A');
    expect(digests[0]?.text).toContain('[MOOC] Digest B');
    expect(await emailStatus(b)).toBe('sent');
    await api(browser, 'DELETE', '/api/v1/me/notification-preferences?scope=default');
  });

  it('lets a course preference beat the app preference', async () => {
    const browser = await w.signIn('alice');
    const course = '0b0b0b0b-0000-4000-8000-000000000001';
    await setPreference(browser, `app:${w.client.id}`, 'never');
    await setPreference(browser, `course:${course}`, 'immediately');
    const id = await sendToAlice('Course news', { course_id: course });
    await t.runJobs();
    expect(await emailStatus(id)).toBe('sent');
    await api(browser, 'DELETE', `/api/v1/me/notification-preferences?scope=app:${w.client.id}`);
  });

  it('refuses an unknown scope or delivery, naming the field', async () => {
    const browser = await w.signIn('alice');
    const res = await api(browser, 'PUT', '/api/v1/me/notification-preferences', {
      scope: 'everything',
      delivery: 'never',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('scope');
  });

  it('honours RFC 8058 one-click unsubscribe at once, without cookies, and not on GET', async () => {
    await sendToAlice('Has an unsubscribe link');
    await t.runJobs();
    const mail = (await mailTo('alice@example.org')).find((m) =>
      m.subject.includes('Has an unsubscribe link'),
    );
    const link = /<(.+)>/.exec(mail?.headers['List-Unsubscribe'] ?? '')?.[1];
    expect(mail?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    if (!link) throw new Error('no List-Unsubscribe');
    const path = new URL(link).pathname;
    expect((await t.app.inject({ url: path })).statusCode).toBe(200);
    const kept = await sendToAlice('Still mailed after a GET');
    await t.runJobs();
    expect(await emailStatus(kept)).toBe('sent');
    const post = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(post.statusCode).toBe(200);
    const muted = await sendToAlice('After unsubscribing');
    await t.runJobs();
    expect(await emailStatus(muted)).toBe('muted');
    const tampered = await t.app.inject({
      method: 'POST',
      url: `${path.slice(0, -1)}${path.endsWith('A') ? 'B' : 'A'}`,
    });
    expect(tampered.statusCode).toBe(404);
  });
});

describe('an app without a reply URL', () => {
  it('keeps the reply and tells the person it could not be passed on', async () => {
    const res = await w.send({
      user_profile: w.alice.id,
      subject: 'No URL',
      content: 'Reply?',
      reply_enabled: true,
    });
    const { reply_token: token } = res.json<{ reply_token: string }>();
    const raw = `From: alice@example.org\r\nTo: reply+${token}@hub.test\r\nSubject: Re: No URL\r\nMessage-ID: <nourl@example.org>\r\n\r\nHere is my answer.\r\n`;
    const inbound = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound/email',
      headers: {
        authorization: 'Bearer inbound-secret-inbound-secret-0123',
        'content-type': 'message/rfc822',
      },
      payload: raw,
    });
    expect(inbound.json().status).toBe('accepted');
    await t.runJobs();
    const told = (await mailTo('alice@example.org')).find((m) =>
      m.subject.startsWith('Your reply could not be delivered'),
    );
    expect(told?.text).toContain('Here is my answer.');
    const browser = await w.signIn('alice');
    const page = await browser.get(`/inbox/${res.json().id}`);
    expect(page.body).toContain('Here is my answer.');
  });
});

describe('pages', () => {
  it('sends someone signed out from /inbox to sign in', async () => {
    const res = await new Browser(t.app).get('/inbox');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/login');
  });

  it('lists messages in /inbox and opens one, marking it read', async () => {
    const id = await sendToAlice('Shown on the page');
    const browser = await w.signIn('alice');
    const inbox = await browser.get('/inbox');
    expect(inbox.body).toContain('[MOOC] Shown on the page');
    const page = await browser.get(`/inbox/${id}`);
    expect(page.statusCode).toBe(200);
    expect((await browser.get(`/api/v1/me/messages/${id}`)).json().read).toBe(true);
  });

  it('saves preferences from /account/notifications', async () => {
    const browser = await w.signIn('alice');
    const page = await browser.get('/account/notifications');
    expect(page.body).toContain('App: MOOC');
    const res = await browser.submit(
      '/account/notifications',
      { [`pref:app:${w.client.id}`]: 'weekly' },
      '/account/notifications',
    );
    expect(res.statusCode).toBe(303);
    const prefs = (await browser.get('/api/v1/me/notification-preferences')).json().data;
    expect(prefs).toContainEqual({ scope: `app:${w.client.id}`, delivery: 'weekly' });
  });
});
