import nodemailer from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/support/app.ts';
import { freePort, startTestServer, type TestServer } from '../../../test/support/server.ts';
import { type SmtpSink, startSmtpSink } from '../../../test/support/smtp-sink.ts';
import { loadConfig } from '../../config/config.ts';
import { createPool } from '../../db/client.ts';
import { createLogger } from '../../lib/logger.ts';
import { createDeps } from '../../runtime.ts';
import { createApiToken } from '../admin/index.ts';
import { startInboundSmtp } from './index.ts';
import { messagingWorld, startReceiver } from './messaging.testing.ts';

// The real hub as `learnhub start` runs it (web + worker + inbound SMTP listener, startHub) with its
// SMTP_URL at a loopback sink: the whole reply-by-email story with nothing run by hand.
let server: TestServer;
let smtpPort: number;
let sink: SmtpSink;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let t: TestApp;

beforeAll(async () => {
  sink = await startSmtpSink();
  receiver = await startReceiver();
  smtpPort = await freePort();
  const port = String(await freePort());
  const env = {
    PORT: port,
    HOST: '127.0.0.1',
    SMTP_URL: sink.url,
    INBOUND_SMTP_PORT: String(smtpPort),
    INBOUND_EMAIL_DOMAIN: 'reply.hub.test',
    SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    LOG_LEVEL: 'silent',
  };
  server = await startTestServer(env);
  // A second set of deps on the server's database, to create people and the app as the CLI would.
  const config = loadConfig({ ...env, DATABASE_URL: server.database.url, DATA_DIR: '/tmp' });
  const pool = createPool(server.database.url, createLogger('silent'), { max: 2 });
  const deps = createDeps(config, { pool }, createLogger('silent'));
  t = {
    app: server.hub.app,
    deps,
    database: server.database,
    config,
    runJobs: async () => {},
    makeJobsDue: async () => {},
    operatorToken: async () =>
      (await createApiToken(deps, { name: 'e2e', admin: true, expiresInDays: 1 })).token,
    close: async () => {
      await pool.end();
    },
  };
});
afterAll(async () => {
  await t.close();
  await server.close();
  await receiver.close();
  await sink.close();
});

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('reply-by-email through the running hub', () => {
  it('mails the notification and PUTs the trimmed, signed reply to the app', async () => {
    const w = await messagingWorld(t, receiver.url);
    const sent = await w.send({
      user_profile: w.alice.id,
      subject: '[SOGTA] reply to comment',
      content: 'Someone replied to your comment.',
      reply_enabled: true,
    });
    expect(sent.statusCode).toBe(201);
    const { reply_token: token } = sent.json<{ reply_token: string }>();

    const [mail] = await sink.waitFor(1, 20_000);
    expect(mail?.parsed.subject).toBe('[MOOC] [SOGTA] reply to comment');
    const replyTo = mail?.parsed.replyTo?.[0]?.address;
    expect(replyTo).toBe(`reply+${token}@reply.hub.test`);

    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await smtp.sendMail({
      from: 'alice@example.org',
      to: replyTo,
      subject: 'Re: [MOOC] [SOGTA] reply to comment',
      text: 'Good point, thanks!\n\nOn Tue, 24 Nov 2026 at 09:00, MOOC via Learnhub <no-reply@127.0.0.1> wrote:\n> Someone replied to your comment.\n',
    });
    const put = await until(() => receiver.received[0], 'the reply PUT');
    expect(put.method).toBe('PUT');
    const body = JSON.parse(put.body);
    expect(body).toMatchObject({
      from: `${server.url}/u/alice`,
      'reply-token': token,
      message: 'Good point, thanks!',
    });
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

  it('refuses unknown reply addresses at RCPT', async () => {
    const smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    await expect(
      smtp.sendMail({
        from: 'x@example.org',
        to: 'reply+dddddddddddddddddddddddddd@reply.hub.test',
        subject: 'x',
        text: 'y',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      smtp.sendMail({ from: 'x@example.org', to: 'postmaster@elsewhere.example', subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });
});

describe('starting the listener', () => {
  it('fails with a clear message when its port is taken', async () => {
    await expect(startInboundSmtp(t.deps, { port: smtpPort, host: '127.0.0.1' })).rejects.toThrow(
      /INBOUND_SMTP_PORT .* is already in use/,
    );
  });
});
