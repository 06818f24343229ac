import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { type SmtpSink, startSmtpSink } from '../../test/support/smtp-sink.ts';
import { queueMail } from './index.ts';

let sink: SmtpSink;
let t: TestApp;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await buildTestApp({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Learnhub <hub@hub.test>' } });
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

describe('mail over SMTP', () => {
  it('delivers a queued message to a real SMTP server, with its headers, only when the job runs', async () => {
    expect(t.deps.mailer.kind).toBe('smtp');
    const messageId = await t.deps.db.transaction((tx) =>
      queueMail(
        tx,
        { ids: t.deps.ids, mailDomain: 'hub.test' },
        {
          to: ['learner@example.org'],
          subject: 'Welcome',
          text: 'Plain body',
          html: '<p>HTML body</p>',
          replyTo: 'reply+abc@hub.test',
          headers: { 'List-Id': 'Test <test.hub.test>' },
        },
      ),
    );
    expect(sink.messages).toHaveLength(0);
    await t.runJobs();
    const [mail] = await sink.waitFor(1);
    expect(mail?.envelopeTo).toEqual(['learner@example.org']);
    expect(mail?.parsed.subject).toBe('Welcome');
    expect(mail?.parsed.from?.address).toBe('hub@hub.test');
    expect(mail?.parsed.messageId).toBe(messageId);
    expect(mail?.parsed.text?.trim()).toBe('Plain body');
    expect(mail?.parsed.html).toContain('<p>HTML body</p>');
    expect(mail?.parsed.replyTo?.[0]?.address).toBe('reply+abc@hub.test');
    expect(mail?.raw).toMatch(/^List-Id: Test <test\.hub\.test>/im);
  });

  it('keeps the job for a retry when the SMTP server is down, and sends it when it is back', async () => {
    const down = await buildTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:1' } });
    try {
      await queueMail(
        down.deps.db,
        { ids: down.deps.ids, mailDomain: 'hub.test' },
        {
          to: ['x@example.org'],
          subject: 'Later',
          text: 'retry me',
        },
      );
      await down.runJobs();
      const job = await down.deps.pool.query(
        `select attempts, last_error from graphile_worker.jobs where task_identifier = 'mail.send'`,
      );
      expect(job.rows).toHaveLength(1);
      expect(job.rows[0].attempts).toBe(1);
      expect(job.rows[0].last_error).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await down.close();
    }
  });
});
