import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { accessActivity, type Ctx } from './assessment.access.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { courseFields, userRefs } from './assessment.events.ts';
import { isOpen } from './assessment.phases.ts';
import { type Anonymity, authorSeesReviewer, reviewerSeesAuthor } from './assessment.policies.ts';
import {
  findReview,
  findSubmission,
  findSubmissionByAuthor,
  listReviewsBy,
  listReviewsOf,
  listSchedules,
  listSubmissions,
  updateReview,
} from './assessment.repository.ts';
import { checkScores, checkText } from './assessment.validation.ts';
import { authorKeyOf, queueRecompute } from './assessment.work.ts';

export interface ReviewTask {
  readonly id: string;
  /** The work under review: its text and, unless anonymity hides it, whose it is. */
  readonly submission: { id: string; content: string; prompt: string | null; author: string | null };
  readonly status: string;
  readonly scores: Record<string, number>;
  readonly comment: string;
  readonly submittedAt: Date | null;
}

/** The reviews allocated to the principal in an activity. */
export async function myReviews(deps: Ctx, principal: Principal, activityId: number): Promise<ReviewTask[]> {
  const access = await accessActivity(deps, principal, activityId);
  await authorKeyOf(deps, access);
  const reviews = await listReviewsBy(deps.db, access.activity.id, access.userId ?? '');
  const subs = new Map(
    (await listSubmissions(deps.db, access.activity.id, { submittedOnly: true })).map((s) => [s.id, s]),
  );
  const showAuthor = reviewerSeesAuthor(access.activity.anonymity as Anonymity);
  return reviews.flatMap((r) => {
    const s = subs.get(r.submissionId);
    if (!s) return [];
    return [
      {
        id: r.id,
        submission: {
          id: s.id,
          content: s.contentCreate,
          prompt: s.prompt,
          author: showAuthor ? s.authorKey : null,
        },
        status: r.status,
        scores: r.scores,
        comment: r.comment,
        submittedAt: r.submittedAt,
      },
    ];
  });
}

/**
 * Saves (draft) or submits a review while Assess is open. Only the reviewer it is allocated to may; another
 * student's review answers as not found. A submitted review is final; submitting needs every criterion.
 */
export async function saveReview(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  reviewId: string,
  input: { scores: Readonly<Record<string, unknown>>; comment: string; submit: boolean },
): Promise<ReviewTask> {
  const access = await accessActivity(deps, principal, activityId);
  const review = /^[0-9a-f-]{36}$/i.test(reviewId) ? await findReview(deps.db, reviewId) : undefined;
  if (!review || review.activityId !== access.activity.id || review.reviewerId !== access.userId)
    throw assessmentErrors.reviewNotFound();
  if (!isOpen(await listSchedules(deps.db, [access.activity.id]), 'Assess'))
    throw assessmentErrors.phaseClosed('Assess');
  if (review.status === 'submitted') throw assessmentErrors.alreadySubmitted();
  const comment = checkText('comment', input.comment, 20_000);
  const scores = input.submit
    ? checkScores(access.activity.rubric, input.scores)
    : // A draft may be partial, but what it holds must still fit the rubric.
      checkScores(
        access.activity.rubric.filter((c) => c.id in input.scores),
        input.scores,
      );
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const person = (await userRefs(deps, [review.reviewerId])).get(review.reviewerId);
    await updateReview(tx, review.id, {
      scores,
      comment,
      status: input.submit ? 'submitted' : 'draft',
      submittedAt: input.submit ? now : null,
    });
    if (input.submit && person) {
      await appendDomainEvent(tx, deps, {
        type: 'assessment.reviewed',
        subject: `user:${review.reviewerId}`,
        payload: {
          ...courseFields(access.course),
          activity: { id: access.activity.id, title: access.activity.title },
          user: person,
          review_id: review.id,
          anonymous: !authorSeesReviewer(access.activity.anonymity as Anonymity),
        },
      });
      await queueRecompute(tx, access.activity.id);
    }
  });
  const submission = await findSubmission(deps.db, review.submissionId);
  return {
    id: review.id,
    submission: {
      id: review.submissionId,
      content: submission?.contentCreate ?? '',
      prompt: submission?.prompt ?? null,
      author: null,
    },
    status: input.submit ? 'submitted' : 'draft',
    scores,
    comment,
    submittedAt: input.submit ? now : null,
  };
}

export interface Feedback {
  readonly id: string;
  /** The reviewer's user id, unless anonymity hides it. */
  readonly reviewer: string | null;
  readonly scores: Record<string, number>;
  readonly comment: string;
  readonly helpfulness: number | null;
}

/** Reflect: the submitted reviews of the principal's work (or their group's), anonymised as configured. */
export async function myFeedback(deps: Ctx, principal: Principal, activityId: number): Promise<Feedback[]> {
  const access = await accessActivity(deps, principal, activityId);
  const authorKey = await authorKeyOf(deps, access);
  const own = await findSubmissionByAuthor(deps.db, access.activity.id, authorKey);
  if (!own) return [];
  const showReviewer = authorSeesReviewer(access.activity.anonymity as Anonymity);
  return (await listReviewsOf(deps.db, [own.id]))
    .filter((r) => r.status === 'submitted')
    .map((r) => ({
      id: r.id,
      reviewer: showReviewer ? r.reviewerId : null,
      scores: r.scores,
      comment: r.comment,
      helpfulness: r.helpfulness,
    }));
}

/** Reflect: the author rates how helpful a review of their work was (1–5); may change it while Reflect is open. */
export async function rateReview(
  deps: Ctx,
  principal: Principal,
  activityId: number,
  reviewId: string,
  rating: number,
): Promise<void> {
  const access = await accessActivity(deps, principal, activityId);
  const authorKey = await authorKeyOf(deps, access);
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    throw assessmentErrors.invalid('helpfulness', 'must be 1–5');
  const own = await findSubmissionByAuthor(deps.db, access.activity.id, authorKey);
  const review = /^[0-9a-f-]{36}$/i.test(reviewId) ? await findReview(deps.db, reviewId) : undefined;
  if (!own || !review || review.submissionId !== own.id || review.status !== 'submitted')
    throw assessmentErrors.reviewNotFound();
  if (!isOpen(await listSchedules(deps.db, [access.activity.id]), 'Reflect'))
    throw assessmentErrors.phaseClosed('Reflect');
  await deps.db.transaction(async (tx) => {
    await updateReview(tx, review.id, { helpfulness: rating, ratedAt: deps.clock.now() });
    await queueRecompute(tx, access.activity.id);
  });
}
