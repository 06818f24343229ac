import nodemailer from 'nodemailer';
import type { Database } from '../db/client.ts';
import { outbox } from '../db/core.tables.ts';
import type { Clock, Ids } from '../lib/runtime.ts';

export interface MailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Defaults to MAIL_FROM. */
  readonly from?: string;
  readonly replyTo?: string;
  /** Extra headers (List-Id, List-Unsubscribe, ...). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Set by the sender job so a retried send keeps one Message-ID. */
  readonly messageId?: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** Real delivery over SMTP with a connection pool (nodemailer). */
export function smtpMailer(smtpUrl: string, defaultFrom: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl.includes('pool=') ? smtpUrl : withPool(smtpUrl));
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transport.sendMail({
        from: message.from ?? defaultFrom,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        html: message.html,
        replyTo: message.replyTo,
        headers: message.headers ? { ...message.headers } : undefined,
        messageId: message.messageId,
      });
      return { messageId: String(info.messageId) };
    },
    async close() {
      transport.close();
    },
  };
}

function withPool(smtpUrl: string): string {
  return `${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}pool=true`;
}

/** Without SMTP_URL, mail is kept in the `outbox` table, readable with `learnhub mail list` and /admin/mail. */
export function outboxMailer(
  db: Database,
  deps: { clock: Clock; ids: Ids; defaultFrom: string; domain: string },
): Mailer {
  return {
    kind: 'outbox',
    async send(message) {
      const messageId = message.messageId ?? `<${deps.ids.uuid()}@${deps.domain}>`;
      const headers: Record<string, string> = { ...(message.headers ?? {}) };
      if (message.replyTo) headers['Reply-To'] = message.replyTo;
      await db
        .insert(outbox)
        .values({
          id: deps.ids.uuid(),
          messageId,
          from: message.from ?? deps.defaultFrom,
          to: [...message.to],
          subject: message.subject,
          text: message.text,
          html: message.html ?? null,
          headers,
          createdAt: deps.clock.now(),
        })
        .onConflictDoNothing();
      return { messageId };
    },
    async close() {},
  };
}
