import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/runtime.ts';
import {
  messagingWorld,
  startReceiver as startReplyReceiver,
} from '../../src/modules/messaging/messaging.world.ts';
import { RETRY_DELAYS_MS } from '../../src/modules/webhooks/index.ts';
import {
  emit,
  runNextAttempt,
  startReceiver as startWebhookReceiver,
} from '../../src/modules/webhooks/webhooks.testing.ts';
import { createEndpoint } from '../../src/modules/webhooks/webhooks.usecases.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { freePort } from '../support/server.ts';
import { type SmtpSink, startSmtpSink } from '../support/smtp-sink.ts';
import { attemptAt, QueueClock, retryDelayMs } from './queue-clock.ts';

/**
 * The outside world down for minutes or hours: the mail server, an app's webhook receiver, an app's reply
 * URL. Real SMTP and HTTP servers on 127.0.0.1 are stopped or answer errors; time is faked (the hub's clock
 * for webhooks, whose schedule is the hub's own; the job queue's clock for mail and replies, whose retries
 * graphile-worker schedules in the database), so hours pass in seconds. What is checked is the documented
 * schedule: each retry when it says, and delivery, once, at the first attempt after the outside party is back.
 */
const SECRET = 'inbound-secret-inbound-secret-0123';
const HOUR = 3_600_000;
// Years ahead of the database's clock: webhook retries (run_at from this clock) are due only when moved past.
const clock = new ManualClock('2031-05-01T12:00:00Z');
let t: TestApp;
let queue: QueueClock;
let smtpPort: number;
let sink: SmtpSink | undefined;
let replies: Awaited<ReturnType<typeof startReplyReceiver>>;
let w: Awaited<ReturnType<typeof messagingWorld>>;

beforeAll(async () => {
  // Nothing listens on the mail server's port yet: it is down from the start.
  smtpPort = await freePort();
  replies = await startReplyReceiver();
  t = await buildTestApp({
    clock,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Learnhub <hub@hub.test>',
      INBOUND_EMAIL_DOMAIN: 'reply.hub.test',
      INBOUND_EMAIL_SECRET: SECRET,
    },
  });
  queue = new QueueClock(t.deps.pool);
  w = await messagingWorld(t, replies.url);
});
afterAll(async () => {
  await t.close();
  await replies.close();
  await sink?.close();
});

