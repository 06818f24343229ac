import type { Deps } from '../../deps.ts';
import { countOpenReviewsBy } from './assessment.home.repository.ts';

export interface PendingReviews {
  readonly activityId: number;
  readonly title: string;
  readonly courseId: string;
  /** Reviews allocated to the person and not yet submitted. */
  readonly open: number;
}

/** The peer reviews waiting for a person, per activity (their dashboard's "to do"); bounded. */
export async function pendingReviewsOf(
  deps: Pick<Deps, 'db'>,
  userId: string,
  limit = 10,
): Promise<PendingReviews[]> {
  return countOpenReviewsBy(deps.db, userId, limit);
}
