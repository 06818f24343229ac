import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { DkimConfig } from '../config/config.ts';
import type { Database } from '../db/client.ts';
import type { Clock, Ids } from '../lib/runtime.ts';
import { dkimSigner } from './dkim.ts';
import { composeMime } from './mime.ts';
import { insertOutboxEntry } from './outbox.repository.ts';

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
  /**
   * A body shared by many mails (an announcement), encoded once with encodeBody(); `text` and `html` are then
   * what follows it in this mail (the recipient's footer).
   */
  readonly lead?: EncodedBody;
}

/** A body encoded once for many mails: the text as given and its quoted-printable form. */
export interface EncodedBody {
  readonly text: string;
  readonly html: string | undefined;
  readonly textQp: string;
  readonly htmlQp: string | undefined;
}

/** A permanent refusal (SMTP 5xx): retrying the same mail to the same address cannot succeed. */
export function isPermanentMailError(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export interface Mailer {
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export interface SmtpMailerOptions {
  readonly url: string;
  readonly defaultFrom: string;
  /** Message-IDs made here (mail queued without one) use this domain. */
  readonly domain: string;
  readonly dkim?: DkimConfig | undefined;
  readonly clock?: Clock;
}

/**
 * Real delivery over SMTP (nodemailer) through a pool of connections: 5 by default, each reused for up to
 * 1,000 mails; `?maxConnections=10&maxMessages=500` on SMTP_URL (or `pool=false`) change that. The message
 * text is built by composeMime() and, with DKIM configured, signed by dkim.ts.
 */
export function smtpMailer(options: SmtpMailerOptions): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 5,
    maxMessages: 1000,
    // A server that stops answering fails the send (and the job is retried) instead of holding it for minutes.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const now = () => options.clock?.now() ?? new Date();
  const dkim = options.dkim ? dkimSigner(options.dkim) : undefined;
  return {
    kind: 'smtp',
    async send(message) {
      const messageId = message.messageId ?? `<${randomUUID()}@${options.domain}>`;
      const mime = composeMime(message, { from: options.defaultFrom, date: now(), messageId, dkim });
      await transport.sendMail({ envelope: mime.envelope, raw: mime.raw });
      return { messageId };
    },
    async close() {
      transport.close();
    },
  };
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
      const lead = message.lead;
      if (message.replyTo) headers['Reply-To'] = message.replyTo;
      await insertOutboxEntry(db, {
        id: deps.ids.uuid(),
        messageId,
        from: message.from ?? deps.defaultFrom,
        to: [...message.to],
        subject: message.subject,
        text: lead ? lead.text + message.text : message.text,
        html: lead?.html !== undefined ? `${lead.html}\n${message.html ?? ''}` : (message.html ?? null),
        headers,
        createdAt: deps.clock.now(),
      });
      return { messageId };
    },
    async close() {},
  };
}
