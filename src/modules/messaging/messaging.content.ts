import { markdownToHtml } from '../../lib/markdown.ts';

export type ContentFormat = 'text' | 'markdown';

export interface RenderedContent {
  readonly text: string;
  readonly html: string;
}

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
    return { text: source, html: markdownToHtml(source) };
  }
  const html = source
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return { text: source, html };
}
