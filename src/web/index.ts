import type { FastifyInstance } from 'fastify';
import { SITE_CSS } from './styles.ts';

export { Layout, type PageProps, renderPage } from './layout.tsx';

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
