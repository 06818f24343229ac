import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { addProfileSection } from '../identity/index.ts';
import { backpackPages } from './badges.backpack.routes.tsx';
import { badgeErrors } from './badges.errors.ts';
import { obRoutes } from './badges.ob.routes.tsx';
import { renderBadges } from './badges.pages.tsx';
import { badgeRoutes } from './badges.routes.ts';
import { deliverBadgekitWebhook, WEBHOOK_JOB } from './badges.webhooks.ts';

export * from './badges.applications.ts';
export {
  assertionUrl,
  createInstance,
  createInstances,
  emailHash,
  getInstance,
  learnerInstances,
  listInstances,
  revokeInstance,
} from './badges.awards.ts';
export {
  allBadgeLocations,
  type BadgeView,
  createBadge,
  deleteBadge,
  getBadge,
  listBadges,
  parseArchived,
  updateBadge,
} from './badges.badges.ts';
export { bakePng, bakeSvg, extractPng, extractSvg } from './badges.bake.ts';
export { badgeForCode, claimCode, createCode, deleteCode, getCode, listCodes } from './badges.codes.ts';
export {
  type ContextRef,
  createContainer,
  deleteContainer,
  getContainer,
  getContainerChain,
  listContainers,
  updateContainer,
} from './badges.containers.ts';
export { listBadgesJson } from './badges.listcache.ts';
export {
  changeSupport,
  createMilestone,
  deleteMilestone,
  getMilestone,
  listMilestones,
  updateMilestone,
} from './badges.milestones.ts';
export { awardBySlug, badgeBySlug, imageBySlug } from './badges.ob2.ts';
export { issueOb3, ob3Credential, vcStack, verifyOb3 } from './badges.ob3.ts';
export type { Page } from './badges.repository.ts';
export { consumerSecret, createConsumer, setWebhook, signWebhookBody } from './badges.webhooks.ts';
export const badgeNotFound = (message: string) => badgeErrors.notFoundMessage(message);
export { type ProfileAward, ProfileBadges, profileBadges, renderBadges } from './badges.pages.tsx';
export {
  applicationJson,
  badgeJson,
  claimCodeJson,
  containerJson,
  instanceJson,
  milestoneJson,
  reviewJson,
} from './badges.wire.ts';

/** Badges: BadgeKit-compatible issuing, Open Badges documents under /ob, the native API and profile badges. */
export async function registerBadges(app: FastifyInstance, deps: Deps, _auth: AuthenticatorRegistry) {
  deps.jobs.register<{ delivery_id: string }>(WEBHOOK_JOB, ({ delivery_id }) =>
    deliverBadgekitWebhook(deps, delivery_id),
  );
  addProfileSection(app, {
    id: 'badges',
    heading: 'Badges',
    order: 10,
    empty: 'No badges yet.',
    render: (person) => renderBadges(deps, person),
  });
  await app.register(obRoutes, { deps });
  await app.register(badgeRoutes, { deps });
  await app.register(backpackPages, { deps });
}
