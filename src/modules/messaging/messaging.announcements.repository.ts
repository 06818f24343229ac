import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { announcements, messages } from './messaging.tables.ts';

export type AnnouncementRow = typeof announcements.$inferSelect;

/** Inserts unless the sender already used the idempotency key; returns the row either way. */
export async function insertAnnouncement(
  db: Executor,
  row: typeof announcements.$inferInsert,
): Promise<{ row: AnnouncementRow; created: boolean }> {
  const [inserted] = await db.insert(announcements).values(row).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, created: true };
  const [existing] = await db
    .select()
    .from(announcements)
    .where(
      and(eq(announcements.senderKey, row.senderKey), eq(announcements.idempotencyKey, row.idempotencyKey)),
    );
  if (!existing) throw new Error('announcement vanished after an idempotency conflict');
  return { row: existing, created: false };
}

export async function findAnnouncement(db: Executor, id: string): Promise<AnnouncementRow | undefined> {
  const [row] = await db.select().from(announcements).where(eq(announcements.id, id));
  return row;
}

export async function findAnnouncementForUpdate(
  db: Executor,
  id: string,
): Promise<AnnouncementRow | undefined> {
  const [row] = await db.select().from(announcements).where(eq(announcements.id, id)).for('update');
  return row;
}

export async function updateAnnouncement(
  db: Executor,
  id: string,
  set: Partial<typeof announcements.$inferInsert>,
): Promise<void> {
  await db.update(announcements).set(set).where(eq(announcements.id, id));
}

/** How many of the announcement's messages are in each email state. */
export async function announcementProgress(db: Executor, id: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: messages.emailStatus, n: sql<number>`count(*)::int` })
    .from(messages)
    .where(eq(messages.announcementId, id))
    .groupBy(messages.emailStatus);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export async function cancelPendingMessages(db: Executor, announcementId: string): Promise<void> {
  await db
    .update(messages)
    .set({ emailStatus: 'cancelled' })
    .where(and(eq(messages.announcementId, announcementId), eq(messages.emailStatus, 'pending')));
}

/** Recurring announcements whose latest occurrence is at least `before` old. */
export async function dueRecurring(db: Executor, before: Date): Promise<AnnouncementRow[]> {
  return db
    .select()
    .from(announcements)
    .where(
      and(
        isNull(announcements.parentId),
        sql`${announcements.recurrence} is not null`,
        sql`${announcements.status} <> 'cancelled'`,
        sql`(select max(a2.created_at) from announcements a2
              where a2.id = ${announcements.id} or a2.parent_id = ${announcements.id}) <= ${before.toISOString()}::timestamptz`,
      ),
    )
    .limit(500);
}

/** After a page: the new keyset cursor and the running count of recipients. */
export async function advanceAnnouncement(
  db: Executor,
  id: string,
  page: { cursorUserId: string; added: number; at: Date },
): Promise<void> {
  await db
    .update(announcements)
    .set({
      status: 'expanding',
      cursorUserId: page.cursorUserId,
      recipients: sql`${announcements.recipients} + ${page.added}`,
      updatedAt: page.at,
    })
    .where(eq(announcements.id, id));
}

/** The content of announcements, for their bulk sends (each recipient's message holds the same copy). */
export async function findAnnouncementContents(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: announcements.id,
      contentText: announcements.contentText,
      contentHtml: announcements.contentHtml,
    })
    .from(announcements)
    .where(inArray(announcements.id, [...ids]));
}

/** A course's announcements, newest first (announcements_course_idx). */
export async function listCourseAnnouncements(
  db: Executor,
  courseId: string,
  limit: number,
): Promise<AnnouncementRow[]> {
  return db
    .select()
    .from(announcements)
    .where(eq(announcements.courseId, courseId))
    .orderBy(desc(announcements.createdAt), desc(announcements.id))
    .limit(limit);
}

/** The email states of several announcements' messages at once: id -> state -> count. */
export async function announcementsProgress(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ id: messages.announcementId, status: messages.emailStatus, n: sql<number>`count(*)::int` })
    .from(messages)
    .where(inArray(messages.announcementId, [...ids]))
    .groupBy(messages.announcementId, messages.emailStatus);
  for (const r of rows) {
    if (!r.id) continue;
    const counts = out.get(r.id) ?? {};
    counts[r.status] = r.n;
    out.set(r.id, counts);
  }
  return out;
}
