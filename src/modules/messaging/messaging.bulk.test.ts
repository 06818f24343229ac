import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../../../test/support/smtp-sink.ts';
import { createUser } from '../identity/index.ts';
import { messagingWorld } from './messaging.testing.ts';

// Announcements delivered over real SMTP: one mail per member, per-recipient footers around a body encoded
// once, and what a refusal by the mail server does to a batch.
const refusals = new Map<string, number>();
let sink: SmtpSink;
let t: TestApp;
let w: Awaited<ReturnType<typeof messagingWorld>>;
let courseId: string;
const members = ['alice', 'bob', 'dora', 'emil', 'fay', 'gus'];

beforeAll(async () => {
  sink = await startSmtpSink({ refuse: (to) => refusals.get(to) });
  t = await buildTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Learnhub <hub@hub.test>' } });
  w = await messagingWorld(t);
  for (const username of members.slice(2)) {
    await createUser(t.deps, {
      username,
      name: username,
      email: `${username}@example.org`,
      password: 'correct horse battery',
      emailVerified: true,
    });
  }
  const course = await t.app.inject({
    method: 'POST',
    url: '/api/v1/courses',
    headers: { authorization: w.appAuth },
    payload: { title: 'SOGTA' },
  });
  courseId = course.json<{ id: string }>().id;
  for (const username of members) {
    const browser = await w.signIn(username);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/courses/${courseId}/members`,
      headers: { cookie: browser.cookieHeader() },
      payload: {},
    });
    expect([200, 201]).toContain(res.statusCode);
  }
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

async function announce(key: string, subject: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/courses/${courseId}/announcements`,
    headers: { authorization: w.appAuth, 'idempotency-key': key },
    payload: { subject, content: 'Read **chapter 3**, then try the exercises.', format: 'markdown' },
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

async function progress(id: string) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/courses/${courseId}/announcements/${id}`,
    headers: { authorization: w.appAuth },
  });
  return res.json<{ status: string; sent: number; pending: number; not_mailed: number }>();
}

function mailsAbout(subject: string): ReceivedMail[] {
  return sink.messages.filter((m) => m.parsed.subject?.endsWith(subject));
}

const address = (username: string) => `${username}@example.org`;

describe('announcements over SMTP', () => {
  it('mails each member once, with the shared body and a footer of their own', async () => {
    const id = await announce('smtp-1', 'Semaine 3 — café et exercices');
    await t.runJobs();
    const mails = mailsAbout('Semaine 3 — café et exercices');
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(members.map(address).sort());
    const links = new Set<string>();
    for (const mail of mails) {
      expect(mail.parsed.subject).toMatch(/^\[.+\] Semaine 3 — café et exercices$/);
      expect(mail.parsed.text).toMatch(/^Read \*\*chapter 3\*\*, then try the exercises\.\n\n-- \nSent by /);
      expect(mail.parsed.html).toContain('<strong>chapter 3</strong>');
      const link = /Unsubscribe: (\S+)/.exec(mail.parsed.text ?? '')?.[1];
      expect(link).toBeDefined();
      expect(mail.parsed.headers.find((h) => h.key === 'list-unsubscribe')?.value).toBe(`<${link}>`);
      expect(mail.parsed.html).toContain(`href="${link}"`);
      links.add(link ?? '');
    }
    expect(links.size).toBe(members.length);
    expect(await progress(id)).toMatchObject({ status: 'done', sent: members.length, pending: 0 });
  });

  it('marks a recipient the server refuses for good as failed, and mails the rest without a retry', async () => {
    refusals.set(address('dora'), 550);
    try {
      const id = await announce('smtp-2', 'Week 4');
      await t.runJobs();
      const mails = mailsAbout('Week 4');
      expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(
        members
          .filter((m) => m !== 'dora')
          .map(address)
          .sort(),
      );
      expect(await progress(id)).toMatchObject({ sent: members.length - 1, pending: 0, not_mailed: 1 });
      const jobs = await t.deps.pool.query(
        `select 1 from graphile_worker.jobs where task_identifier = 'messaging.email_batch'`,
      );
      expect(jobs.rows).toHaveLength(0);
    } finally {
      refusals.clear();
    }
  });

  it('retries a batch after a temporary refusal, and the retry sends only the mail that did not go', async () => {
    refusals.set(address('emil'), 451);
    const id = await announce('smtp-3', 'Week 5');
    await t.runJobs();
    expect(mailsAbout('Week 5')).toHaveLength(members.length - 1);
    expect(await progress(id)).toMatchObject({ sent: members.length - 1, pending: 1 });
    const job = await t.deps.pool.query<{ attempts: number; last_error: string }>(
      `select attempts, last_error from graphile_worker.jobs where task_identifier = 'messaging.email_batch'`,
    );
    expect(job.rows).toHaveLength(1);
    expect(job.rows[0]?.attempts).toBe(1);
    expect(job.rows[0]?.last_error).toMatch(/451|refused/);

    refusals.clear();
    await t.makeJobsDue('messaging.email_batch');
    await t.runJobs();
    const mails = mailsAbout('Week 5');
    expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(members.map(address).sort());
    expect(await progress(id)).toMatchObject({ status: 'done', sent: members.length, pending: 0 });
  });
});
