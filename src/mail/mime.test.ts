import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { composeMime, encodeBody } from './index.ts';

// The hand-built MIME text must read back, through a real parser, as exactly what was put in.
const defaults = {
  from: 'Learnhub <hub@hub.test>',
  date: new Date('2026-11-30T08:00:00Z'),
  messageId: '<x@hub.test>',
};

describe('composeMime', () => {
  it('encodes non-ASCII names and subjects, long lines and a shared lead followed by a per-mail tail', async () => {
    const content = `Première semaine: ${'lisez le chapitre 3 et faites les exercices, '.repeat(5)}\n=_ et . seul:\n.\nfin`;
    const lead = encodeBody(`${content}\n\n`, `<p>${content}</p>`);
    const mime = composeMime(
      {
        to: ['zoe@example.org'],
        from: '"Café MOOC via Learnhub" <hub@hub.test>',
        subject: '[Café MOOC] Semaine 1 — bienvenue',
        replyTo: 'reply+abc@hub.test',
        headers: { 'List-Id': '<course-1.hub.test>', 'List-Unsubscribe': '<http://hub.test/unsubscribe/t1>' },
        lead,
        text: '-- \nUnsubscribe: http://hub.test/unsubscribe/t1\n',
        html: '<hr><a href="http://hub.test/unsubscribe/t1">Unsubscribe</a>',
      },
      defaults,
    );
    expect(mime.envelope).toEqual({ from: 'hub@hub.test', to: ['zoe@example.org'] });
    for (const line of mime.raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(mime.raw).not.toMatch(/[^\r]\n/);
    const parsed = await PostalMime.parse(mime.raw);
    expect(parsed.from).toEqual({ name: 'Café MOOC via Learnhub', address: 'hub@hub.test' });
    expect(parsed.subject).toBe('[Café MOOC] Semaine 1 — bienvenue');
    expect(parsed.date).toBe('2026-11-30T08:00:00.000Z');
    expect(parsed.messageId).toBe('<x@hub.test>');
    expect(parsed.replyTo?.[0]?.address).toBe('reply+abc@hub.test');
    expect(parsed.headers.find((h) => h.key === 'list-id')?.value).toBe('<course-1.hub.test>');
    // postal-mime keeps the line break before a boundary, which MIME counts as part of the boundary.
    const part = (value: string | undefined) => value?.replace(/\n$/, '');
    expect(part(parsed.text)).toBe(`${content}\n\n-- \nUnsubscribe: http://hub.test/unsubscribe/t1\n`);
    expect(part(parsed.html)).toBe(
      `<p>${content}</p>\n<hr><a href="http://hub.test/unsubscribe/t1">Unsubscribe</a>`,
    );
  });

  it('sends a text-only mail as a single part, and keeps header values on one line', async () => {
    const mime = composeMime(
      {
        to: ['a@example.org'],
        subject: 'Two\r\nlines',
        text: 'Just text.',
        headers: { 'X-Evil': 'a\r\nBcc: b@x' },
      },
      defaults,
    );
    expect(mime.raw).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(mime.raw).not.toMatch(/^Bcc:/m);
    const parsed = await PostalMime.parse(mime.raw);
    expect(parsed.subject).toBe('Two lines');
    expect(parsed.text).toBe('Just text.\n');
    expect(parsed.html).toBeUndefined();
  });
});
