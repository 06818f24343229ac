import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

export type ContentFormat = 'text' | 'markdown';

export interface RenderedContent {
  readonly text: string;
  readonly html: string;
}

// Raw HTML in Markdown is escaped by markdown-it (html: false) and link targets are checked by its
// validateLink; sanitize-html then enforces an allowlist anyway, so a parser bug cannot become XSS in a
// mail client or the inbox page.
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'hr',
    's',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer' } }),
  },
};

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Turns what an app sent into the HTML and plain-text parts of the message. */
export function renderContent(content: string, format: ContentFormat): RenderedContent {
  const source = content.replace(/\r\n?/g, '\n').trim();
  if (format === 'markdown') {
    return { text: source, html: sanitizeHtml(markdown.render(source), ALLOWED).trim() };
  }
  const html = source
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return { text: source, html };
}
