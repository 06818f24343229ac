import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import type { DomainEvent } from '../../jobs/domain-events.ts';
import {
  type AwardDeps,
  awardableBadge,
  awardByRule,
  type RuleBadge,
  ruleBadge,
  type WebhookDeps,
} from '../badges/index.ts';
import { getCourseById } from '../courses/index.ts';
import { getUserById } from '../identity/index.ts';
import { roleIn } from './assessment.access.ts';
import {
  type BadgeRuleRow,
  claimBadgeAward,
  deleteBadgeRule,
  findBadgeRule,
  setAwardAssertion,
  upsertBadgeRule,
} from './assessment.badges.repository.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { canSetBadgeRule } from './assessment.policies.ts';
import { findActivity } from './assessment.repository.ts';

export interface BadgeRuleView {
  readonly activityId: number;
  /** The badge, or null when it was deleted from the badges module since (the rule then awards nothing). */
  readonly badge: RuleBadge | null;
  readonly badgeId: number;
  /** Null: awarded on completion (any final grade); otherwise the least final grade (0-100) that earns it. */
  readonly minGrade: number | null;
  readonly updatedAt: Date;
}

/**
 * Only the course's instructors (and course admins, admin operators) manage an activity's badge rule. A
 * principal who is not one gets 403 even for an activity of another course: the ids are not secret (the
 * peerScholar dialect lists them) and the answer says what is missing.
 */
async function ruleAccess(deps: Deps, principal: Principal, id: number) {
  const activity = Number.isSafeInteger(id) && id > 0 ? await findActivity(deps.db, id) : undefined;
  if (!activity) throw assessmentErrors.notFound();
  const course = await getCourseById(deps, activity.courseId);
  if (!course) throw assessmentErrors.notFound();
  if (!canSetBadgeRule(await roleIn(deps, course, principal))) throw assessmentErrors.notInstructor();
  return activity;
}

async function view(deps: Deps, row: BadgeRuleRow): Promise<BadgeRuleView> {
  return {
    activityId: row.activityId,
    badge: (await ruleBadge(deps, row.badgeId)) ?? null,
    badgeId: row.badgeId,
    minGrade: row.minGrade,
    updatedAt: row.updatedAt,
  };
}

export async function getBadgeRule(deps: Deps, principal: Principal, id: number) {
  const activity = await ruleAccess(deps, principal, id);
  const row = await findBadgeRule(deps.db, activity.id);
  return row ? view(deps, row) : null;
}

function checkRule(input: { badgeId: unknown; minGrade: unknown }) {
  const badgeId = typeof input.badgeId === 'string' ? Number(input.badgeId) : input.badgeId;
  if (typeof badgeId !== 'number' || !Number.isSafeInteger(badgeId) || badgeId <= 0)
    throw assessmentErrors.invalid('badge_id', "must be a badge's id (a positive integer)");
  const min = input.minGrade;
  if (min !== null && (typeof min !== 'number' || !Number.isFinite(min) || min < 0 || min > 100))
    throw assessmentErrors.invalid('min_grade', 'must be null (on completion) or a number from 0 to 100');
  return { badgeId, minGrade: min };
}

/**
 * Sets (or replaces) the activity's badge rule. The badge must be one the caller may award under the badges
 * module's policy: the rule later awards it without a principal, so the check is made here, once.
 */
export async function setBadgeRule(
  deps: Deps,
  principal: Principal,
  id: number,
  input: { badgeId: unknown; minGrade: unknown },
): Promise<BadgeRuleView> {
  const activity = await ruleAccess(deps, principal, id);
  const rule = checkRule(input);
  await awardableBadge(deps, principal, rule.badgeId);
  const row = await upsertBadgeRule(deps.db, {
    activityId: activity.id,
    badgeId: rule.badgeId,
    minGrade: rule.minGrade,
    setBy: principal.kind === 'user' || principal.kind === 'app_user' ? principal.userId : principal.kind,
    updatedAt: deps.clock.now(),
  });
  return view(deps, row);
}

/** Removes the rule; awards already made stay. Returns whether there was one. */
export async function clearBadgeRule(deps: Deps, principal: Principal, id: number): Promise<boolean> {
  const activity = await ruleAccess(deps, principal, id);
  return deleteBadgeRule(deps.db, activity.id);
}

/**
 * The job behind the rule (`assessment.badge_rule`, one per `assessment.graded` event): a final grade that meets
 * the rule awards the badge through the badges module, once per (activity, student). The claim row and the
 * award commit together, so a retried job, a concurrent one, or a later grade version finds the claim and does
 * nothing. A later version below the threshold does not revoke. A student whose email is not verified is
 * skipped without a claim (the badges module attributes awards only to verified addresses), so a later
 * version after they verify can still award.
 */
export async function onGraded(
  deps: Deps & AwardDeps,
  event: DomainEvent<'assessment.graded'>,
): Promise<'awarded' | 'held' | 'skipped'> {
  const p = event.payload;
  if (p.final !== true || p.grade === null) return 'skipped';
  const rule = await findBadgeRule(deps.db, p.activity.id);
  if (!rule || (rule.minGrade !== null && p.grade < rule.minGrade)) return 'skipped';
  const user = await getUserById(deps, p.user.id);
  if (!user?.emailVerified) {
    deps.logger.info(
      { activityId: p.activity.id, userId: p.user.id },
      'badge rule: student has no verified email; no award',
    );
    return 'skipped';
  }
  if (!(await ruleBadge(deps, rule.badgeId))) return 'skipped';
  return deps.db.transaction(async (tx) => {
    const claimed = await claimBadgeAward(tx, {
      activityId: p.activity.id,
      userId: user.id,
      badgeId: rule.badgeId,
      assertionId: null,
      eventId: event.id,
      awardedAt: deps.clock.now(),
    });
    if (!claimed) return 'skipped';
    const award = await awardByRule({ ...deps, db: tx }, rule.badgeId, {
      email: user.email,
      user: p.user,
      narrative: `Completed the peer-assessment activity "${p.activity.title}" with a final grade of ${p.grade}.`,
      evidenceUrl: `${deps.config.publicUrl}/assessment/${p.activity.id}`,
    });
    if (!award) return 'held';
    await setAwardAssertion(tx, p.activity.id, user.id, award.assertionId);
    return 'awarded';
  });
}

export const BADGE_RULE_CONSUMER = 'assessment.badge_rule';

/** Subscribes the rule's job; `webhooks` are the badges module's award dependencies (app.ts passes them). */
export function registerBadgeRuleJobs(deps: Deps, webhooks: WebhookDeps): void {
  const awardDeps = { ...deps, ...webhooks };
  deps.domainEvents.subscribe(BADGE_RULE_CONSUMER, ['assessment.graded'], async (event) => {
    await onGraded(awardDeps, event);
  });
}
