import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  mailSuppressions,
  messageReplies,
  messageReplyTokens,
  messages,
  messagingAppSecrets,
  notificationPreferences,
} from './messaging.tables.ts';

export type MessageRow = typeof messages.$inferSelect;
export type ReplyRow = typeof messageReplies.$inferSelect;
export type ReplyTokenRow = typeof messageReplyTokens.$inferSelect;
export type PreferenceRow = typeof notificationPreferences.$inferSelect;

export async function insertMessage(db: Executor, row: typeof messages.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(messages).values(row).onConflictDoNothing().returning({ id: messages.id });
  return inserted.length > 0;
}

/**
 * One page of an announcement's messages in one statement. The shared fields (the content above all) travel
 * once rather than once per row, so a page costs the same memory whatever the content's size. Returns the
 * ids inserted; a person who already has this announcement's message is skipped.
 */
export async function insertAnnouncementMessages(
  db: Executor,
  a: {
    announcementId: string;
    appId: string | null;
    courseId: string;
    subject: string;
    contentText: string;
    contentHtml: string;
    createdAt: Date;
  },
  rows: readonly { id: string; userId: string }[],
): Promise<string[]> {
  if (rows.length === 0) return [];
  // Both arrays hold UUIDs only (ours and the members' ids), so a literal is safe and one parameter each.
  const ids = `{${rows.map((r) => r.id).join(',')}}`;
  const userIds = `{${rows.map((r) => r.userId).join(',')}}`;
  const result = await db.execute<{ id: string }>(sql`
    insert into messages (id, user_id, app_id, course_id, announcement_id, category, subject, content_text,
                          content_html, reply_enabled, email_status, created_at)
    select t.id, t.user_id, ${a.appId}::uuid, ${a.courseId}::uuid, ${a.announcementId}::uuid, 'announcement',
           ${a.subject}, ${a.contentText}, ${a.contentHtml}, false, 'pending', ${a.createdAt.toISOString()}::timestamptz
    from unnest(${ids}::uuid[], ${userIds}::uuid[]) as t(id, user_id)
    on conflict do nothing
    returning id`);
  return result.rows.map((r) => r.id);
}

export async function findMessage(db: Executor, id: string): Promise<MessageRow | undefined> {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  return row;
}

