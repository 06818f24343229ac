import { and, asc, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  assessmentActivities,
  assessmentFiles,
  assessmentGroupMembers,
  assessmentGroups,
  assessmentReviews,
  assessmentSchedules,
  assessmentSubmissions,
} from './assessment.tables.ts';

export type ActivityRow = typeof assessmentActivities.$inferSelect;
export type ScheduleRow = typeof assessmentSchedules.$inferSelect;
export type SubmissionRow = typeof assessmentSubmissions.$inferSelect;
export type ReviewRow = typeof assessmentReviews.$inferSelect;
export type FileMeta = Omit<typeof assessmentFiles.$inferSelect, 'data'>;

// --- activities and schedules ---

export async function insertActivity(
  db: Executor,
  row: typeof assessmentActivities.$inferInsert,
): Promise<ActivityRow> {
  const [inserted] = await db.insert(assessmentActivities).values(row).returning();
  if (!inserted) throw new Error('activity insert returned no row');
  return inserted;
}

export async function updateActivityRow(
  db: Executor,
  id: number,
  set: Partial<typeof assessmentActivities.$inferInsert>,
): Promise<ActivityRow | undefined> {
  const [row] = await db
    .update(assessmentActivities)
    .set(set)
    .where(eq(assessmentActivities.id, id))
    .returning();
  return row;
}

export async function findActivity(db: Executor, id: number): Promise<ActivityRow | undefined> {
  const [row] = await db.select().from(assessmentActivities).where(eq(assessmentActivities.id, id)).limit(1);
  return row;
}

/** Row-locks the activity: allocation and grade recomputation of one activity run one at a time. */
export async function lockActivity(db: Executor, id: number): Promise<ActivityRow | undefined> {
  const [row] = await db
    .select()
    .from(assessmentActivities)
    .where(eq(assessmentActivities.id, id))
    .for('update')
    .limit(1);
  return row;
}

export async function listActivitiesOfCourse(db: Executor, courseId: string): Promise<ActivityRow[]> {
  return db
    .select()
    .from(assessmentActivities)
    .where(eq(assessmentActivities.courseId, courseId))
    .orderBy(asc(assessmentActivities.id))
    .limit(1000);
}

export async function listSchedules(db: Executor, activityIds: readonly number[]): Promise<ScheduleRow[]> {
  if (activityIds.length === 0) return [];
  return db
    .select()
    .from(assessmentSchedules)
    .where(inArray(assessmentSchedules.activityId, [...activityIds]))
    .orderBy(asc(assessmentSchedules.activityId), asc(assessmentSchedules.order));
}

export async function findSchedule(db: Executor, id: number): Promise<ScheduleRow | undefined> {
  const [row] = await db.select().from(assessmentSchedules).where(eq(assessmentSchedules.id, id)).limit(1);
  return row;
}

export async function upsertSchedule(
  db: Executor,
  row: Omit<typeof assessmentSchedules.$inferInsert, 'id'>,
): Promise<ScheduleRow> {
  const [saved] = await db
    .insert(assessmentSchedules)
    .values(row)
    .onConflictDoUpdate({
      target: [assessmentSchedules.activityId, assessmentSchedules.phase],
      set: {
        manual: row.manual,
        startsAt: row.startsAt,
        endsAt: row.endsAt,
        order: row.order,
        enabled: row.enabled,
      },
    })
    .returning();
  if (!saved) throw new Error('schedule upsert returned no row');
  return saved;
}

/** Marks a phase opened or closed once; answers the row only when this call made the change. */
export async function markSchedule(
  db: Executor,
  id: number,
  action: 'open' | 'close',
  now: Date,
): Promise<ScheduleRow | undefined> {
  const column = action === 'open' ? assessmentSchedules.openedAt : assessmentSchedules.closedAt;
  const set = action === 'open' ? { openedAt: now, closedAt: null } : { closedAt: now };
  const [row] = await db
    .update(assessmentSchedules)
    .set(set)
    .where(
      and(
        eq(assessmentSchedules.id, id),
        action === 'open'
          ? sql`${column} is null`
          : sql`${column} is null and ${assessmentSchedules.openedAt} is not null`,
      ),
    )
    .returning();
  return row;
}

