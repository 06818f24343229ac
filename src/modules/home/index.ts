import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { homeRoutes } from './home.routes.ts';

export { type Dashboard, dashboardOf, siteViewer } from './home.usecases.ts';

/**
 * The hub's home: the landing page and the signed-in dashboard, composed from the other modules' index.ts
 * reads. It sits above every module it shows (none imports it), so it adds no cycle.
 */
export async function registerHome(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(homeRoutes, { deps });
}