async function sendToAlice(subject: string) {
  const res = await w.send({
    user_profile: w.alice.id,
    subject,
    content: 'Week 3 starts on Thursday.',
    reply_enabled: true,
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string; reply_token: string }>();
}

/**
 * Runs the attempts of `task` until the next one would come `downForMs` after `origin` (the first attempt,
 * by the queue's clock), checking that each retry was scheduled exp(min(attempts, 10)) s after the failure;
 * returns the attempts made.
 */
async function failUntil(task: string, origin: number, downForMs: number): Promise<number> {
  for (;;) {
    const failedAt = await queue.now();
    const job = await queue.waiting(task);
    if (!job) throw new Error(`no ${task} job is waiting`);
    // Scheduled by the documented formula, from the moment of the failure (a few real seconds of slack).
    if (job.attempts > 0)
      expect(Math.abs(job.runAt - failedAt - retryDelayMs(job.attempts))).toBeLessThan(3_000);
    if (job.runAt - origin >= downForMs) return job.attempts;
    await queue.runNext(t, task);
  }
}

describe('the mail server down, then refusing, for minutes', () => {
  it('keeps the mail and sends it once, at the first scheduled attempt after the server takes it', async () => {
    const sent = await sendToAlice('Mail during an outage');
    const origin = await queue.now();
    await t.runJobs();
    // 6 minutes with nothing listening, then 4 minutes of "451 try again later".
    expect(await failUntil('messaging.email', origin, 6 * 60_000)).toBeGreaterThanOrEqual(5);
    let refusing = true;
    sink = await startSmtpSink({ port: smtpPort, refuse: () => (refusing ? 451 : undefined) });
    const attempts = await failUntil('messaging.email', origin, 10 * 60_000);
    expect(sink.messages).toHaveLength(0);
    refusing = false;
    await queue.runNext(t, 'messaging.email');

    const mails = sink.messages.filter((m) => m.parsed.subject?.includes('Mail during an outage'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.envelopeTo).toEqual(['alice@example.org']);
    expect(mails[0]?.parsed.messageId).toBe(`<m.${sent.id}@hub.test>`);
    // It went out at the first attempt at or after the 10 minutes (attempt 7, at 10.6 min).
    expect(attemptAt(attempts + 1)).toBeGreaterThanOrEqual(10 * 60_000);
    expect(attemptAt(attempts)).toBeLessThan(10 * 60_000);
    expect(await queue.waiting('messaging.email')).toBeUndefined();
  });
});

describe("an app's reply URL down for hours", () => {
  it('forwards the reply once, at the first scheduled attempt after the app is back', async () => {
    const sent = await sendToAlice('[MOOC] Week 3');
    await t.runJobs();
    replies.state.status = 503;
    const raw = readFileSync(
      new URL('../../src/modules/messaging/fixtures/thunderbird.eml', import.meta.url),
      'utf8',
    )
      .replaceAll('TOKEN', sent.reply_token)
      .replaceAll('MESSAGE_ID', sent.id);
    const posted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound/email',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822' },
      payload: raw,
    });
    expect(posted.statusCode).toBe(200);
    const origin = await queue.now();
    await t.runJobs();
    const attempts = await failUntil('messaging.deliver_reply', origin, 3 * HOUR);
    replies.state.status = 200;
    await queue.runNext(t, 'messaging.deliver_reply');

    const { rows } = await t.deps.pool.query(
      'select delivery_status, attempts from message_replies where message_id = $1',
      [sent.id],
    );
    // Attempt 10 comes 3.6 h after the first: the first one after 3 hours.
    expect(rows[0]).toEqual({ delivery_status: 'delivered', attempts: attempts + 1 });
    expect(attemptAt(attempts + 1)).toBeGreaterThanOrEqual(3 * HOUR);
    expect(attemptAt(attempts)).toBeLessThan(3 * HOUR);
    // Every attempt is the same delivery (one webhook-id); exactly one was answered 2xx.
    const puts = replies.received.filter((r) => JSON.parse(r.body).message_id === sent.id);
    expect(puts).toHaveLength(attempts + 1);
    expect(new Set(puts.map((p) => p.headers['webhook-id'])).size).toBe(1);
  });
});

describe("an app's webhook receiver down for hours", () => {
  it('delivers once, at the first scheduled attempt after the receiver is back', async () => {
    const receiver = await startWebhookReceiver(clock, 503);
    try {
      const appId = '0b1c7a7e-3333-4c5e-9a00-00000000000c';
      await createEndpoint(t.deps, appId, { url: receiver.url, eventTypes: ['app.authorized'] });
      const started = clock.now().getTime();
      const user = {
        id: '0b1c7a7e-3333-4c5e-9a00-000000000009',
        username: 'nine',
        email: 'nine@example.org',
        profile_url: 'https://hub.test/u/nine',
      };
      await emit(t, 'app.authorized', { app_id: appId, user, scopes: ['openid'] });
      await t.runJobs();
      // Run the attempts the schedule puts within the 6 hours; the receiver fails each.
      let made = 1;
      const scheduled = (n: number) => RETRY_DELAYS_MS.slice(0, n - 1).reduce((a, b) => a + b, 0);
      while (scheduled(made + 1) < 6 * HOUR) {
        expect(await runNextAttempt(t, clock)).toBe(true);
        made++;
      }
      receiver.fallback = 200;
      expect(await runNextAttempt(t, clock)).toBe(true);

      // Attempts at 0, 5 s, 5 min, 30 min, 2 h and 5 h after each other: the 6th, at 7 h 35 min, succeeds.
      const at = receiver.received.map((r) => r.at.getTime() - started);
      const expected = [0];
      for (const delay of RETRY_DELAYS_MS.slice(0, at.length - 1))
        expected.push((expected.at(-1) ?? 0) + delay);
      expect(at).toEqual(expected);
      expect(at.at(-1)).toBeGreaterThanOrEqual(6 * HOUR);
      expect(at.at(-2)).toBeLessThan(6 * HOUR);
      expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
      expect(await runNextAttempt(t, clock)).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});
