import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { platformRoutes } from './platforms.routes.ts';

export { platformErrors } from './platforms.errors.ts';
export { hubIdOf, type IntegerKind, integerIds } from './platforms.ids.ts';
export {
  type CourseNotification,
  courseNotificationsNow,
  MAX_NOTIFICATION,
  pageCourseNotifications,
  postCourseNotification,
} from './platforms.notifications.ts';
export { platformJson } from './platforms.routes.ts';
export { CLOCK_SKEW_S, MAX_LIFETIME_S, PlatformTokens } from './platforms.tokens.ts';
export {
  createPlatform,
  getPlatform,
  listPlatforms,
  type Platform,
  type PlatformInput,
  scopeOf,
  serviceUrl,
  setPlatformEnabled,
} from './platforms.usecases.ts';

/**
 * LMS platforms registered to read the hub (the peerScholar dialect authenticates them), the integer ids
 * that wire format uses, and course notifications posted by platforms.
 */
export async function registerPlatforms(app: FastifyInstance, deps: Deps, _auth: AuthenticatorRegistry) {
  await app.register(platformRoutes, { deps });
}
