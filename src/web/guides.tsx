import { readdirSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import MarkdownIt from 'markdown-it';
import { type Static, Type } from 'typebox';
import { AppError } from '../errors/index.ts';
import { renderPage } from './layout.tsx';
import { sendHtml } from './reply.ts';

/**
 * The guides in docs/ served as pages at /guides/<name>, so pages can link "docs/webhooks.md" to something a
 * person can open instead of naming a file in the repository. The files ship with the hub; they are trusted
 * text, and markdown-it runs with raw HTML off (it is escaped) and its own link validation on.
 */
const DOCS = new URL('../../docs/', import.meta.url);
const NAME = /^[a-z][a-z0-9-]{0,40}$/;
const markdown = new MarkdownIt({ html: false, linkify: false });

// Links between guides (`webhooks.md#x`) point at their pages; other relative links at the repository stay text.
const defaultLink =
  markdown.renderer.rules.link_open ??
  ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
markdown.renderer.rules.link_open = (tokens, i, options, env, self) => {
  const token = tokens[i];
  const href = token?.attrGet('href');
  const guide = typeof href === 'string' ? /^([a-z][a-z0-9-]*)\.md(#[\w-]*)?$/.exec(href) : null;
  if (token && guide) token.attrSet('href', `/guides/${guide[1]}${guide[2] ?? ''}`);
  return defaultLink(tokens, i, options, env, self);
};

interface Guide {
  readonly name: string;
  readonly title: string;
  readonly source: string;
}

let cached: Map<string, Guide> | undefined;

function guides(): Map<string, Guide> {
  if (cached) return cached;
  const found = new Map<string, Guide>();
  let files: string[] = [];
  try {
    files = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
  } catch {
    // A deployment without docs/ has no guides; the index says so.
  }
  for (const file of files.sort()) {
    const name = file.slice(0, -3);
    if (!NAME.test(name)) continue;
    const source = readFileSync(new URL(file, DOCS), 'utf8');
    const title = /^#\s+(.+)$/m.exec(source)?.[1]?.trim() ?? name;
    found.set(name, { name, title, source });
  }
  cached = found;
  return found;
}

const GuideParams = Type.Object({ name: Type.String({ maxLength: 60 }) });

export async function guideRoutes(app: FastifyInstance): Promise<void> {
  app.get('/guides', { schema: { hide: true } }, async (_request, reply) => {
    const list = [...guides().values()];
    return sendHtml(
      reply,
      renderPage({
        title: 'Guides',
        children: (
          <>
            <h1>Guides</h1>
            <p>
              How to run Learnhub and build on it. The <a href="/docs">API reference</a> lists every endpoint.
            </p>
            {list.length === 0 ? (
              <p class="muted">The guides are not installed with this hub.</p>
            ) : (
              <ul>
                {list.map((g) => (
                  <li key={g.name}>
                    <a href={`/guides/${g.name}`}>{g.title}</a>
                  </li>
                ))}
              </ul>
            )}
          </>
        ),
      }),
    );
  });

  app.get<{ Params: Static<typeof GuideParams> }>(
    '/guides/:name',
    { schema: { hide: true, params: GuideParams } },
    async (request, reply) => {
      const guide = guides().get(request.params.name.replace(/\.md$/, ''));
      if (!guide) throw new AppError('route.not_found', `There is no guide called ${request.params.name}.`);
      return sendHtml(
        reply,
        renderPage({
          title: guide.title,
          children: (
            <article class="guide">
              <p>
                <a href="/guides">All guides</a>
              </p>
              {/* The hub's own docs; raw HTML in them is escaped by markdown-it. */}
              <div dangerouslySetInnerHTML={{ __html: markdown.render(guide.source) }} />
            </article>
          ),
        }),
      );
    },
  );
}
