import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createUser } from '../identity/index.ts';
import { RECUR } from './index.ts';
import { messagingWorld } from './messaging.testing.ts';

// Course announcements: fan-out through keyset pages, idempotency, progress, cancellation, recurrence.
const offset = { ms: 0 };
const clock = { now: () => new Date(Date.now() + offset.ms) };
let t: TestApp;
let w: Awaited<ReturnType<typeof messagingWorld>>;
let courseId: string;

async function join(username: string) {
  const browser = await w.signIn(username);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/courses/${courseId}/members`,
    headers: { cookie: browser.cookieHeader() },
    payload: {},
  });
  expect([200, 201]).toContain(res.statusCode);
}

beforeAll(async () => {
  t = await buildTestApp({ clock });
  w = await messagingWorld(t);
  await createUser(t.deps, {
    username: 'carol',
    name: 'Carol',
    email: 'carol@example.org',
    password: 'correct horse battery',
    emailVerified: true,
  });
  const course = await t.app.inject({
    method: 'POST',
    url: '/api/v1/courses',
    headers: { authorization: w.appAuth },
    payload: { title: 'SOGTA' },
  });
  expect(course.statusCode).toBe(201);
  courseId = course.json<{ id: string }>().id;
  for (const name of ['alice', 'bob', 'carol']) await join(name);
});
afterAll(async () => {
  await t.close();
});

function post(payload: object, key: string | undefined, authorization = w.appAuth) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/courses/${courseId}/announcements`,
    headers: { authorization, ...(key ? { 'idempotency-key': key } : {}) },
    payload,
  });
}

async function mailedTo(subject: string): Promise<string[]> {
  const { rows } = await t.deps.pool.query<{ to: string[] }>('select "to" from outbox where subject = $1', [
    subject,
  ]);
  return rows.flatMap((r) => r.to).sort();
}

describe('course announcements', () => {
  it('mails every active member exactly once, even when the same request is retried', async () => {
    const first = await post({ subject: 'This week in SOGTA', content: 'Chapter 3' }, 'week-1');
    expect(first.statusCode).toBe(201);
    const again = await post({ subject: 'This week in SOGTA', content: 'Chapter 3' }, 'week-1');
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    await t.runJobs();
    // A re-run of the expansion (a crash and retry) adds nobody.
    await t.deps.pool.query(
      `select graphile_worker.add_job('messaging.announcement_expand', json_build_object('announcement_id', $1::text))`,
      [first.json().id],
    );
    await t.runJobs();
    // So does a send batch run again after it already went out: nothing is handed to the mailer again.
    const sentAt = async () =>
      (
        await t.deps.pool.query<{ at: Date }>(
          'select max(emailed_at) as at from messages where announcement_id = $1',
          [first.json().id],
        )
      ).rows[0]?.at;
    const before = await sentAt();
    expect(before).toBeInstanceOf(Date);
    await t.deps.pool.query(
      `select graphile_worker.add_job('messaging.email_batch',
         json_build_object('message_ids', (select json_agg(id) from messages where announcement_id = $1::uuid)))`,
      [first.json().id],
    );
    await t.runJobs();
    expect(await sentAt()).toEqual(before);
    expect(await mailedTo('[MOOC] This week in SOGTA')).toEqual([
      'alice@example.org',
      'bob@example.org',
      'carol@example.org',
    ]);
    const progress = await t.app.inject({
      url: `/api/v1/courses/${courseId}/announcements/${first.json().id}`,
      headers: { authorization: w.appAuth },
    });
    expect(progress.json()).toMatchObject({ status: 'done', recipients: 3, sent: 3, pending: 0 });
  });

  it('needs an Idempotency-Key', async () => {
    const res = await post({ subject: 'x', content: 'y' }, undefined);
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('Idempotency-Key');
  });

  it('refuses a member who is not a course admin', async () => {
    const browser = await w.signIn('bob');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/courses/${courseId}/announcements`,
      headers: { cookie: browser.cookieHeader(), 'idempotency-key': 'bob-1' },
      payload: { subject: 'Spam', content: 'Buy now' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('messaging.not_course_admin');
  });

  it('answers 404 for an unknown course', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses/00000000-0000-4000-8000-000000000000/announcements',
      headers: { authorization: w.appAuth, 'idempotency-key': 'k' },
      payload: { subject: 'x', content: 'y' },
    });
    expect(res.statusCode).toBe(404);
  });

  it('sends nothing more once cancelled', async () => {
    const created = await post({ subject: 'Cancelled news', content: 'z' }, 'cancel-1');
    const id = created.json().id;
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/courses/${courseId}/announcements/${id}/cancel`,
      headers: { authorization: w.appAuth },
    });
    expect(cancelled.json().status).toBe('cancelled');
    await t.runJobs();
    expect(await mailedTo('[MOOC] Cancelled news')).toEqual([]);
  });

  it('repeats a weekly announcement a week later', async () => {
    const created = await post(
      { subject: 'Weekly digest of SOGTA', content: 'w', recurrence: 'weekly' },
      'weekly-1',
    );
    expect(created.json().recurrence).toBe('weekly');
    await t.runJobs();
    expect(await mailedTo('[MOOC] Weekly digest of SOGTA')).toHaveLength(3);
    await t.deps.pool.query('select graphile_worker.add_job($1)', [RECUR]);
    await t.runJobs();
    expect(await mailedTo('[MOOC] Weekly digest of SOGTA')).toHaveLength(3);
    offset.ms = 7 * 86_400_000;
    try {
      await t.deps.pool.query('select graphile_worker.add_job($1)', [RECUR]);
      await t.runJobs();
      expect(await mailedTo('[MOOC] Weekly digest of SOGTA')).toHaveLength(6);
    } finally {
      offset.ms = 0;
    }
  });
});
