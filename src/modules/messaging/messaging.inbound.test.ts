import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { messagingWorld, startReceiver } from './messaging.testing.ts';

// The inbound pipeline through its HTTP ways in, with replies as real clients write them (.eml fixtures).
const SECRET = 'inbound-secret-inbound-secret-0123';
const offset = { ms: 0 };
const clock = { now: () => new Date(Date.now() + offset.ms) };
let t: TestApp;
let w: Awaited<ReturnType<typeof messagingWorld>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await buildTestApp({
    clock,
    env: { INBOUND_EMAIL_DOMAIN: 'reply.hub.test', INBOUND_EMAIL_SECRET: SECRET },
  });
  w = await messagingWorld(t, receiver.url);
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

async function replyEnabled(subject = '[MOOC] Week 3') {
  const res = await w.send({
    user_profile: w.alice.id,
    subject,
    content: 'Week 3 starts on Thursday.',
    reply_enabled: true,
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string; reply_token: string }>();
}

function fixture(name: string, sent: { id: string; reply_token: string }, unique = '') {
  return readFileSync(new URL(`./fixtures/${name}.eml`, import.meta.url), 'utf8')
    .replaceAll('TOKEN', sent.reply_token)
    .replaceAll('MESSAGE_ID', sent.id)
    .replace(/^(Message-I[Dd]: <)/m, `$1${unique}`);
}

function postRaw(raw: string, secret = SECRET) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/inbound/email',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
    payload: raw,
  });
}

async function lastPutMessage(): Promise<unknown> {
  const put = receiver.received.at(-1);
  return put ? JSON.parse(put.body).message : undefined;
}

describe('replies from real mail clients', () => {
  const cases: [string, string][] = [
    ['gmail', 'Count me in for the Thursday session — see you there.'],
    ['outlook', 'Hi, I cannot make Thursday. Is there a recording?\n\nBest regards,\nAlice'],
    ['apple-mail', 'Yes please, add me to the study group.'],
    ['thunderbird', 'I read chapter 2 already.\nChapter 3 next.'],
  ];
  for (const [client, expected] of cases) {
    it(`keeps only what was written in a ${client} reply`, async () => {
      const sent = await replyEnabled();
      const res = await postRaw(fixture(client, sent));
      expect(res.statusCode).toBe(200);
      expect(res.json().status).toBe('accepted');
      await t.runJobs();
      expect(await lastPutMessage()).toBe(expected);
    });
  }

  it('ignores the same reply delivered twice (same Message-ID)', async () => {
    const sent = await replyEnabled();
    const raw = fixture('thunderbird', sent, 'dup-');
    expect((await postRaw(raw)).json().status).toBe('accepted');
    expect((await postRaw(raw)).json().status).toBe('duplicate');
    const before = receiver.received.length;
    await t.runJobs();
    expect(receiver.received.length).toBe(before + 1);
  });

  it('drops out-of-office auto-replies without telling the app', async () => {
    const sent = await replyEnabled();
    const before = receiver.received.length;
    const res = await postRaw(fixture('auto-reply', sent));
    expect(res.json()).toMatchObject({ status: 'dropped', reason: 'auto-submitted' });
    await t.runJobs();
    expect(receiver.received.length).toBe(before);
  });
});

describe('bad inbound mail', () => {
  it('refuses a wrong shared secret', async () => {
    const sent = await replyEnabled();
    const res = await postRaw(fixture('gmail', sent, 'x-'), 'wrong-secret-wrong-secret-wrong');
    expect(res.statusCode).toBe(401);
  });

  it('refuses malformed MIME with a 400', async () => {
    const res = await postRaw('this is not a mail message at all');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('messaging.malformed_mime');
  });

  it('refuses an unknown reply token with 406 (do not retry)', async () => {
    const raw = fixture('gmail', { id: 'x', reply_token: 'bbbbbbbbbbbbbbbbbbbbbbbbbb' }, 'unk-');
    const res = await postRaw(raw);
    expect(res.statusCode).toBe(406);
    expect(res.json().code).toBe('messaging.unknown_reply_token');
  });

  it('refuses a token once it has expired', async () => {
    const sent = await replyEnabled();
    offset.ms = 91 * 86_400_000;
    try {
      const res = await postRaw(fixture('gmail', sent, 'exp-'));
      expect(res.json().code).toBe('messaging.unknown_reply_token');
    } finally {
      offset.ms = 0;
    }
  });

  it('refuses mail from someone other than the recipient', async () => {
    const sent = await replyEnabled();
    const raw = fixture('gmail', sent, 'forged-').replace(
      'From: Alice Adams <alice@example.org>',
      'From: <eve@example.org>',
    );
    const res = await postRaw(raw);
    expect(res.statusCode).toBe(406);
    expect(res.json().code).toBe('messaging.wrong_sender');
  });

  it('refuses an oversize message with 413', async () => {
    const sent = await replyEnabled();
    const raw = `${fixture('thunderbird', sent, 'big-')}\r\n${'x'.repeat(2.5 * 1024 * 1024)}`;
    const res = await postRaw(raw);
    expect(res.statusCode).toBe(413);
  });
});

