import { REPLY_MARKER } from './messaging.mail.ts';

export interface Trimmed {
  /** What the person wrote. */
  readonly body: string;
  /** What was removed (quoted text, signature), kept for support. */
  readonly elided: string;
}

// Where the quoted original starts, per client. Each is tried on the text and the earliest match wins.
// Multi-line "On ... wrote:" headers are matched across up to three lines (Gmail wraps long ones).
const QUOTE_HEADERS: readonly RegExp[] = [
  // Gmail, Apple Mail, Thunderbird (English): "On <date>, <name> <addr> wrote:"
  // (the first line has a digit, the date, so a sentence starting with "On" is not taken for one)
  /^On\s[^\n]*\d[^\n]*(?:\n[^\n]*){0,2}?wrote:[ \t]*$/m,
  // German, French, Spanish, Dutch clients
  /^Am\s[^\n]*(?:\n[^\n]*)?schrieb[^\n]*:[ \t]*$/m,
  /^Le\s[^\n]*(?:\n[^\n]*)?a écrit\s?:[ \t]*$/m,
  /^El\s[^\n]*(?:\n[^\n]*)?escribió:[ \t]*$/m,
  /^Op\s[^\n]*(?:\n[^\n]*)?schreef[^\n]*:[ \t]*$/m,
  // Outlook: a rule line, or an "Original Message" line, or a From:/Sent: header block
  /^_{20,}[ \t]*$/m,
  /^-{2,}\s*Original Message\s*-{2,}[ \t]*$/im,
  /^\*?From:\*?\s[^\n]*\n\*?(?:Sent|Date):\*?\s/im,
];

// Signature and client-boilerplate lines; the signature runs from here to the end.
const SIGNATURE_STARTS: readonly RegExp[] = [
  /^--[ \t]?$/m,
  /^Sent from my (?:iPhone|iPad|Android|mobile device|Galaxy)[^\n]*$/im,
  /^Sent from (?:Mail|Outlook) for [^\n]*$/im,
  /^Get Outlook for (?:iOS|Android)[^\n]*$/im,
  /^Sent from Yahoo Mail[^\n]*$/im,
];

function earliest(text: string, patterns: readonly RegExp[]): number {
  let cut = text.length;
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match && match.index < cut) cut = match.index;
  }
  return cut;
}

/** Removes our own marker and below, the quoted original, `>` lines and the signature. */
export function trimReply(input: string): Trimmed {
  let text = input.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const removed: string[] = [];
  const cutAt = (index: number) => {
    if (index < text.length) {
      removed.unshift(text.slice(index));
      text = text.slice(0, index);
    }
  };
  const marker = text.indexOf(REPLY_MARKER);
  if (marker >= 0) cutAt(text.lastIndexOf('\n', marker) + 1);
  cutAt(earliest(text, QUOTE_HEADERS));
  // Quoted lines left inside what remains (interleaved quoting keeps the person's own lines).
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*>/.test(line)) removed.push(line);
    else kept.push(line);
  }
  text = kept.join('\n');
  cutAt(earliest(text, SIGNATURE_STARTS));
  return { body: text.replace(/[ \t]+$/gm, '').trim(), elided: removed.join('\n').trim() };
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  nbsp: ' ',
  apos: "'",
};

// Where clients put the quoted original in HTML-only replies.
const HTML_QUOTE_STARTS: readonly RegExp[] = [
  /<div[^>]*class="?[^">]*gmail_quote/i,
  /<div[^>]*id="?divRplyFwdMsg/i,
  /<div[^>]*id="?appendonsend/i,
  /<div[^>]*class="?moz-cite-prefix/i,
  /<blockquote/i,
];

/** A plain-text rendering of an HTML-only reply, with the quoted part cut off first. */
export function htmlToText(html: string): string {
  const cut = earliest(html, HTML_QUOTE_STARTS);
  return html
    .slice(0, cut)
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<div[^>]*class="?[^">]*gmail_signature[\s\S]*$/i, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#?\w+);/g, (all, name: string) =>
      name.startsWith('#') && /^#\d+$/.test(name)
        ? String.fromCodePoint(Number(name.slice(1)))
        : (ENTITIES[name] ?? all),
    )
    .replace(/\n{3,}/g, '\n\n');
}
