import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { assessmentActivities, assessmentReviews } from './assessment.tables.ts';

/** Per visible activity, how many reviews allocated to the person are not submitted yet. */
export async function countOpenReviewsBy(db: Executor, reviewerId: string, limit: number) {
  return db
    .select({
      activityId: assessmentActivities.id,
      title: assessmentActivities.title,
      courseId: assessmentActivities.courseId,
      open: sql<number>`count(*)::int`,
    })
    .from(assessmentReviews)
    .innerJoin(assessmentActivities, eq(assessmentActivities.id, assessmentReviews.activityId))
    .where(
      and(
        eq(assessmentReviews.reviewerId, reviewerId),
        ne(assessmentReviews.status, 'submitted'),
        eq(assessmentActivities.visible, true),
      ),
    )
    .groupBy(assessmentActivities.id)
    .orderBy(asc(assessmentActivities.id))
    .limit(limit);
}
