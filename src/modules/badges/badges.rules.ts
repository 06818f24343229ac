import type { Deps } from '../../deps.ts';
import { isAdmin, type Principal } from '../../http/principal.ts';
import * as awards from './badges.awards.repository.ts';
import { type AwardDeps, applyMilestones, insertAward, ob2AssertionUrl } from './badges.awards.ts';
import { badgeErrors } from './badges.errors.ts';
import { canUseSystem } from './badges.policies.ts';
import * as repo from './badges.repository.ts';
import { toViews } from './badges.usecases.ts';

/** A badge another module's rule names (what a page or API shows of it). */
export interface RuleBadge {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
}

async function badgeView(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'ids' | 'secretKey'>, id: number) {
  const row = Number.isSafeInteger(id) && id > 0 ? (await repo.findBadgesByIds(deps.db, [id]))[0] : undefined;
  const [view] = row ? await toViews(deps, [row]) : [];
  if (!view) throw badgeErrors.notFound('badge', 'id', id);
  return view;
}

/**
 * The badge `id`, if the principal may award it: whoever may award in its system (canUseSystem: the system's
 * BadgeKit consumer, an app for its own `app-<app id>` badges, a hub admin operator) or a hub administrator.
 * Another module calls this before it stores a rule that will later award the badge without a principal.
 */
export async function awardableBadge(deps: Deps, principal: Principal, id: number): Promise<RuleBadge> {
  const view = await badgeView(deps, id);
  const system = await repo.findSystemById(deps.db, view.row.systemId);
  if (!isAdmin(principal) && !(system && canUseSystem(principal, system)))
    throw badgeErrors.forbidden(`You may not award the badge ${id} ("${view.row.slug}").`);
  return { id: view.row.id, slug: view.row.slug, name: view.row.name };
}

/** The badge `id` as a rule shows it, or undefined when it no longer exists. */
export async function ruleBadge(deps: Deps, id: number): Promise<RuleBadge | undefined> {
  const [row] = Number.isSafeInteger(id) && id > 0 ? await repo.findBadgesByIds(deps.db, [id]) : [];
  return row ? { id: row.id, slug: row.slug, name: row.name } : undefined;
}

/**
 * Awards the badge `badgeId` to a person's (verified) email on behalf of a rule that an authorised principal
 * stored earlier: the same award as `POST B/instances` (`badge.awarded`, the system's BadgeKit webhook,
 * milestones), in the caller's transaction when `deps.db` is one. A person who already holds the badge keeps
 * that award and gets no second one (returns null).
 */
export async function awardByRule(
  deps: AwardDeps,
  badgeId: number,
  input: {
    readonly email: string;
    readonly user: { id: string; username: string; email: string; profile_url: string };
    readonly narrative?: string;
    readonly evidenceUrl?: string;
  },
): Promise<{ readonly assertionId: string; readonly assertionUrl: string } | null> {
  const badge = await badgeView(deps, badgeId);
  const email = input.email.toLowerCase();
  return deps.db.transaction(async (tx) => {
    if (await awards.findLiveInstance(tx, badge.row.id, email)) return null;
    const row = await insertAward(tx, deps, badge, {
      email,
      user: input.user,
      narrative: input.narrative,
      evidenceUrl: input.evidenceUrl,
    });
    await applyMilestones(tx, deps, email, badge);
    return { assertionId: row.slug, assertionUrl: ob2AssertionUrl(deps, row.slug) };
  });
}