// --- groups ---

export async function insertGroup(db: Executor, row: { id: string; activityId: number; name: string }) {
  await db.insert(assessmentGroups).values(row);
}

export async function setGroupMember(db: Executor, activityId: number, userId: string, groupId: string) {
  await db
    .insert(assessmentGroupMembers)
    .values({ activityId, userId, groupId })
    .onConflictDoUpdate({
      target: [assessmentGroupMembers.activityId, assessmentGroupMembers.userId],
      set: { groupId },
    });
}

export async function listGroupMembers(db: Executor, activityId: number) {
  return db
    .select({
      userId: assessmentGroupMembers.userId,
      groupId: assessmentGroupMembers.groupId,
      name: assessmentGroups.name,
    })
    .from(assessmentGroupMembers)
    .innerJoin(assessmentGroups, eq(assessmentGroups.id, assessmentGroupMembers.groupId))
    .where(eq(assessmentGroupMembers.activityId, activityId));
}

// --- submissions and files ---

export async function findSubmissionByAuthor(
  db: Executor,
  activityId: number,
  authorKey: string,
): Promise<SubmissionRow | undefined> {
  const [row] = await db
    .select()
    .from(assessmentSubmissions)
    .where(
      and(eq(assessmentSubmissions.activityId, activityId), eq(assessmentSubmissions.authorKey, authorKey)),
    )
    .limit(1);
  return row;
}

export async function findSubmission(db: Executor, id: string): Promise<SubmissionRow | undefined> {
  const [row] = await db
    .select()
    .from(assessmentSubmissions)
    .where(eq(assessmentSubmissions.id, id))
    .limit(1);
  return row;
}

export async function saveSubmission(
  db: Executor,
  row: typeof assessmentSubmissions.$inferInsert,
): Promise<SubmissionRow> {
  const { id: _id, activityId: _a, authorKey: _k, ...set } = row;
  const [saved] = await db
    .insert(assessmentSubmissions)
    .values(row)
    .onConflictDoUpdate({ target: [assessmentSubmissions.activityId, assessmentSubmissions.authorKey], set })
    .returning();
  if (!saved) throw new Error('submission upsert returned no row');
  return saved;
}

export async function updateSubmission(
  db: Executor,
  id: string,
  set: Partial<typeof assessmentSubmissions.$inferInsert>,
): Promise<void> {
  await db.update(assessmentSubmissions).set(set).where(eq(assessmentSubmissions.id, id));
}

export async function listSubmissions(
  db: Executor,
  activityId: number,
  options: { submittedOnly: boolean },
): Promise<SubmissionRow[]> {
  const conditions = [
    eq(assessmentSubmissions.activityId, activityId),
    eq(assessmentSubmissions.withdrawn, false),
  ];
  if (options.submittedOnly) conditions.push(eq(assessmentSubmissions.status, 'submitted'));
  return db
    .select()
    .from(assessmentSubmissions)
    .where(and(...conditions));
}

export async function insertFile(db: Executor, row: typeof assessmentFiles.$inferInsert): Promise<void> {
  await db.insert(assessmentFiles).values(row);
}

export async function fileStats(
  db: Executor,
  submissionId: string,
): Promise<{ files: number; bytes: number }> {
  const [row] = await db
    .select({ files: count(), bytes: sql<number>`coalesce(sum(${assessmentFiles.size}), 0)::int` })
    .from(assessmentFiles)
    .where(eq(assessmentFiles.submissionId, submissionId));
  return { files: row?.files ?? 0, bytes: row?.bytes ?? 0 };
}

