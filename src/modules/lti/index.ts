import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { registerScoreJobs } from './lti.ags.ts';
import { deepLinkRoutes } from './lti.deeplink.tsx';
import { PlatformKeys } from './lti.jwks.ts';
import { handleLaunch, type LaunchBody, ltiLaunchRoutes } from './lti.launch.routes.ts';
import { registerRosterJobs } from './lti.nrps.ts';
import { ltiOpsRoutes } from './lti.ops.routes.ts';
import { ltiAdminRoutes } from './lti.routes.ts';

export {
  type ActivityProgress,
  type GradingProgress,
  publishScore,
  type ScoreInput,
} from './lti.ags.ts';
export { type ActivityResolver, type ActivityTarget, registerActivityResolver } from './lti.hooks.ts';
export { listToolKeySummaries, rotateToolKey } from './lti.keys.ts';
export { createPlatform, type Platform, type PlatformInput, toolUrls } from './lti.platforms.ts';
export { registrationUrl } from './lti.register.ts';
export { keyJson, platformJson } from './lti.routes.ts';

const platformKeys = new WeakMap<object, PlatformKeys>();

/**
 * The launch handler for a dialect that receives LTI launches on its own paths (OpenLearning's
 * `/openlearning/lti/<launch path>`): same checks, same HTML pages, whatever the dialect's error shape.
 */
export function ltiLaunchHandler(deps: Deps) {
  return (
    request: FastifyRequest<{ Body: Static<typeof LaunchBody> }>,
    reply: FastifyReply,
    launchPath: string,
  ) => {
    const keys = platformKeys.get(deps.jobs) ?? new PlatformKeys(deps);
    platformKeys.set(deps.jobs, keys);
    return handleLaunch(deps, keys, request, reply, launchPath || undefined);
  };
}
export { LaunchBody } from './lti.launch.routes.ts';

/** LTI 1.3 Advantage tool: registrations, login and launch, deep linking, the tool's keys. */
export async function registerLti(app: FastifyInstance, deps: Deps, _auth: AuthenticatorRegistry) {
  const keys = platformKeys.get(deps.jobs) ?? new PlatformKeys(deps);
  platformKeys.set(deps.jobs, keys);
  registerScoreJobs(deps);
  registerRosterJobs(deps);
  await app.register(ltiAdminRoutes, { deps });
  await app.register(ltiOpsRoutes, { deps });
  await app.register(ltiLaunchRoutes, { deps, keys });
  await app.register(deepLinkRoutes, { deps });
}