describe('Postmark', () => {
  const basic = `Basic ${Buffer.from(`postmark:${SECRET}`).toString('base64')}`;

  it('takes the raw message from the inbound webhook', async () => {
    const sent = await replyEnabled();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound/postmark',
      headers: { authorization: basic },
      payload: {
        RawEmail: fixture('apple-mail', sent, 'pm-'),
        OriginalRecipient: `reply+${sent.reply_token}@reply.hub.test`,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('accepted');
  });

  it('answers 403 (stop retrying) for mail it will never take', async () => {
    const raw = fixture('gmail', { id: 'x', reply_token: 'cccccccccccccccccccccccccc' }, 'pm2-');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound/postmark',
      headers: { authorization: basic },
      payload: { RawEmail: raw },
    });
    expect(res.statusCode).toBe(403);
  });

  it('suppresses an address after a hard bounce, so later messages are not mailed', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound/postmark/events',
      headers: { authorization: basic },
      payload: { RecordType: 'Bounce', Type: 'HardBounce', Email: 'ALICE@example.org' },
    });
    expect(res.statusCode).toBe(200);
    const sent = await replyEnabled('after the bounce');
    await t.runJobs();
    const { rows } = await t.deps.pool.query('select email_status from messages where id = $1', [sent.id]);
    expect(rows[0]?.email_status).toBe('suppressed');
    await t.deps.pool.query('delete from mail_suppressions');
  });
});

describe('the reply secret', () => {
  it('rotates: PUTs signed after the rotation verify with the new secret only', async () => {
    const old = await t.app.inject({
      url: '/api/v1/messages/reply-secret',
      headers: { authorization: w.appAuth },
    });
    const rotated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/reply-secret',
      headers: { authorization: w.appAuth },
    });
    expect(rotated.json().secret).not.toBe(old.json().secret);
    const sent = await replyEnabled();
    await postRaw(fixture('apple-mail', sent, 'rot-'));
    await t.runJobs();
    const put = receiver.received.at(-1);
    if (!put) throw new Error('no PUT');
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((k) => [k, String(put.headers[k])]),
    );
    expect(() => new Webhook(rotated.json().secret).verify(put.body, headers)).not.toThrow();
    expect(() => new Webhook(old.json().secret).verify(put.body, headers)).toThrow();
  });

  it('is not given to a signed-in person', async () => {
    const browser = await w.signIn('alice');
    const res = await t.app.inject({
      url: '/api/v1/messages/reply-secret',
      headers: { cookie: browser.cookieHeader() },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('a reply URL that is down', () => {
  it('retries until the app answers 2xx, then stops', async () => {
    const sent = await replyEnabled();
    receiver.state.status = 503;
    const before = receiver.received.length;
    await postRaw(fixture('thunderbird', sent, 'retry-'));
    await t.runJobs();
    receiver.state.status = 200;
    const reply = async () =>
      (
        await t.deps.pool.query(
          'select delivery_status, attempts from message_replies where message_id = $1',
          [sent.id],
        )
      ).rows;
    for (let i = 0; i < 10 && (await reply())[0]?.delivery_status !== 'delivered'; i++) {
      await t.makeJobsDue('messaging.deliver_reply');
      await t.runJobs();
    }
    await t.makeJobsDue('messaging.deliver_reply');
    await t.runJobs();
    expect(receiver.received.length).toBe(before + 2);
    const rows = await reply();
    expect(rows[0]).toMatchObject({ delivery_status: 'delivered', attempts: 2 });
  });

  it('tells the person by mail when every attempt has failed, keeping the reply', async () => {
    const sent = await replyEnabled();
    receiver.state.status = 500;
    await postRaw(fixture('thunderbird', sent, 'fail-'));
    const status = async () =>
      (
        await t.deps.pool.query('select delivery_status from message_replies where message_id = $1', [
          sent.id,
        ])
      ).rows[0]?.delivery_status;
    for (let i = 0; i < 40 && (await status()) !== 'failed'; i++) {
      await t.makeJobsDue('messaging.deliver_reply');
      await t.runJobs();
    }
    receiver.state.status = 200;
    const { rows } = await t.deps.pool.query(
      'select delivery_status, attempts, body from message_replies where message_id = $1',
      [sent.id],
    );
    expect(rows[0]).toMatchObject({
      delivery_status: 'failed',
      attempts: 12,
      body: 'I read chapter 2 already.\nChapter 3 next.',
    });
    const mail = await t.deps.pool.query<{ subject: string; text: string }>(
      `select subject, text from outbox where subject like 'Your reply could not be delivered%'`,
    );
    expect(mail.rows).toHaveLength(1);
    expect(mail.rows[0]?.text).toContain('I read chapter 2 already.');
  });
});
