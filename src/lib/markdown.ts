import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Raw HTML in Markdown is escaped by markdown-it (html: false) and link targets are checked by its
// validateLink; sanitize-html then enforces an allowlist anyway, so a parser bug cannot become XSS in a
// mail client, the inbox or a course page. Messages and course descriptions share this one sanitiser.
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

/** Markdown to sanitised HTML, safe to embed in a page or a mail. */
export function markdownToHtml(source: string): string {
  return sanitizeHtml(markdown.render(source.replace(/\r\n?/g, '\n')), ALLOWED).trim();
}

/**
 * Headings shifted down (h1 -> h3 ...), for Markdown shown under a page's own h1/h2, so the outline of the
 * page stays in order for screen readers.
 */
export function markdownToHtmlUnder(source: string, level: 2 | 3): string {
  const shift = level - 1;
  return sanitizeHtml(markdownToHtml(source), {
    ...ALLOWED,
    transformTags: {
      h1: `h${Math.min(1 + shift, 6)}`,
      h2: `h${Math.min(2 + shift, 6)}`,
      h3: `h${Math.min(3 + shift, 6)}`,
      h4: `h${Math.min(4 + shift, 6)}`,
    },
    allowedTags: [...(ALLOWED.allowedTags || []), 'h5', 'h6'],
  });
}

/**
 * The first paragraph of Markdown as plain text (a list's summary), cut at about `max` characters on a word
 * boundary. Falls back to all the text when there is no paragraph (a description that is only a list).
 */
export function markdownExcerpt(source: string, max: number): string {
  const html = markdown.render(source.replace(/\r\n?/g, '\n'));
  const first = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? html;
  const text = sanitizeHtml(first, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
