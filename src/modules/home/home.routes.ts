import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { sendHtml } from '../../web/index.ts';
import { sessionUser } from '../identity/index.ts';
import { DashboardPage, LandingPage } from './home.pages.tsx';
import { dashboardOf } from './home.usecases.ts';

/** `/`: the landing page for visitors, the dashboard for a signed-in person. */
export async function homeRoutes(app: FastifyInstance, { deps }: { deps: Deps }): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const user = await sessionUser(deps, request);
    // The page differs per person: never from a shared cache.
    reply.header('cache-control', 'no-store');
    if (!user) return sendHtml(reply, LandingPage());
    return sendHtml(reply, DashboardPage(await dashboardOf(deps, user)));
  });
}
