import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { ltiAccounts, ltiResourceLinks, ltiScoreDeliveries } from './lti.tables.ts';

export type DeliveryRow = typeof ltiScoreDeliveries.$inferSelect;

/** The resource links leading to a target, with the person's sub on each link's platform (if linked). */
export async function linksWithAccount(
  db: Executor,
  kind: 'course' | 'activity',
  ref: string,
  userId: string,
) {
  return db
    .select({ link: ltiResourceLinks, sub: ltiAccounts.sub })
    .from(ltiResourceLinks)
    .innerJoin(
      ltiAccounts,
      and(eq(ltiAccounts.platformId, ltiResourceLinks.platformId), eq(ltiAccounts.userId, userId)),
    )
    .where(and(eq(ltiResourceLinks.targetKind, kind), eq(ltiResourceLinks.targetRef, ref)))
    .limit(50);
}

/** A new delivery, or nothing when this score (link, person, timestamp) was already recorded. */
export async function insertDelivery(db: Executor, row: typeof ltiScoreDeliveries.$inferInsert) {
  const [inserted] = await db.insert(ltiScoreDeliveries).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function findDelivery(db: Executor, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(ltiScoreDeliveries).where(eq(ltiScoreDeliveries.id, id)).limit(1);
  return row;
}

export async function updateDelivery(db: Executor, id: string, set: Partial<DeliveryRow>): Promise<void> {
  await db.update(ltiScoreDeliveries).set(set).where(eq(ltiScoreDeliveries.id, id));
}

export async function countAttempt(db: Executor, id: string): Promise<void> {
  await db
    .update(ltiScoreDeliveries)
    .set({ attempts: sql`${ltiScoreDeliveries.attempts} + 1` })
    .where(eq(ltiScoreDeliveries.id, id));
}

export async function setLinkLineItem(db: Executor, linkId: string, lineItemUrl: string): Promise<void> {
  await db.update(ltiResourceLinks).set({ lineItemUrl }).where(eq(ltiResourceLinks.id, linkId));
}

export async function findLink(db: Executor, id: string) {
  const [row] = await db.select().from(ltiResourceLinks).where(eq(ltiResourceLinks.id, id)).limit(1);
  return row;
}

export async function listDeliveries(
  db: Executor,
  platformId: string,
  limit: number,
): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(ltiScoreDeliveries)
    .where(eq(ltiScoreDeliveries.platformId, platformId))
    .orderBy(desc(ltiScoreDeliveries.createdAt))
    .limit(limit);
}
