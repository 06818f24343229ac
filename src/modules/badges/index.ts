import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { AuthenticatorRegistry } from '../../http/auth.ts';
import { addProfileSection } from '../identity/index.ts';
import { backpackPages } from './badges.backpack.routes.tsx';
import { badgeErrors } from './badges.errors.ts';
import { registerBadgeJobs } from './badges.jobs.ts';
import { obRoutes } from './badges.ob.routes.tsx';
import { renderBadges } from './badges.pages.tsx';
import { badgeRoutes } from './badges.routes.ts';
import type { WebhookDeps } from './badges.webhooks.ts';

export * from './badges.applications.ts';
export type {
  ApplicationRow,
  ClaimCodeRow,
  EvidenceRow,
  InstanceRow,
  ReviewItemRow,
  ReviewRow,
} from './badges.awards.repository.ts';
export type { AwardDeps } from './badges.awards.ts';
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
export { bakePng, bakeSvg, extractPng, extractSvg } from './badges.bake.ts';
export { badgeForCode, claimCode, createCode, deleteCode, getCode, listCodes } from './badges.codes.ts';
export {
  type ContainerView,
  type ContextRef,
  createContainer,
  deleteContainer,
  getContainer,
  getContainerChain,
  listContainers,
  updateContainer,
} from './badges.containers.ts';
export {
  changeSupport,
  createMilestone,
  deleteMilestone,
  getMilestone,
  listMilestones,
  type MilestoneView,
  updateMilestone,
} from './badges.milestones.ts';
export { awardBySlug, badgeBySlug, imageBySlug } from './badges.ob2.ts';
export { issueOb3, ob3Credential, vcStack, verifyOb3 } from './badges.ob3.ts';
export type { IssuerRow, Page, ProgramRow, SystemRow } from './badges.repository.ts';
export * from './badges.reviews.ts';
export { awardableBadge, awardByRule, type RuleBadge, ruleBadge } from './badges.rules.ts';
export {
  allBadgeLocations,
  type BadgeListKey,
  type BadgeView,
  badgeListKey,
  createBadge,
  deleteBadge,
  getBadge,
  listBadges,
  parseArchived,
  publicBadge,
  updateBadge,
} from './badges.usecases.ts';
export {
  type BadgekitWebhookBody,
  type BadgekitWebhookEvent,
  consumerSecret,
  createConsumer,
  setWebhook,
  signWebhookBody,
  type WebhookDeps,
} from './badges.webhooks.ts';
export const badgeNotFound = (message: string) => badgeErrors.notFoundMessage(message);
export { type ProfileAward, ProfileBadges, profileBadges, renderBadges } from './badges.pages.tsx';

/** Badges: BadgeKit-compatible issuing, Open Badges documents under /ob, the native API and profile badges. */
export async function registerBadges(
  app: FastifyInstance,
  deps: Deps,
  _auth: AuthenticatorRegistry,
  webhooks: WebhookDeps,
) {
  registerBadgeJobs(deps);
  addProfileSection(app, {
    id: 'badges',
    heading: 'Badges',
    order: 10,
    empty: 'No badges yet.',
    render: (person) => renderBadges(deps, person),
  });
  await app.register(obRoutes, { deps });
  await app.register(badgeRoutes, { deps: { ...deps, ...webhooks } });
  await app.register(backpackPages, { deps });
}
