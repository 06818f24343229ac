import { describe, expect, it } from 'vitest';
import { htmlToText, trimReply } from './messaging.trim.ts';

// Edge cases of quote and signature trimming that the .eml fixtures do not cover.
describe('trimReply', () => {
  it('keeps a sentence that merely starts with "On"', () => {
    const text =
      'On second thought, yes.\nI will come.\n\nOn Tue, 24 Nov 2026 at 09:00, Hub <h@x.org> wrote:\n> hi';
    expect(trimReply(text).body).toBe('On second thought, yes.\nI will come.');
  });

  it('keeps the person’s lines between interleaved quotes', () => {
    const text = '> Are you coming?\nYes.\n> Bringing anything?\nCake.';
    expect(trimReply(text)).toEqual({
      body: 'Yes.\nCake.',
      elided: '> Are you coming?\n> Bringing anything?',
    });
  });

  it('cuts at an Outlook "Original Message" line', () => {
    expect(trimReply('Fine by me.\n\n-----Original Message-----\nFrom: Hub\nSent: today').body).toBe(
      'Fine by me.',
    );
  });

  it('cuts a German quote header and a "Get Outlook for iOS" signature', () => {
    expect(trimReply('Danke!\n\nGet Outlook for iOS\n').body).toBe('Danke!');
    expect(trimReply('Gern.\n\nAm 24.11.2026 um 09:00 schrieb Hub <h@x.org>:\n> Hallo').body).toBe('Gern.');
  });

  it('returns nothing when the reply is only quoted text', () => {
    expect(trimReply('> just the quote\n').body).toBe('');
  });
});

describe('htmlToText', () => {
  it('cuts an HTML-only Outlook reply at divRplyFwdMsg and decodes entities', () => {
    const html =
      '<html><body><p>Sure &amp; thanks &#8212; see you.</p><div id="divRplyFwdMsg"><b>From:</b> Hub</div><p>Original</p></body></html>';
    expect(trimReply(htmlToText(html)).body).toBe('Sure & thanks — see you.');
  });

  it('cuts at a Thunderbird moz-cite-prefix and drops styles', () => {
    const html =
      '<style>p{color:red}</style><p>Yes</p><div class="moz-cite-prefix">On 24/11/2026, Hub wrote:</div><blockquote>old</blockquote>';
    expect(trimReply(htmlToText(html)).body).toBe('Yes');
  });
});
