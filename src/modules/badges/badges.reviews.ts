import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { type AppDeps, applicationViews, loadApplication, newSlug } from './badges.applications.ts';
import type { ReviewRow } from './badges.awards.repository.ts';
import * as awards from './badges.awards.repository.ts';
import type { ContextRef } from './badges.containers.ts';
import { badgeErrors } from './badges.errors.ts';
import type { Page } from './badges.repository.ts';
import { Checker, type Input } from './badges.validation.ts';
import { queueBadgekitWebhook, type WebhookDeps } from './badges.webhooks.ts';

/** Reviews of badge applications. */
type ReviewDeps = AppDeps & WebhookDeps;

export interface ReviewView {
  readonly row: ReviewRow;
  readonly items: Awaited<ReturnType<typeof awards.itemsOf>>;
}

async function reviewViews(deps: AppDeps, rows: ReviewRow[]): Promise<ReviewView[]> {
  const items = await awards.itemsOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({ row, items: items.filter((i) => i.reviewId === row.id) }));
}

export async function listReviews(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  appSlug: string,
  page?: Page,
) {
  const application = await loadApplication(deps, principal, ref, badgeSlug, appSlug);
  const { rows, total } = await awards.listReviews(deps.db, application.id, page);
  return { items: await reviewViews(deps, rows), total };
}

async function loadReview(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  appSlug: string,
  slug: string,
) {
  const application = await loadApplication(deps, principal, ref, badgeSlug, appSlug);
  const row = await awards.findReview(deps.db, application.id, slug);
  if (!row) throw badgeErrors.notFound('review', 'slug', slug);
  return { application, row };
}

export async function getReview(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  appSlug: string,
  slug: string,
) {
  const { row } = await loadReview(deps, principal, ref, badgeSlug, appSlug, slug);
  const [view] = await reviewViews(deps, [row]);
  return view as ReviewView;
}

function checkReview(input: Input, partial: boolean) {
  const c = new Checker(input, partial);
  const author = c.email('author', true);
  const comment = c.string('comment', { max: 65535 });
  const raw = input.reviewItems;
  let items: { criterionId: number; satisfied: boolean; comment: string | null }[] | undefined;
  if (raw !== undefined) {
    if (!Array.isArray(raw) || raw.length > 100)
      c.fail('reviewItems', raw, 'must be a list of at most 100 items');
    else {
      items = raw.flatMap((item, n) => {
        const sub = new Checker((typeof item === 'object' && item !== null ? item : {}) as Input);
        const criterionId = sub.int('criterionId', true);
        const satisfied = sub.bool('satisfied', true);
        const note = sub.string('comment', { max: 65535 });
        for (const p of sub.problems) c.fail(`reviewItems.${n}.${p.field}`, p.value, p.message);
        return criterionId !== undefined && satisfied !== undefined
          ? [{ criterionId, satisfied, comment: note ?? null }]
          : [];
      });
    }
  }
  c.done();
  return { author: author?.toLowerCase(), comment, items };
}

/**
 * Creates or updates a review, and in the same transaction queues the `review` webhook (approved when every
 * required criterion has a satisfied item) and appends `application.reviewed`. Reviews award nothing.
 */
async function saveReview(
  deps: ReviewDeps,
  principal: Principal,
  ref: ContextRef,
  badgeSlug: string,
  appSlug: string,
  input: Input,
  slug?: string,
) {
  const v = checkReview(input, slug !== undefined);
  const application = await loadApplication(deps, principal, ref, badgeSlug, appSlug);
  const existing =
    slug === undefined ? undefined : (await loadReview(deps, principal, ref, badgeSlug, appSlug, slug)).row;
  const [appView] = await applicationViews(deps, [application]);
  const badge = appView?.badge ?? null;
  // A PUT that changes only the items leaves the review row as it is (an empty UPDATE is an error).
  const patch = {
    ...(v.author !== undefined ? { author: v.author } : {}),
    ...(v.comment !== undefined ? { comment: v.comment } : {}),
  };
  const row = await deps.db.transaction(async (tx) => {
    const saved = existing
      ? Object.keys(patch).length === 0
        ? existing
        : ((await awards.updateReview(tx, existing.id, patch)) ?? existing)
      : await awards.insertReview(tx, {
          slug: newSlug(deps),
          applicationId: application.id,
          author: v.author ?? '',
          comment: v.comment ?? null,
        });
    if (v.items !== undefined || !existing) await awards.replaceItems(tx, saved.id, v.items ?? []);
    const items = await awards.itemsOf(tx, [saved.id]);
    const required = badge?.row.criteria.filter((c) => c.required) ?? [];
    const approved = required.every((c) => items.some((i) => i.criterionId === c.id && i.satisfied));
    if (badge) {
      await queueBadgekitWebhook(tx, deps, badge.row.systemId, {
        action: 'review',
        application,
        badge,
        review: saved,
        items,
        approved,
      });
    }
    await appendDomainEvent(tx, deps, {
      type: 'application.reviewed',
      subject: `badge:${application.badgeId}`,
      payload: {
        badge: badge ? { id: String(badge.row.id), slug: badge.row.slug, name: badge.row.name } : null,
        application: { id: application.slug, learner: application.learner },
        review: { id: saved.slug, author: saved.author },
        approved,
        user: null,
      },
    });
    return saved;
  });
  const [view] = await reviewViews(deps, [row]);
  return view as ReviewView;
}

export const createReview = (
  deps: ReviewDeps,
  principal: Principal,
  ref: ContextRef,
  b: string,
  a: string,
  input: Input,
) => saveReview(deps, principal, ref, b, a, input);
export const updateReview = (
  deps: ReviewDeps,
  principal: Principal,
  ref: ContextRef,
  b: string,
  a: string,
  slug: string,
  input: Input,
) => saveReview(deps, principal, ref, b, a, input, slug);

export async function deleteReview(
  deps: AppDeps,
  principal: Principal,
  ref: ContextRef,
  b: string,
  a: string,
  slug: string,
) {
  const { row } = await loadReview(deps, principal, ref, b, a, slug);
  const [view] = await reviewViews(deps, [row]);
  await awards.deleteReview(deps.db, row.id);
  return view as ReviewView;
}
