import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { registerActivityJobs } from './activity.jobs.ts';
import { activityRoutes } from './activity.routes.ts';
import { activityPages } from './activity.web.tsx';

export { activityFeed, type FeedPage, type FeedRequest } from './activity.feed.ts';
export {
  type Activity,
  deleteActivity,
  getFeedSettings,
  PUBLISH_SCOPE,
  type Published,
  publishActivity,
  putActivity,
  setFeedPrivate,
} from './activity.usecases.ts';
export type { ActivityInput } from './activity.validation.ts';
export { renderFeed } from './activity.web.tsx';

/**
 * The activity feed: apps publish activities (with the person's grant, or anonymously), anyone reads them
 * by noun (JSON or Activity Streams 2.0), the hub's own events add activities, and people delete theirs or
 * make their feed private. Authenticators come from identity (session) and oauth (app tokens).
 */
export async function registerActivity(app: FastifyInstance, deps: Deps, _auth: AuthenticatorRegistry) {
  registerActivityJobs(deps);
  await app.register(activityRoutes, { deps });
  await app.register(activityPages, { deps });
}
