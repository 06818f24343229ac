import type { FastifyInstance, FastifyReply } from 'fastify';
import { guideRoutes } from './guides.tsx';
import { faviconIco, ICON_SVG, iconPng, MANIFEST } from './icons.ts';
import { SITE_CSS } from './styles.ts';

export { type ChromeOptions, installSiteChrome, type ViewerLookup } from './chrome.ts';
export { assertCsrf, CSRF_FIELD, CsrfField, csrfToken } from './csrf.ts';
export { installPageErrorHandler, sendErrorPage, wantsHtml } from './error-page.tsx';
export { ConfirmButton, Field, type FieldProps, HiddenField, Notice, SelectField } from './forms.tsx';
export { ICON_SVG } from './icons.ts';
export { Layout, type PageProps, renderPage, type Viewer } from './layout.tsx';
export { sendHtml } from './reply.ts';
export { safeReturnTo } from './return-to.ts';

const DAY = 'public, max-age=86400';

function asset(reply: FastifyReply, type: string, cache = DAY): FastifyReply {
  return reply.type(type).header('cache-control', cache);
}

/** The stylesheet, the icon in its forms (favicon.ico, SVG, PNGs), the web app manifest and the guides. */
export async function webAssets(app: FastifyInstance): Promise<void> {
  const options = { schema: { hide: true }, config: { rateLimit: false } };
  app.get('/assets/site.css', options, async (_req, reply) =>
    asset(reply, 'text/css; charset=utf-8', 'public, max-age=3600').send(SITE_CSS),
  );
  app.get('/favicon.ico', options, async (_req, reply) => asset(reply, 'image/x-icon').send(faviconIco()));
  app.get('/icon.svg', options, async (_req, reply) => asset(reply, 'image/svg+xml').send(ICON_SVG));
  app.get('/icon-192.png', options, async (_req, reply) => asset(reply, 'image/png').send(iconPng(192)));
  app.get('/icon-512.png', options, async (_req, reply) => asset(reply, 'image/png').send(iconPng(512)));
  app.get('/manifest.webmanifest', options, async (_req, reply) =>
    asset(reply, 'application/manifest+json').send(JSON.stringify(MANIFEST)),
  );
  await app.register(guideRoutes);
}
