import type { Deps } from '../../deps.ts';
import { type EncodedBody, encodeBody, type MailMessage } from '../../mail/index.ts';
import type { User } from '../identity/index.ts';
import { escapeHtml } from './messaging.content.ts';
import type { MessageRow } from './messaging.repository.ts';
import { replyAddress, unsubscribeToken } from './messaging.tokens.ts';

/** Cut point for reply trimming: everything from this line down is what we sent. */
export const REPLY_MARKER = '## Reply above this line ##';
export const REPLY_INVITATION = 'You can respond by replying to this email.';

type MailDeps = Pick<Deps, 'config' | 'secretKey' | 'clock'>;

export function mailHost(deps: Pick<Deps, 'config'>): string {
  return new URL(deps.config.publicUrl).hostname;
}

function bareAddress(from: string): string {
  return /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
}

/** `"MOOC via Learnhub" <hub@...>`: the From address stays the hub's own (SPF/DKIM/DMARC alignment). */
export function fromHeader(deps: Pick<Deps, 'config'>, appName: string | null): string {
  const address = bareAddress(deps.config.mailFrom);
  if (!appName) return deps.config.mailFrom;
  const name = `${appName} via Learnhub`.replace(/["\\\r\n]/g, '').slice(0, 100);
  return `"${name}" <${address}>`;
}

/** Headers every non-transactional mail carries: list identity and RFC 8058 one-click unsubscribe. */
export function listHeaders(
  deps: MailDeps,
  user: User,
  list: { scope: string; id: string; name: string },
): Record<string, string> {
  const url = `${deps.config.publicUrl}/unsubscribe/${unsubscribeToken(deps, user.id, list.scope)}`;
  return {
    // No display phrase: nodemailer would MIME-encode a quoted one, which some filters do not decode.
    'List-Id': `<${list.id}.${mailHost(deps)}>`,
    'List-Unsubscribe': `<${url}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'Auto-Submitted': 'auto-generated',
  };
}

export function unsubscribeUrl(headers: Record<string, string>): string {
  return (headers['List-Unsubscribe'] ?? '').replace(/^<|>$/g, '');
}

/** What a message mail is made of (an inbox row, or an announcement's recipient row with its content). */
export type MailSource = Pick<
  MessageRow,
  'id' | 'courseId' | 'appId' | 'announcementId' | 'subject' | 'contentText' | 'contentHtml'
>;

/** The body an announcement's mails share: encoded once, followed in each mail by its recipient's footer. */
export function announcementLead(contentText: string, contentHtml: string): EncodedBody {
  return encodeBody(`${contentText}\n\n`, contentHtml);
}

/**
 * The mail for one message. With `lead` (announcements: no reply token), the content is taken from the lead
 * and only the footer, which carries the recipient's unsubscribe link, is built here.
 */
export function messageMail(
  deps: MailDeps,
  input: {
    message: MailSource;
    user: User;
    appName: string | null;
    scope: string;
    replyToken: string | undefined;
    lead?: EncodedBody;
  },
): MailMessage {
  const { message, user, appName, replyToken } = input;
  const listId = message.courseId
    ? `course-${message.courseId}`
    : message.appId
      ? `app-${message.appId}`
      : 'hub';
  const headers = listHeaders(deps, user, { scope: input.scope, id: listId, name: appName ?? 'Learnhub' });
  if (message.announcementId) headers.Precedence = 'bulk';
  const settings = `${deps.config.publicUrl}/account/notifications`;
  const unsubscribe = unsubscribeUrl(headers);
  const footerText = `-- \nSent by ${appName ?? 'Learnhub'} through Learnhub.\nEmail settings: ${settings}\nUnsubscribe: ${unsubscribe}\n`;
  const footerHtml = `<hr><p style="color:#888;font-size:small">Sent by ${escapeHtml(appName ?? 'Learnhub')} through Learnhub. <a href="${escapeHtml(settings)}">Email settings</a> · <a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`;
  const common = {
    to: [user.email],
    from: fromHeader(deps, appName),
    subject: message.subject,
    replyTo: replyToken ? replyAddress(deps.config.inboundEmailDomain, replyToken) : undefined,
    headers,
    messageId: `<m.${message.id}@${mailHost(deps)}>`,
  };
  if (input.lead && !replyToken) return { ...common, lead: input.lead, text: footerText, html: footerHtml };
  const replyText = replyToken ? `${REPLY_MARKER}\n\n` : '';
  const replyHtml = replyToken ? `<p style="color:#888">${escapeHtml(REPLY_MARKER)}</p>` : '';
  const invite = replyToken ? `\n\n${REPLY_INVITATION}` : '';
  const inviteHtml = replyToken ? `<p>${escapeHtml(REPLY_INVITATION)}</p>` : '';
  return {
    ...common,
    text: `${replyText}${message.contentText}${invite}\n\n${footerText}`,
    html: `${replyHtml}${message.contentHtml}${inviteHtml}${footerHtml}`,
  };
}

/** One digest mail for several messages. Replies to digests are not supported (no reply address). */
export function digestMail(
  deps: MailDeps,
  input: { user: User; frequency: 'daily' | 'weekly'; messages: MessageRow[]; key: string },
): MailMessage {
  const headers = listHeaders(deps, input.user, { scope: 'default', id: 'digest', name: 'Learnhub digest' });
  const inbox = `${deps.config.publicUrl}/inbox`;
  const parts = input.messages.map((m) => `* ${m.subject}\n\n${m.contentText}\n`);
  const html = input.messages.map((m) => `<h2>${escapeHtml(m.subject)}</h2>${m.contentHtml}`).join('<hr>');
  return {
    to: [input.user.email],
    subject: `Your ${input.frequency} Learnhub digest: ${input.messages.length} message${input.messages.length === 1 ? '' : 's'}`,
    text: `${parts.join('\n')}\nRead them in your inbox: ${inbox}\nEmail settings: ${deps.config.publicUrl}/account/notifications\n`,
    html: `${html}<hr><p><a href="${escapeHtml(inbox)}">Your inbox</a> · <a href="${escapeHtml(`${deps.config.publicUrl}/account/notifications`)}">Email settings</a></p>`,
    headers,
    messageId: `<digest.${input.key}@${mailHost(deps)}>`,
  };
}