export async function listFiles(db: Executor, submissionId: string): Promise<FileMeta[]> {
  return db
    .select({
      id: assessmentFiles.id,
      submissionId: assessmentFiles.submissionId,
      name: assessmentFiles.name,
      contentType: assessmentFiles.contentType,
      size: assessmentFiles.size,
      createdAt: assessmentFiles.createdAt,
    })
    .from(assessmentFiles)
    .where(eq(assessmentFiles.submissionId, submissionId))
    .orderBy(asc(assessmentFiles.createdAt));
}

export async function findFile(db: Executor, id: string) {
  const [row] = await db.select().from(assessmentFiles).where(eq(assessmentFiles.id, id)).limit(1);
  return row;
}

// --- reviews ---

export async function insertReviews(
  db: Executor,
  rows: (typeof assessmentReviews.$inferInsert)[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insert(assessmentReviews)
      .values(rows.slice(i, i + 1000))
      .onConflictDoNothing();
  }
}

export async function listReviewsOfActivity(db: Executor, activityId: number): Promise<ReviewRow[]> {
  return db.select().from(assessmentReviews).where(eq(assessmentReviews.activityId, activityId));
}

export async function listReviewsBy(
  db: Executor,
  activityId: number,
  reviewerId: string,
): Promise<ReviewRow[]> {
  return db
    .select()
    .from(assessmentReviews)
    .where(and(eq(assessmentReviews.activityId, activityId), eq(assessmentReviews.reviewerId, reviewerId)))
    .orderBy(asc(assessmentReviews.createdAt), asc(assessmentReviews.id));
}

export async function listReviewsOf(db: Executor, submissionIds: readonly string[]): Promise<ReviewRow[]> {
  if (submissionIds.length === 0) return [];
  return db
    .select()
    .from(assessmentReviews)
    .where(inArray(assessmentReviews.submissionId, [...submissionIds]))
    .orderBy(asc(assessmentReviews.submittedAt), asc(assessmentReviews.id));
}

export async function findReview(db: Executor, id: string): Promise<ReviewRow | undefined> {
  const [row] = await db.select().from(assessmentReviews).where(eq(assessmentReviews.id, id)).limit(1);
  return row;
}

export async function updateReview(
  db: Executor,
  id: string,
  set: Partial<typeof assessmentReviews.$inferInsert>,
): Promise<void> {
  await db.update(assessmentReviews).set(set).where(eq(assessmentReviews.id, id));
}

/** Removes allocations of unsubmitted reviews by a reviewer (dropped) in an activity; answers how many. */
export async function deleteOpenReviewsBy(
  db: Executor,
  activityId: number,
  reviewerId: string,
): Promise<number> {
  const rows = await db
    .delete(assessmentReviews)
    .where(
      and(
        eq(assessmentReviews.activityId, activityId),
        eq(assessmentReviews.reviewerId, reviewerId),
        sql`${assessmentReviews.status} <> 'submitted'`,
      ),
    )
    .returning({ id: assessmentReviews.id });
  return rows.length;
}

export async function countSubmittedReviews(db: Executor, activityId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(assessmentReviews)
    .where(and(eq(assessmentReviews.activityId, activityId), isNotNull(assessmentReviews.submittedAt)));
  return row?.n ?? 0;
}

export async function deleteOpenReviewsOf(db: Executor, submissionId: string): Promise<number> {
  const rows = await db
    .delete(assessmentReviews)
    .where(
      and(eq(assessmentReviews.submissionId, submissionId), sql`${assessmentReviews.status} <> 'submitted'`),
    )
    .returning({ id: assessmentReviews.id });
  return rows.length;
}

/** Gives an unsubmitted review to another reviewer, starting it afresh. */
export async function moveReview(db: Executor, id: string, reviewerId: string): Promise<void> {
  await db
    .update(assessmentReviews)
    .set({ reviewerId, status: 'allocated', scores: {}, comment: '' })
    .where(and(eq(assessmentReviews.id, id), sql`${assessmentReviews.status} <> 'submitted'`));
}
