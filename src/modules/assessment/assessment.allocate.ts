import type { Executor } from '../../db/client.ts';
import type { Principal } from '../../http/principal.ts';
import { accessActivity, type Ctx } from './assessment.access.ts';
import { type AllocPair, allocate } from './assessment.allocation.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { canEditActivity, canSeeProgress } from './assessment.policies.ts';
import {
  deleteOpenReviewsBy,
  deleteOpenReviewsOf,
  findSubmissionByAuthor,
  insertReviews,
  listGroupMembers,
  listReviewsOfActivity,
  listSubmissions,
  lockActivity,
  moveReview,
  updateActivityRow,
  updateSubmission,
} from './assessment.repository.ts';

/**
 * Allocates (or completes the allocation of) an activity's reviews inside the caller's transaction. The
 * reviewers are the students who submitted (for group activities, the members of groups that submitted):
 * peer assessment asks those who did the work to review. Existing allocations are kept; only the gaps are
 * filled, so running it again changes nothing. `late` also gives reviewers below k (a late submitter) work.
 */
export async function allocateInTx(
  tx: Executor,
  deps: Pick<Ctx, 'clock' | 'ids'>,
  activityId: number,
  options: { late: boolean },
): Promise<AllocPair[]> {
  const activity = await lockActivity(tx, activityId);
  if (!activity) return [];
  const submissions = await listSubmissions(tx, activity.id, { submittedOnly: true });
  const groups = activity.type === 'Group' ? await listGroupMembers(tx, activity.id) : [];
  const authorsOf = (authorKey: string): string[] =>
    authorKey.startsWith('group:')
      ? groups.filter((g) => `group:${g.groupId}` === authorKey).map((g) => g.userId)
      : [authorKey];
  const subs = submissions.map((s) => ({ id: s.id, authors: authorsOf(s.authorKey) }));
  const reviewers = [...new Set(subs.flatMap((s) => s.authors))];
  const k = Math.min(activity.reviewersPerSubmission, Math.max(0, reviewers.length - 1));
  const existing = (await listReviewsOfActivity(tx, activity.id)).map((r) => ({
    submissionId: r.submissionId,
    reviewerId: r.reviewerId,
  }));
  const pairs = allocate({
    submissions: subs,
    reviewers,
    k,
    seed: activity.allocationSeed,
    existing,
    topUpReviewers: options.late,
  });
  const now = deps.clock.now();
  await insertReviews(
    tx,
    pairs.map((p) => ({
      id: deps.ids.uuid(),
      activityId: activity.id,
      submissionId: p.submissionId,
      reviewerId: p.reviewerId,
      createdAt: now,
    })),
  );
  if (!activity.allocatedAt) await updateActivityRow(tx, activity.id, { allocatedAt: now });
  return pairs;
}

/** An instructor (re)runs the allocation by hand: fills gaps, never removes reviews already allocated. */
export async function allocateActivity(deps: Ctx, principal: Principal, activityId: number): Promise<number> {
  const { activity, role } = await accessActivity(deps, principal, activityId);
  if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
  const submitted = await listSubmissions(deps.db, activity.id, { submittedOnly: true });
  if (submitted.length < 2) throw assessmentErrors.tooFewReviewers(2);
  const pairs = await deps.db.transaction((tx) => allocateInTx(tx, deps, activity.id, { late: false }));
  return pairs.length;
}

export interface AllocationEntry {
  readonly reviewId: string;
  readonly submissionId: string;
  readonly authorKey: string;
  readonly reviewerId: string;
  readonly status: string;
}

/** The allocation as instructors see it: who reviews whose work, and how far each review is. */
export async function getAllocation(
  deps: Ctx,
  principal: Principal,
  activityId: number,
): Promise<AllocationEntry[]> {
  const { activity, role } = await accessActivity(deps, principal, activityId);
  if (!canSeeProgress(role)) throw assessmentErrors.notInstructor();
  const submissions = await listSubmissions(deps.db, activity.id, { submittedOnly: false });
  const author = new Map(submissions.map((s) => [s.id, s.authorKey]));
  return (await listReviewsOfActivity(deps.db, activity.id))
    .map((r) => ({
      reviewId: r.id,
      submissionId: r.submissionId,
      authorKey: author.get(r.submissionId) ?? '',
      reviewerId: r.reviewerId,
      status: r.status,
    }))
    .sort((a, b) => a.authorKey.localeCompare(b.authorKey) || a.reviewerId.localeCompare(b.reviewerId));
}

/** An instructor moves one unsubmitted review to another reviewer (never to the work's own author). */
export async function reassignReview(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  input: { submissionId: string; from: string; to: string },
): Promise<void> {
  const { activity, role } = await accessActivity(deps, principal, activityId);
  if (!canEditActivity(role)) throw assessmentErrors.notInstructor();
  const entries = await getAllocation(deps, principal, activity.id);
  const entry = entries.find((e) => e.submissionId === input.submissionId && e.reviewerId === input.from);
  if (!entry || entry.status === 'submitted') throw assessmentErrors.reviewNotFound();
  if (
    entry.authorKey === input.to ||
    entries.some((e) => e.submissionId === input.submissionId && e.reviewerId === input.to)
  )
    throw assessmentErrors.invalid('to', 'already reviews this work or wrote it');
  const groups = activity.type === 'Group' ? await listGroupMembers(deps.db, activity.id) : [];
  if (groups.some((g) => g.userId === input.to && `group:${g.groupId}` === entry.authorKey))
    throw assessmentErrors.invalid('to', 'is in the group that wrote this work');
  await moveReview(deps.db, entry.reviewId, input.to);
}

/**
 * A student left the course: their unsubmitted reviews go back to the pool and are re-allocated among the
 * others, and their own work is withdrawn from review. Safe to repeat.
 */
export async function dropParticipant(deps: Ctx, activityId: number, userId: string): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const activity = await lockActivity(tx, activityId);
    if (!activity) return 0;
    const own = await findSubmissionByAuthor(tx, activity.id, userId);
    if (own && !own.withdrawn)
      await updateSubmission(tx, own.id, { withdrawn: true, updatedAt: deps.clock.now() });
    let removed = await deleteOpenReviewsBy(tx, activity.id, userId);
    if (own) removed += await deleteOpenReviewsOf(tx, own.id);
    if (!activity.allocatedAt) return 0;
    const added = await allocateInTx(tx, deps, activity.id, { late: false });
    return removed + added.length;
  });
}
