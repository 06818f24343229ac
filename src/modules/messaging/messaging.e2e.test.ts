import nodemailer from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/support/smtp-sink.ts';
import { type InboundSmtp, startInboundSmtp } from './index.ts';
import { messagingWorld, startReceiver } from './messaging.testing.ts';

// The whole story over real SMTP and HTTP on 127.0.0.1: the app sends a reply-enabled notification, the
// hub mails it to an SMTP sink, the person replies over SMTP to the hub's listener, and the app's reply URL
// receives the signed PUT with the quoted text removed.
let t: TestApp;
let sink: SmtpSink;
let inbound: InboundSmtp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let w: Awaited<ReturnType<typeof messagingWorld>>;

beforeAll(async () => {
  sink = await startSmtpSink();
  receiver = await startReceiver();
  t = await buildTestApp({ env: { SMTP_URL: sink.url, INBOUND_EMAIL_DOMAIN: 'reply.hub.test' } });
  w = await messagingWorld(t, receiver.url);
  inbound = await startInboundSmtp(t.deps, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await inbound.close();
  await t.close();
  await receiver.close();
  await sink.close();
});

function smtpClient() {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: inbound.port,
    secure: false,
    ignoreTLS: true,
  });
}

describe('reply-by-email end to end', () => {
  it('delivers the reply to the app as a signed PUT without the quoted text', async () => {
    const sent = await w.send({
      user_profile: 'http://hub.test/u/alice',
      subject: '[SOGTA] reply to comment',
      content: 'Someone replied to your comment.',
      reply_enabled: true,
    });
    expect(sent.statusCode).toBe(201);
    const { id, reply_token: token } = sent.json<{ id: string; reply_token: string }>();
    expect(token).toMatch(/^[a-z2-7]{26}$/);

    await t.runJobs();
    const [mail] = await sink.waitFor(1);
    if (!mail) throw new Error('no mail');
    expect(mail.envelopeTo).toEqual(['alice@example.org']);
    expect(mail.parsed.subject).toBe('[MOOC] [SOGTA] reply to comment');
    expect(mail.parsed.from?.name).toBe('MOOC via Learnhub');
    const replyTo = mail.parsed.replyTo?.[0]?.address;
    expect(replyTo).toBe(`reply+${token}@reply.hub.test`);
    expect(mail.parsed.text).toContain('You can respond by replying to this email');
    const header = (name: string) => mail.parsed.headers.find((h) => h.key === name)?.value;
    expect(header('list-unsubscribe')).toMatch(/^<http:\/\/hub\.test\/unsubscribe\/[^>]+>$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header('list-id')).toContain(`app-${w.client.id}`);
    expect(mail.parsed.messageId).toBe(`<m.${id}@hub.test>`);

    // Alice answers from her mail client, quoting the original, with the token upper-cased by some relay.
    await smtpClient().sendMail({
      from: 'Alice Adams <alice@example.org>',
      to: `reply+${token.toUpperCase()}@reply.hub.test`,
      subject: `Re: ${mail.parsed.subject}`,
      inReplyTo: mail.parsed.messageId,
      messageId: '<alice-reply-1@example.org>',
      text: `Thanks, I will look at it tonight.\n\nOn Mon, 23 Nov 2026 at 10:00, MOOC via Learnhub <no-reply@hub.test> wrote:\n> ## Reply above this line ##\n> Someone replied to your comment.\n`,
    });
    await t.runJobs();

    expect(receiver.received).toHaveLength(1);
    const put = receiver.received[0];
    if (!put) throw new Error('no PUT');
    expect(put.method).toBe('PUT');
    const body = JSON.parse(put.body);
    expect(body).toMatchObject({
      from: 'http://hub.test/u/alice',
      'reply-token': token,
      message: 'Thanks, I will look at it tonight.',
      message_id: id,
    });
    expect(Date.parse(body.received_at)).not.toBeNaN();

    // The app verifies the signature with its reply secret.
    const secret = await t.app.inject({
      url: '/api/v1/messages/reply-secret',
      headers: { authorization: w.appAuth },
    });
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((k) => [k, String(put.headers[k])]),
    );
    expect(() =>
      new Webhook(secret.json<{ secret: string }>().secret).verify(put.body, headers),
    ).not.toThrow();
  });

  it('refuses an unknown reply address at RCPT time', async () => {
    await expect(
      smtpClient().sendMail({
        from: 'alice@example.org',
        to: 'reply+aaaaaaaaaaaaaaaaaaaaaaaaaa@reply.hub.test',
        subject: 'hello',
        text: 'hello',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('refuses a reply from another address than the recipient’s, and keeps nothing', async () => {
    const sent = await w.send({
      user_profile: w.alice.id,
      subject: 'Q',
      content: 'Answer me',
      reply_enabled: true,
    });
    const { reply_token: token } = sent.json<{ reply_token: string }>();
    await expect(
      smtpClient().sendMail({
        from: 'mallory@example.org',
        to: `reply+${token}@reply.hub.test`,
        subject: 'Re: Q',
        text: 'Forged answer',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const { rows } = await t.deps.pool.query(
      'select count(*)::int as n from message_replies where body like $1',
      ['Forged%'],
    );
    expect(rows[0]?.n).toBe(0);
  });
});