/** A user's inbox, newest first, keyset-paged on (created_at, id). */
export async function listUserMessages(
  db: Executor,
  userId: string,
  options: { limit: number; after?: { createdAt: Date; id: string } | undefined; unread?: boolean },
): Promise<MessageRow[]> {
  const after = options.after;
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.userId, userId),
        options.unread ? isNull(messages.readAt) : undefined,
        after
          ? sql`(${messages.createdAt}, ${messages.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(options.limit);
}

export async function setRead(db: Executor, userId: string, id: string, readAt: Date | null) {
  const rows = await db
    .update(messages)
    .set({ readAt })
    .where(and(eq(messages.id, id), eq(messages.userId, userId)))
    .returning();
  return rows[0];
}

export async function countUnread(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(and(eq(messages.userId, userId), isNull(messages.readAt)));
  return row?.n ?? 0;
}

export async function setEmailStatus(db: Executor, id: string, status: string, emailedAt: Date | null) {
  await db.update(messages).set({ emailStatus: status, emailedAt }).where(eq(messages.id, id));
}

/** Users with digest mail waiting, a page at a time. */
export async function digestUsers(db: Executor, status: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ userId: messages.userId })
    .from(messages)
    .where(and(eq(messages.emailStatus, status), isNull(messages.emailedAt)))
    .limit(limit);
  return rows.map((r) => r.userId);
}

export async function digestMessages(db: Executor, userId: string, status: string, limit: number) {
  return db
    .select()
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.emailStatus, status), isNull(messages.emailedAt)))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(limit);
}

export async function setEmailStatuses(db: Executor, ids: string[], status: string, at: Date | null) {
  if (ids.length === 0) return;
  await db.update(messages).set({ emailStatus: status, emailedAt: at }).where(inArray(messages.id, ids));
}

export async function insertReplyToken(db: Executor, row: typeof messageReplyTokens.$inferInsert) {
  await db.insert(messageReplyTokens).values(row);
}

export async function findReplyToken(db: Executor, tokenHash: string): Promise<ReplyTokenRow | undefined> {
  const [row] = await db.select().from(messageReplyTokens).where(eq(messageReplyTokens.tokenHash, tokenHash));
  return row;
}

export async function listPreferences(db: Executor, userId: string): Promise<PreferenceRow[]> {
  return db
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId))
    .orderBy(asc(notificationPreferences.scope))
    .limit(500);
}

export async function upsertPreference(db: Executor, row: typeof notificationPreferences.$inferInsert) {
  await db
    .insert(notificationPreferences)
    .values(row)
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.scope],
      set: { delivery: row.delivery, updatedAt: row.updatedAt },
    });
}

export async function deletePreference(db: Executor, userId: string, scope: string) {
  await db
    .delete(notificationPreferences)
    .where(and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.scope, scope)));
}

export async function isSuppressed(db: Executor, email: string): Promise<boolean> {
  const [row] = await db
    .select({ email: mailSuppressions.email })
    .from(mailSuppressions)
    .where(eq(mailSuppressions.email, email.toLowerCase()));
  return row !== undefined;
}

export async function insertSuppression(db: Executor, row: typeof mailSuppressions.$inferInsert) {
  await db
    .insert(mailSuppressions)
    .values({ ...row, email: row.email.toLowerCase() })
    .onConflictDoNothing();
}

export async function insertReply(db: Executor, row: typeof messageReplies.$inferInsert): Promise<boolean> {
  const inserted = await db
    .insert(messageReplies)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: messageReplies.id });
  return inserted.length > 0;
}

export async function findReply(db: Executor, id: string): Promise<ReplyRow | undefined> {
  const [row] = await db.select().from(messageReplies).where(eq(messageReplies.id, id));
  return row;
}

export async function listReplies(db: Executor, messageId: string): Promise<ReplyRow[]> {
  return db
    .select()
    .from(messageReplies)
    .where(eq(messageReplies.messageId, messageId))
    .orderBy(asc(messageReplies.receivedAt))
    .limit(100);
}

export async function updateReply(
  db: Executor,
  id: string,
  set: Partial<typeof messageReplies.$inferInsert>,
) {
  await db.update(messageReplies).set(set).where(eq(messageReplies.id, id));
}

export async function findAppSecret(db: Executor, appId: string) {
  const [row] = await db.select().from(messagingAppSecrets).where(eq(messagingAppSecrets.appId, appId));
  return row;
}

export async function putAppSecret(
  db: Executor,
  row: typeof messagingAppSecrets.$inferInsert,
  replace: boolean,
) {
  const insert = db.insert(messagingAppSecrets).values(row);
  await (replace
    ? insert.onConflictDoUpdate({
        target: messagingAppSecrets.appId,
        set: { secretSealed: row.secretSealed, createdAt: row.createdAt },
      })
    : insert.onConflictDoNothing());
}

/** The still-pending messages among `ids`, without their content (a bulk send takes it from the announcement). */
export async function findPendingRecipients(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: messages.id,
      userId: messages.userId,
      appId: messages.appId,
      courseId: messages.courseId,
      announcementId: messages.announcementId,
      subject: messages.subject,
    })
    .from(messages)
    .where(and(inArray(messages.id, [...ids]), eq(messages.emailStatus, 'pending')));
}

/**
 * Marks many messages with one statement. The ids travel as one array literal, so the statement text is the
 * same for any number of them (PostgreSQL plans it once per connection); they are UUIDs read from the table.
 */
export async function markEmailed(db: Executor, ids: readonly string[], status: string, at: Date) {
  if (ids.length === 0) return;
  await db.execute(
    sql`update messages set email_status = ${status}, emailed_at = ${at.toISOString()}::timestamptz
        where id = any(${`{${ids.join(',')}}`}::uuid[])`,
  );
}

export async function preferencesOf(db: Executor, userIds: readonly string[]): Promise<PreferenceRow[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.userId, [...userIds]));
}

export async function suppressedAmong(db: Executor, emails: readonly string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db
    .select({ email: mailSuppressions.email })
    .from(mailSuppressions)
    .where(
      inArray(
        mailSuppressions.email,
        emails.map((e) => e.toLowerCase()),
      ),
    );
  return new Set(rows.map((r) => r.email));
}
