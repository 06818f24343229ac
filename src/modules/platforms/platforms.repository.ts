import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { courseNotifications, integerIds, platformKeys, platforms } from './platforms.tables.ts';

export type PlatformRow = typeof platforms.$inferSelect;
export type PlatformKeyRow = typeof platformKeys.$inferSelect;
export type NotificationRow = typeof courseNotifications.$inferSelect;

export async function insertPlatform(db: Executor, row: typeof platforms.$inferInsert): Promise<PlatformRow> {
  const [inserted] = await db.insert(platforms).values(row).returning();
  if (!inserted) throw new Error('platform insert returned no row');
  return inserted;
}

export async function insertPlatformKey(db: Executor, row: typeof platformKeys.$inferInsert): Promise<void> {
  await db.insert(platformKeys).values(row);
}

export async function findPlatform(db: Executor, id: string): Promise<PlatformRow | undefined> {
  const [row] = await db.select().from(platforms).where(eq(platforms.id, id)).limit(1);
  return row;
}

export async function updatePlatform(
  db: Executor,
  id: string,
  set: Partial<typeof platforms.$inferInsert>,
): Promise<PlatformRow | undefined> {
  const [row] = await db.update(platforms).set(set).where(eq(platforms.id, id)).returning();
  return row;
}

export async function listPlatformRows(db: Executor): Promise<PlatformRow[]> {
  return db.select().from(platforms).orderBy(asc(platforms.createdAt)).limit(1000);
}

export async function listEnabledPlatforms(db: Executor): Promise<PlatformRow[]> {
  return db.select().from(platforms).where(eq(platforms.enabled, true)).limit(1000);
}

export async function findKey(db: Executor, kid: string): Promise<PlatformKeyRow | undefined> {
  const [row] = await db.select().from(platformKeys).where(eq(platformKeys.kid, kid)).limit(1);
  return row;
}

export async function keysOf(db: Executor, platformIds: readonly string[]): Promise<PlatformKeyRow[]> {
  if (platformIds.length === 0) return [];
  return db
    .select()
    .from(platformKeys)
    .where(inArray(platformKeys.platformId, [...platformIds]));
}

// --- integer ids ---

/** Integer ids of some records, assigning new ones on first sight (identity: never reused). */
export async function integerIdsFor(
  db: Executor,
  kind: string,
  refs: readonly string[],
): Promise<Map<string, number>> {
  const unique = [...new Set(refs)];
  if (unique.length === 0) return new Map();
  await db
    .insert(integerIds)
    .values(unique.map((ref) => ({ kind, ref })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: integerIds.id, ref: integerIds.ref })
    .from(integerIds)
    .where(and(eq(integerIds.kind, kind), inArray(integerIds.ref, unique)));
  return new Map(rows.map((r) => [r.ref, r.id]));
}

export async function refOfInteger(db: Executor, kind: string, id: number): Promise<string | undefined> {
  const [row] = await db
    .select({ ref: integerIds.ref })
    .from(integerIds)
    .where(and(eq(integerIds.id, id), eq(integerIds.kind, kind)))
    .limit(1);
  return row?.ref;
}

// --- course notifications ---

export async function insertNotification(
  db: Executor,
  row: Omit<typeof courseNotifications.$inferInsert, 'id'>,
): Promise<NotificationRow> {
  const [inserted] = await db.insert(courseNotifications).values(row).returning();
  if (!inserted) throw new Error('notification insert returned no row');
  return inserted;
}

export async function pageNotifications(
  db: Executor,
  courseId: string,
  page: { offset: number; limit: number },
): Promise<{ rows: NotificationRow[]; total: number }> {
  const where = eq(courseNotifications.courseId, courseId);
  const [total] = await db.select({ n: count() }).from(courseNotifications).where(where);
  const rows = await db
    .select()
    .from(courseNotifications)
    .where(where)
    .orderBy(desc(courseNotifications.id))
    .offset(page.offset)
    .limit(page.limit);
  return { rows, total: total?.n ?? 0 };
}

/** Notifications showing now on a course (for its page). */
export async function currentNotifications(
  db: Executor,
  courseId: string,
  now: Date,
): Promise<NotificationRow[]> {
  return db
    .select()
    .from(courseNotifications)
    .where(
      and(
        eq(courseNotifications.courseId, courseId),
        sql`${courseNotifications.startsAt} <= ${now.toISOString()}::timestamptz`,
        sql`${courseNotifications.endsAt} > ${now.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(desc(courseNotifications.id))
    .limit(20);
}
