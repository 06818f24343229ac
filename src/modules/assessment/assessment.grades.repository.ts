import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { assessmentGrades, assessmentReviews, assessmentSubmissions } from './assessment.tables.ts';

export type GradeRow = typeof assessmentGrades.$inferSelect;

export async function upsertGrades(
  db: Executor,
  rows: (typeof assessmentGrades.$inferInsert)[],
): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insert(assessmentGrades)
      .values(rows.slice(i, i + 500))
      .onConflictDoUpdate({
        target: [assessmentGrades.activityId, assessmentGrades.userId],
        set: {
          peerMean: sql`excluded.peer_mean`,
          peerMedian: sql`excluded.peer_median`,
          peerMode: sql`excluded.peer_mode`,
          selfCreate: sql`excluded.self_create`,
          selfReflect: sql`excluded.self_reflect`,
          assess: sql`excluded.assess`,
          reflect: sql`excluded.reflect`,
          overall: sql`excluded.overall`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
}

export async function setInstructorInputs(
  db: Executor,
  row: {
    activityId: number;
    userId: string;
    instructor?: number | null;
    override?: number | null;
    now: Date;
  },
): Promise<void> {
  const set = {
    ...(row.instructor !== undefined ? { instructor: row.instructor } : {}),
    ...(row.override !== undefined ? { override: row.override } : {}),
    updatedAt: row.now,
  };
  await db
    .insert(assessmentGrades)
    .values({ activityId: row.activityId, userId: row.userId, ...set })
    .onConflictDoUpdate({ target: [assessmentGrades.activityId, assessmentGrades.userId], set });
}

export async function findGrades(
  db: Executor,
  activityId: number,
  userIds: readonly string[],
): Promise<GradeRow[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(assessmentGrades)
    .where(and(eq(assessmentGrades.activityId, activityId), inArray(assessmentGrades.userId, [...userIds])));
}

/** One page of an activity's grade rows (ordered by user id) and the total, for reports. */
export async function pageGrades(
  db: Executor,
  activityIds: readonly number[],
  options: { offset: number; limit: number },
): Promise<{
  rows: (GradeRow & { contentCreate: string | null; contentRevise: string | null })[];
  total: number;
}> {
  if (activityIds.length === 0) return { rows: [], total: 0 };
  const where = inArray(assessmentGrades.activityId, [...activityIds]);
  const [totalRow] = await db.select({ n: count() }).from(assessmentGrades).where(where);
  // A student's content is their own submission's, or their group's (the submission's user_id is whoever
  // submitted for the group, so join through group membership by author key as well).
  const rows = await db
    .select({
      row: assessmentGrades,
      contentCreate: sql<string | null>`(select s.content_create from assessment_submissions s
        where s.activity_id = ${assessmentGrades.activityId} and s.status = 'submitted' and (s.author_key = ${assessmentGrades.userId}::text
          or s.author_key = (select 'group:' || gm.group_id from assessment_group_members gm
            where gm.activity_id = ${assessmentGrades.activityId} and gm.user_id = ${assessmentGrades.userId})) limit 1)`,
      contentRevise: sql<string | null>`(select s.content_revise from assessment_submissions s
        where s.activity_id = ${assessmentGrades.activityId} and s.status = 'submitted' and (s.author_key = ${assessmentGrades.userId}::text
          or s.author_key = (select 'group:' || gm.group_id from assessment_group_members gm
            where gm.activity_id = ${assessmentGrades.activityId} and gm.user_id = ${assessmentGrades.userId})) limit 1)`,
    })
    .from(assessmentGrades)
    .where(where)
    .orderBy(asc(assessmentGrades.activityId), asc(assessmentGrades.userId))
    .offset(options.offset)
    .limit(options.limit);
  return {
    rows: rows.map((r) => ({ ...r.row, contentCreate: r.contentCreate, contentRevise: r.contentRevise })),
    total: totalRow?.n ?? 0,
  };
}

/** Everything the grade computation needs about one activity, in three reads. */
export async function gradeInputs(db: Executor, activityId: number) {
  const submissions = await db
    .select({
      id: assessmentSubmissions.id,
      authorKey: assessmentSubmissions.authorKey,
      selfCreate: assessmentSubmissions.selfCreate,
      selfReflect: assessmentSubmissions.selfReflect,
      revisedAt: assessmentSubmissions.revisedAt,
    })
    .from(assessmentSubmissions)
    .where(
      and(
        eq(assessmentSubmissions.activityId, activityId),
        eq(assessmentSubmissions.status, 'submitted'),
        eq(assessmentSubmissions.withdrawn, false),
      ),
    );
  const reviews = await db
    .select({
      submissionId: assessmentReviews.submissionId,
      reviewerId: assessmentReviews.reviewerId,
      scores: assessmentReviews.scores,
      submitted: sql<boolean>`${assessmentReviews.status} = 'submitted'`,
      helpfulness: assessmentReviews.helpfulness,
    })
    .from(assessmentReviews)
    .where(eq(assessmentReviews.activityId, activityId));
  const existing = await db
    .select({
      userId: assessmentGrades.userId,
      instructor: assessmentGrades.instructor,
      override: assessmentGrades.override,
      overall: assessmentGrades.overall,
      finalVersion: assessmentGrades.finalVersion,
      finalOverall: assessmentGrades.finalOverall,
    })
    .from(assessmentGrades)
    .where(eq(assessmentGrades.activityId, activityId));
  return { submissions, reviews, existing };
}

/** Records a student's new final grade version (only if it is still the version the caller read). */
export async function markFinal(
  db: Executor,
  row: { activityId: number; userId: string; version: number; overall: number; at: Date },
): Promise<boolean> {
  const updated = await db
    .update(assessmentGrades)
    .set({ finalVersion: row.version, finalOverall: row.overall, finalAt: row.at })
    .where(
      and(
        eq(assessmentGrades.activityId, row.activityId),
        eq(assessmentGrades.userId, row.userId),
        eq(assessmentGrades.finalVersion, row.version - 1),
      ),
    )
    .returning({ userId: assessmentGrades.userId });
  return updated.length === 1;
}
