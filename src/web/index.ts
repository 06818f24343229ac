import type { FastifyInstance } from 'fastify';
import { SITE_CSS } from './styles.ts';

export { assertCsrf, CSRF_FIELD, CsrfField, csrfToken } from './csrf.ts';
export { installPageErrorHandler } from './error-page.tsx';
export { Field, type FieldProps, HiddenField, Notice } from './forms.tsx';
export { Layout, type PageProps, renderPage } from './layout.tsx';
export { sendHtml } from './reply.ts';
export { safeReturnTo } from './return-to.ts';

export async function webAssets(app: FastifyInstance): Promise<void> {
  app.get(
    '/assets/site.css',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (_req, reply) => {
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600');
      return SITE_CSS;
    },
  );
}
