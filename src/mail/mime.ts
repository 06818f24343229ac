import { randomBytes } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWords, foldLines, isPlainText, quoteString } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { DkimSigner } from './dkim.ts';
import type { EncodedBody, MailMessage } from './mailer.ts';

/**
 * The MIME text of outgoing mail, built by hand rather than by nodemailer's composer: a bulk send (a course
 * announcement) encodes the shared body once and only each recipient's headers and footer per mail, which
 * halves the CPU time per mail. nodemailer does the SMTP (pool, PIPELINING, dot-stuffing); dkim.ts signs.
 */

// Quoted-printable never has "=_" (a literal "=" is written =3D), so this boundary cannot occur in a part.
const BOUNDARY = `=_lh_${randomBytes(8).toString('hex')}`;

function quotedPrintable(text: string): string {
  return qpWrap(qpEncode(text.replace(/\r\n|\r|\n/g, '\r\n')), 76);
}

/** Encodes the part of a body that many mails share; each mail's own `text`/`html` then follows it. */
export function encodeBody(text: string, html?: string): EncodedBody {
  // The per-mail text starts on a line of its own, so a lead without a final line break gets one.
  const leadText = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return {
    text: leadText,
    html,
    textQp: quotedPrintable(leadText),
    htmlQp: html === undefined ? undefined : quotedPrintable(html),
  };
}

/** Joins two quoted-printable parts; a line break between HTML parts is only white space. */
function joinQp(lead: string | undefined, tail: string): string {
  if (!lead) return tail;
  return lead.endsWith('\r\n') ? lead + tail : `${lead}\r\n${tail}`;
}

function headerText(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return isPlainText(flat) ? flat : encodeWords(flat, 'Q', 52);
}

function mailbox(name: string, address: string): string {
  if (!name) return address;
  const flat = name.replace(/[\r\n]+/g, ' ');
  const phrase = isPlainText(flat) ? quoteString(flat) : encodeWords(flat, 'Q', 52);
  return `${phrase} <${address}>`;
}

let lastFrom: { raw: string; header: string; address: string } | undefined;

/** `Name <address>` or a bare address, as MAIL_FROM and fromHeader() write it. Cached: bulk mail repeats it. */
function parseFrom(raw: string): { header: string; address: string } {
  if (lastFrom?.raw === raw) return lastFrom;
  const [first] = addressparser(raw, { flatten: true });
  if (!first?.address) throw new Error(`not a mail address: ${raw}`);
  lastFrom = { raw, header: mailbox(first.name, first.address), address: first.address };
  return lastFrom;
}

function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** The envelope and the complete message text of one mail. */
export function composeMime(
  message: MailMessage,
  defaults: { from: string; date: Date; messageId: string; dkim?: DkimSigner | undefined },
): { envelope: { from: string; to: string[] }; raw: string } {
  const from = parseFrom(message.from ?? defaults.from);
  const to = [...message.to];
  const lines = [
    `From: ${from.header}`,
    `To: ${to.join(', ')}`,
    ...(message.replyTo ? [`Reply-To: ${message.replyTo.replace(/[\r\n]+/g, '')}`] : []),
    foldLines(`Subject: ${headerText(message.subject)}`, 76),
    `Date: ${rfc5322Date(defaults.date)}`,
    `Message-ID: ${message.messageId ?? defaults.messageId}`,
  ];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (/^[!-9;-~]+$/.test(name)) lines.push(foldLines(`${name}: ${headerText(value)}`, 76));
  }
  lines.push('MIME-Version: 1.0');
  const text = joinQp(message.lead?.textQp, quotedPrintable(message.text));
  const htmlTail = message.html ?? '';
  const hasHtml = message.html !== undefined || message.lead?.htmlQp !== undefined;
  const plain = 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable';
  let body: string;
  if (!hasHtml) {
    lines.push(plain);
    body = text.endsWith('\r\n') ? text : `${text}\r\n`;
  } else {
    const html = joinQp(message.lead?.htmlQp, quotedPrintable(htmlTail));
    lines.push(`Content-Type: multipart/alternative; boundary="${BOUNDARY}"`);
    body =
      `--${BOUNDARY}\r\n${plain}\r\n\r\n${text}\r\n` +
      `--${BOUNDARY}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${html}\r\n` +
      `--${BOUNDARY}--\r\n`;
  }
  if (defaults.dkim) lines.unshift(defaults.dkim.signature(lines, body));
  return { envelope: { from: from.address, to }, raw: `${lines.join('\r\n')}\r\n\r\n${body}` };
}
