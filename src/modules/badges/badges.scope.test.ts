import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Principal } from '../../http/principal.ts';
import * as applications from './badges.applications.ts';
import * as awards from './badges.awards.ts';
import * as codes from './badges.codes.ts';
import * as containers from './badges.containers.ts';
import * as milestones from './badges.milestones.ts';
import * as reviews from './badges.reviews.ts';
import {
  badgeInput,
  consumerOf,
  countRows,
  MASTER,
  recordingDeps,
  seedBadge,
  seedSystem,
} from './badges.testing.ts';
import * as badges from './badges.usecases.ts';

// System scoping (badges.policies.ts) as the use-cases apply it, whatever surface calls them.
const apps = { ...applications, ...reviews };
let t: TestApp;
let alphaId = 0;
let betaBadgeId = 0;
let milestoneId = '';
let applicationSlug = '';
let reviewSlug = '';
const B = { system: 'beta' };
const BI = { system: 'beta', issuer: 'beta-issuer' };
const TABLES = [
  'badge_systems',
  'badge_issuers',
  'badge_programs',
  'badges',
  'badge_claim_codes',
  'badge_instances',
  'badge_applications',
  'badge_reviews',
  'badge_milestones',
  'badge_milestone_badges',
];

beforeAll(async () => {
  t = await buildTestApp();
  alphaId = await seedSystem(t, 'alpha');
  await seedSystem(t, 'beta');
  const d = recordingDeps(t);
  const badge = await seedBadge(t, BI, 'beta-badge');
  betaBadgeId = badge.row.id;
  const primary = await seedBadge(t, B, 'beta-primary');
  await codes.createCode(d, MASTER, BI, 'beta-badge', { code: 'BETA-CODE' }, false);
  await awards.createInstance(d, MASTER, BI, 'beta-badge', { email: 'learner@example.org' });
  const application = await apps.createApplication(d, MASTER, BI, 'beta-badge', {
    learner: 'applicant@example.org',
  });
  applicationSlug = application.row.slug;
  const review = await apps.createReview(d, MASTER, BI, 'beta-badge', applicationSlug, {
    author: 'reviewer@example.org',
  });
  reviewSlug = review.row.slug;
  const milestone = await milestones.createMilestone(d, MASTER, 'beta', {
    primaryBadgeId: primary.row.id,
    numberRequired: 1,
    supportBadges: [betaBadgeId],
  });
  milestoneId = String(milestone.row.id);
});
afterAll(() => t.close());

/** Every use-case that reads or changes something in system beta, called as `who`. */
function everyUseCase(who: Principal) {
  const d = recordingDeps(t);
  const app = [BI, 'beta-badge', applicationSlug] as const;
  return {
    getContainer: () => containers.getContainer(d, who, BI),
    listIssuers: () => containers.listContainers(d, who, B),
    createIssuer: () => containers.createContainer(d, who, B, { slug: 'x', name: 'X', url: 'https://x.org' }),
    updateSystem: () => containers.updateContainer(d, who, B, { name: 'Taken' }),
    deleteIssuer: () => containers.deleteContainer(d, who, BI),
    listBadges: () => badges.listBadges(d, who, BI, 'any'),
    badgeListKey: () => badges.badgeListKey(d, who, BI),
    getBadge: () => badges.getBadge(d, who, BI, 'beta-badge'),
    createBadge: () => badges.createBadge(d, who, BI, badgeInput({ slug: 'planted' })),
    updateBadge: () => badges.updateBadge(d, who, BI, 'beta-badge', { name: 'Renamed' }),
    deleteBadge: () => badges.deleteBadge(d, who, BI, 'beta-badge'),
    listCodes: () => codes.listCodes(d, who, BI, 'beta-badge'),
    createCode: () => codes.createCode(d, who, BI, 'beta-badge', { code: 'MINE' }, false),
    getCode: () => codes.getCode(d, who, BI, 'beta-badge', 'BETA-CODE'),
    deleteCode: () => codes.deleteCode(d, who, BI, 'beta-badge', 'BETA-CODE'),
    claimCode: () => codes.claimCode(d, who, BI, 'beta-badge', 'BETA-CODE', {}),
    badgeForCode: () => codes.badgeForCode(d, who, B, 'BETA-CODE'),
    award: () => awards.createInstance(d, who, BI, 'beta-badge', { email: 'me@example.org' }),
    awardMany: () => awards.createInstances(d, who, BI, 'beta-badge', { emails: ['me@example.org'] }),
    listAwards: () => awards.listInstances(d, who, BI, 'beta-badge'),
    getAward: () => awards.getInstance(d, who, BI, 'beta-badge', 'learner@example.org'),
    learnerAwards: () => awards.learnerInstances(d, who, B, 'learner@example.org'),
    revoke: () => awards.revokeInstance(d, who, BI, 'beta-badge', 'learner@example.org'),
    listApplications: () => apps.listApplications(d, who, B, undefined, { processed: 'any' }),
    apply: () => apps.createApplication(d, who, BI, 'beta-badge', { learner: 'me@example.org' }),
    getApplication: () => apps.getApplication(d, who, ...app),
    updateApplication: () => apps.updateApplication(d, who, ...app, { assignedTo: 'me@example.org' }),
    deleteApplication: () => apps.deleteApplication(d, who, ...app),
    listReviews: () => apps.listReviews(d, who, ...app),
    review: () => apps.createReview(d, who, ...app, { author: 'me@example.org' }),
    getReview: () => apps.getReview(d, who, ...app, reviewSlug),
    updateReview: () => apps.updateReview(d, who, ...app, reviewSlug, { comment: 'mine' }),
    deleteReview: () => apps.deleteReview(d, who, ...app, reviewSlug),
    listMilestones: () => milestones.listMilestones(d, who, B),
    createMilestone: () =>
      milestones.createMilestone(d, who, 'beta', {
        primaryBadgeId: betaBadgeId,
        numberRequired: 1,
        supportBadges: [],
      }),
    getMilestone: () => milestones.getMilestone(d, who, 'beta', milestoneId),
    updateMilestone: () => milestones.updateMilestone(d, who, 'beta', milestoneId, { numberRequired: 5 }),
    deleteMilestone: () => milestones.deleteMilestone(d, who, 'beta', milestoneId),
    changeSupport: () =>
      milestones.changeSupport(d, who, 'beta', milestoneId, { badgeId: betaBadgeId }, false),
  };
}

