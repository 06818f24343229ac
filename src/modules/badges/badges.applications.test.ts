import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import * as applications from './badges.applications.ts';
import * as reviews from './badges.reviews.ts';
import { countRows, eventsOfType, MASTER, recordingDeps, seedBadge, seedSystem } from './badges.testing.ts';
import { setWebhook } from './badges.webhooks.ts';

// Applications and reviews through the use-cases; each case seeds its own system.
const apps = { ...applications, ...reviews };
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

async function world(slug: string, withHook = false) {
  await seedSystem(t, slug);
  if (withHook) await setWebhook(t.deps, slug, `https://${slug}.example.org/hook`, 'a-webhook-secret-0123');
  const ref = { system: slug, issuer: `${slug}-issuer` };
  const badge = await seedBadge(t, ref, `${slug}-badge`, {
    criteria: [
      { description: 'Built a thing', required: 1 },
      { description: 'Wrote about it', required: 0 },
    ],
  });
  return { ref, badge, d: recordingDeps(t) };
}

describe('applications', () => {
  it('takes an application with evidence, lists it by filter, and marks it processed', async () => {
    const { ref, d } = await world('ap1');
    const created = await apps.createApplication(d, MASTER, ref, 'ap1-badge', {
      learner: 'Applicant@Example.org',
      evidence: [{ url: 'https://example.org/work', mediaType: 'link', reflection: 'I built it' }],
    });
    expect(created.row.learner).toBe('applicant@example.org');
    expect(created.evidence).toMatchObject([{ url: 'https://example.org/work', mediaType: 'link' }]);
    const open = await apps.listApplications(d, MASTER, { system: 'ap1' }, undefined, { processed: false });
    expect(open.items.map((a) => a.row.slug)).toEqual([created.row.slug]);
    await apps.updateApplication(d, MASTER, ref, 'ap1-badge', created.row.slug, {
      processed: '2026-01-02T03:04:05Z',
    });
    const processed = await apps.listApplications(d, MASTER, ref, 'ap1-badge', { processed: true });
    expect(processed.items[0]?.row.processed?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    const byEmail = await apps.listApplications(d, MASTER, ref, undefined, {
      processed: 'any',
      email: 'someone-else@example.org',
    });
    expect(byEmail.total).toBe(0);
  });

  it('refuses bad evidence, a missing learner and a bad filter, storing nothing', async () => {
    const { ref, d } = await world('ap2');
    const before = await countRows(t, 'badge_applications');
    await expect(
      apps.createApplication(d, MASTER, ref, 'ap2-badge', {
        evidence: [{ url: 'javascript:alert(1)' }, { mediaType: 'video' }],
      }),
    ).rejects.toMatchObject({
      code: 'badges.invalid',
      details: {
        errors: [{ field: 'learner' }, { field: 'evidence.0.url' }, { field: 'evidence.1.mediaType' }],
      },
    });
    expect(() => apps.parseProcessed('maybe')).toThrow(
      expect.objectContaining({ code: 'badges.invalid_parameter' }),
    );
    await expect(
      apps.getApplication(d, MASTER, ref, 'ap2-badge', 'no-such-application'),
    ).rejects.toMatchObject({ code: 'badges.not_found' });
    expect(await countRows(t, 'badge_applications')).toBe(before);
  });
});

describe('reviews', () => {
  it('approves only when every required criterion is satisfied, with the review webhook and event', async () => {
    const { ref, badge, d } = await world('rv', true);
    const [required, optional] = badge.row.criteria;
    const app = await apps.createApplication(d, MASTER, ref, 'rv-badge', { learner: 'l@example.org' });
    const partial = await apps.createReview(d, MASTER, ref, 'rv-badge', app.row.slug, {
      author: 'Reviewer@Example.org',
      reviewItems: [{ criterionId: optional?.id, satisfied: 1 }],
    });
    expect(partial.row.author).toBe('reviewer@example.org');
    const full = await apps.updateReview(d, MASTER, ref, 'rv-badge', app.row.slug, partial.row.slug, {
      reviewItems: [
        { criterionId: required?.id, satisfied: true, comment: 'yes' },
        { criterionId: optional?.id, satisfied: 0 },
      ],
    });
    expect(full.items).toHaveLength(2);
    expect(d.events.map((e) => (e.action === 'review' ? e.approved : e.action))).toEqual([false, true]);
    const events = (await eventsOfType(t, 'application.reviewed')).filter(
      (e) => (e.application as { id: string }).id === app.row.slug,
    );
    expect(events.map((e) => e.approved)).toEqual([false, true]);
    const listed = await apps.listReviews(d, MASTER, ref, 'rv-badge', app.row.slug);
    expect(listed.items.map((r) => r.row.slug)).toEqual([partial.row.slug]);
  });

  it('refuses a review without author or with bad items, and a review of a missing application', async () => {
    const { ref, d } = await world('rv2');
    const app = await apps.createApplication(d, MASTER, ref, 'rv2-badge', { learner: 'l@example.org' });
    const before = await countRows(t, 'badge_reviews');
    await expect(
      apps.createReview(d, MASTER, ref, 'rv2-badge', app.row.slug, {
        reviewItems: [{ criterionId: 'x', satisfied: 'perhaps' }],
      }),
    ).rejects.toMatchObject({
      code: 'badges.invalid',
      details: {
        errors: [
          { field: 'author' },
          { field: 'reviewItems.0.criterionId' },
          { field: 'reviewItems.0.satisfied' },
        ],
      },
    });
    await expect(
      apps.createReview(d, MASTER, ref, 'rv2-badge', 'missing', { author: 'a@example.org' }),
    ).rejects.toMatchObject({ code: 'badges.not_found' });
    expect(d.events).toEqual([]);
    expect(await countRows(t, 'badge_reviews')).toBe(before);
  });

  it('deletes a review and then an application, each gone afterwards', async () => {
    const { ref, d } = await world('rv3');
    const app = await apps.createApplication(d, MASTER, ref, 'rv3-badge', { learner: 'l@example.org' });
    const review = await apps.createReview(d, MASTER, ref, 'rv3-badge', app.row.slug, {
      author: 'a@example.org',
    });
    await apps.deleteReview(d, MASTER, ref, 'rv3-badge', app.row.slug, review.row.slug);
    await expect(
      apps.getReview(d, MASTER, ref, 'rv3-badge', app.row.slug, review.row.slug),
    ).rejects.toMatchObject({ code: 'badges.not_found' });
    await apps.deleteApplication(d, MASTER, ref, 'rv3-badge', app.row.slug);
    await expect(apps.getApplication(d, MASTER, ref, 'rv3-badge', app.row.slug)).rejects.toMatchObject({
      code: 'badges.not_found',
    });
  });
});
