import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, formOf } from '../../../test/support/web.ts';
import { type Course, createCourse, joinCourse } from '../courses/index.ts';
import { createUser, type User } from '../identity/index.ts';

// The organiser's announcement pages: only the course's organisers (or a hub admin) may use them; the form
// keeps its values and shows errors next to the fields; sending leads to a progress page with counts.
const PASSWORD = 'correct horse battery staple';
let t: TestApp;
let course: Course;
let organiser: User;
let learners: User[];
let base: string;

async function user(username: string, admin = false) {
  return createUser(t.deps, {
    username,
    name: `${username} Person`,
    email: `${username}@example.org`,
    password: PASSWORD,
    emailVerified: true,
    admin,
  });
}

async function signIn(u: User) {
  const browser = new Browser(t.app);
  const res = await browser.submit('/login', { email: u.email, password: PASSWORD });
  expect([302, 303]).toContain(res.statusCode);
  return browser;
}

async function announcementCount() {
  const res = await t.deps.pool.query<{ n: number }>(
    'select count(*)::int as n from announcements where course_id = $1',
    [course.id],
  );
  return res.rows[0]?.n ?? 0;
}

beforeAll(async () => {
  t = await buildTestApp({ logLevel: 'error' });
  organiser = await user('olga');
  course = await createCourse(
    t.deps,
    { kind: 'user', userId: organiser.id, admin: false },
    {
      title: 'Sketching the street',
      shortcode: 'SKETCH',
    },
  );
  learners = [await user('lena'), await user('leo')];
  for (const l of learners)
    await joinCourse(t.deps, { kind: 'user', userId: l.id, admin: false }, course, {});
  base = '/courses/SKETCH/announcements';
});
afterAll(async () => {
  await t.close();
});

describe('who may use the announcement pages', () => {
  it('sends a visitor to sign in and back to the page', async () => {
    const res = await new Browser(t.app).get(`${base}/new`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/login?return_to=${encodeURIComponent(`${base}/new`)}`);
  });

  it('refuses another learner with 403 (an HTML page for a browser), and their post changes nothing', async () => {
    const lena = await signIn(learners[0] as User);
    const page = await t.app.inject({
      url: `${base}/new`,
      headers: { cookie: lena.cookieHeader(), accept: 'text/html' },
    });
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toContain('text/html');
    expect((await lena.get(base)).statusCode).toBe(403);
    const post = await lena.post(`${base}/new`, {
      subject: 'Hi',
      body: 'Sneaky',
      action: 'send',
      when: 'now',
    });
    expect(post.statusCode).toBe(403);
    expect(await announcementCount()).toBe(0);
  });

  it('lets a hub admin in, and sends an old course link to the readable URL', async () => {
    const admin = await signIn(await user('hubadmin', true));
    expect((await admin.get(`${base}/new`)).statusCode).toBe(200);
    const old = await admin.get(`/courses/${course.path}/announcements/new`);
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`${base}/new`);
  });
});

describe('writing an announcement', () => {
  it('previews the Markdown with the mail subject and keeps what was written', async () => {
    const olga = await signIn(organiser);
    const res = await olga.submit(`${base}/new`, {
      subject: 'Week 3',
      body: 'Meet at **noon**.',
      when: 'now',
      action: 'preview',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('[Sketching the street] Week 3');
    expect(res.body).toContain('<strong>noon</strong>');
    expect(res.body).toContain('value="Week 3"');
    expect(res.body).toContain('Meet at **noon**.</textarea>');
    expect(await announcementCount()).toBe(0);
  });

  it('refuses an empty body and a schedule in the past next to their fields, keeping the values', async () => {
    const olga = await signIn(organiser);
    const empty = await olga.submit(`${base}/new`, {
      subject: 'Week 3',
      body: '  ',
      when: 'now',
      action: 'send',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('id="body-error"');
    expect(empty.body).toContain('value="Week 3"');
    const past = await olga.submit(`${base}/new`, {
      subject: 'Week 3',
      body: 'Hello',
      when: 'later',
      send_at: '2020-01-01T10:00',
      action: 'send',
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('id="send_at-error"');
    expect(past.body).toContain('must be in the future');
    expect(past.body).toContain('value="2020-01-01T10:00"');
    const noSubject = await olga.submit(`${base}/new`, {
      subject: '',
      body: 'Hello',
      when: 'now',
      action: 'send',
    });
    expect(noSubject.statusCode).toBe(400);
    expect(noSubject.body).toContain('id="subject-error"');
    expect(await announcementCount()).toBe(0);
  });

  it('refuses a form without its CSRF token with 403 on the form, sending nothing', async () => {
    const olga = await signIn(organiser);
    const res = await olga.post(`${base}/new`, {
      subject: 'Week 3',
      body: 'Hello',
      when: 'now',
      action: 'send',
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('The form was out of date');
    expect(await announcementCount()).toBe(0);
  });

  it('sends now, once even if the form is posted twice, and shows delivery progress until done', async () => {
    const olga = await signIn(organiser);
    const form = formOf((await olga.get(`${base}/new`)).body, `${base}/new`);
    const fields = {
      ...form.hidden,
      subject: 'Week 3',
      body: 'Meet at **noon**.',
      when: 'now',
      action: 'send',
    };
    const sent = await olga.post(form.action, fields);
    expect(sent.statusCode).toBe(303);
    const again = await olga.post(form.action, fields);
    expect(again.headers.location).toBe(sent.headers.location);
    expect(await announcementCount()).toBe(1);
    const location = String(sent.headers.location);
    expect(location).toMatch(new RegExp(`^${base}/[0-9a-f-]{36}\\?sent=1$`));
    const queued = await olga.get(location);
    expect(queued.statusCode).toBe(200);
    expect(queued.headers.refresh).toBe('10');
    expect(queued.body).toContain('Accepted: sending has started.');
    await t.runJobs();
    const done = await olga.get(location.replace('?sent=1', ''));
    expect(done.headers.refresh).toBeUndefined();
    expect(done.body).toContain('Finished');
    expect(done.body).toMatch(/<strong>2<\/strong> recipients/);
    expect(done.body).toMatch(/<strong>2<\/strong> emailed/);
    const list = await olga.get(base);
    expect(list.body).toContain('[Sketching the street] Week 3');
    expect(list.body).toContain('2 of 2');
  });

  it('schedules for later: nothing goes out before the time, and the page says when', async () => {
    const olga = await signIn(organiser);
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 16);
    const res = await olga.submit(`${base}/new`, {
      subject: 'Week 4',
      body: 'Later',
      when: 'later',
      send_at: at,
      action: 'send',
    });
    expect(res.statusCode).toBe(303);
    await t.runJobs();
    const page = await olga.get(String(res.headers.location));
    expect(page.body).toContain(`Scheduled for ${at.replace('T', ' ')} UTC.`);
    expect(page.body).toMatch(/<strong>0<\/strong> recipients/);
    const row = await t.deps.pool.query<{ scheduled_for: Date; status: string }>(
      `select scheduled_for, status from announcements where subject like '%Week 4'`,
    );
    expect(row.rows[0]?.status).toBe('pending');
    expect(row.rows[0]?.scheduled_for.toISOString().slice(0, 16)).toBe(at);
    const cancel = formOf(page.body, `${String(res.headers.location).replace('?sent=1', '')}/cancel`);
    const cancelled = await olga.post(cancel.action, cancel.hidden);
    expect(cancelled.statusCode).toBe(303);
    expect((await olga.get(String(cancelled.headers.location))).body).toContain('Cancelled');
  });
});