async function counts() {
  return Object.fromEntries(await Promise.all(TABLES.map(async (n) => [n, await countRows(t, n)])));
}

describe('system scoping in the badge use-cases', () => {
  it("refuses a consumer of another system every read and change of the system's contents, changing nothing", async () => {
    const before = await counts();
    const calls = Object.entries(everyUseCase(consumerOf(alphaId)));
    expect(calls.length).toBeGreaterThan(35);
    for (const [name, call] of calls) {
      await expect(call(), name).rejects.toMatchObject({ code: 'badges.forbidden', status: 403 });
    }
    expect(await counts()).toEqual(before);
    const kept = await badges.getBadge(t.deps, MASTER, BI, 'beta-badge');
    expect(kept.row.name).toBe('Badge beta-badge');
  });

  it('refuses principals with no BadgeKit system (anonymous, a non-admin operator, a user) alike', async () => {
    const others: Principal[] = [
      { kind: 'anonymous' },
      { kind: 'operator', tokenId: 'op', admin: false },
      { kind: 'user', userId: 'u1', admin: true },
      { kind: 'app', appId: 'some-app', scopes: ['badges:award'] },
    ];
    for (const who of others) {
      const calls = everyUseCase(who);
      await expect(calls.getBadge()).rejects.toMatchObject({ code: 'badges.forbidden' });
      await expect(calls.award()).rejects.toMatchObject({ code: 'badges.forbidden' });
    }
  });

  it('answers a confined consumer the same for a missing system as for another one (no existence probe)', async () => {
    const missing = { system: 'no-such-system' };
    const d = recordingDeps(t);
    await expect(badges.getBadge(d, consumerOf(alphaId), missing, 'x')).rejects.toMatchObject({
      code: 'badges.forbidden',
    });
    await expect(badges.badgeListKey(d, consumerOf(alphaId), missing)).rejects.toMatchObject({
      code: 'badges.forbidden',
    });
    await expect(badges.getBadge(d, MASTER, missing, 'x')).rejects.toMatchObject({
      code: 'badges.not_found',
    });
  });

  it('keeps listing and creating systems to the master key and admin operators', async () => {
    const d = recordingDeps(t);
    const consumer = consumerOf(alphaId);
    await expect(containers.listContainers(d, consumer, undefined)).rejects.toMatchObject({
      code: 'badges.forbidden',
    });
    const input = { slug: 'gamma', name: 'Gamma', url: 'https://gamma.example.org' };
    await expect(containers.createContainer(d, consumer, undefined, input)).rejects.toMatchObject({
      code: 'badges.forbidden',
    });
    expect(await countRows(t, 'badge_systems')).toBe(2);
    const operator: Principal = { kind: 'operator', tokenId: 'op', admin: true };
    await containers.createContainer(d, operator, undefined, input);
    const all = await containers.listContainers(d, MASTER, undefined);
    expect(all.items.map((s) => s.row.slug)).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('lets a consumer do all of it in its own system, and an app only in its own app system', async () => {
    const d = recordingDeps(t);
    const own = consumerOf(alphaId);
    const created = await badges.createBadge(d, own, { system: 'alpha' }, badgeInput({ slug: 'mine' }));
    expect(created.row.systemId).toBe(alphaId);
    const award = await awards.createInstance(d, own, { system: 'alpha' }, 'mine', {
      email: 'a@example.org',
    });
    expect(award.email).toBe('a@example.org');
    const app: Principal = { kind: 'app', appId: 'app1', scopes: [] };
    await containers.createContainer(d, app, undefined, {
      slug: 'app-app1',
      name: 'A',
      url: 'https://a.org',
    });
    await expect(
      containers.createContainer(d, app, undefined, { slug: 'app-app2', name: 'B', url: 'https://b.org' }),
    ).rejects.toMatchObject({ code: 'badges.forbidden' });
    await badges.createBadge(d, app, { system: 'app-app1' }, badgeInput({ slug: 'app-badge' }));
    await expect(badges.getBadge(d, app, { system: 'alpha' }, 'mine')).rejects.toMatchObject({
      code: 'badges.forbidden',
    });
  });
});
