import { and, asc, count, eq, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { Page } from './badges.repository.ts';
import {
  badgeClaimCodes,
  badgeConsumers,
  badgeInstances,
  badgeMilestoneBadges,
  badgeMilestones,
  badges,
  badgeWebhookDeliveries,
  badgeWebhooks,
} from './badges.tables.ts';

export * from './badges.applications.repository.ts';

import { paged, total } from './badges.applications.repository.ts';

export type ClaimCodeRow = typeof badgeClaimCodes.$inferSelect;
export type InstanceRow = typeof badgeInstances.$inferSelect;
export type MilestoneRow = typeof badgeMilestones.$inferSelect;
export type WebhookRow = typeof badgeWebhooks.$inferSelect;
export type ConsumerRow = typeof badgeConsumers.$inferSelect;

// Claim codes

export async function listCodes(db: Executor, badgeId: number, page?: Page) {
  const where = eq(badgeClaimCodes.badgeId, badgeId);
  const rows = await paged(
    db.select().from(badgeClaimCodes).where(where).orderBy(asc(badgeClaimCodes.id)).$dynamic(),
    page,
  );
  return { rows, total: page ? await total(db, badgeClaimCodes, where) : rows.length };
}
export async function findCode(db: Executor, badgeId: number, code: string, lock = false) {
  const q = db
    .select()
    .from(badgeClaimCodes)
    .where(and(eq(badgeClaimCodes.badgeId, badgeId), eq(badgeClaimCodes.code, code)))
    .limit(1);
  const [row] = lock ? await q.for('update') : await q;
  return row;
}
export async function findCodeInBadges(db: Executor, badgeIds: number[], code: string) {
  if (badgeIds.length === 0) return undefined;
  const [row] = await db
    .select()
    .from(badgeClaimCodes)
    .where(and(inArray(badgeClaimCodes.badgeId, badgeIds), eq(badgeClaimCodes.code, code)))
    .orderBy(asc(badgeClaimCodes.id))
    .limit(1);
  return row;
}
export async function insertCode(db: Executor, row: typeof badgeClaimCodes.$inferInsert) {
  const [r] = await db.insert(badgeClaimCodes).values(row).returning();
  if (!r) throw new Error('insert returned no row');
  return r;
}
export async function claimCode(db: Executor, id: number, email: string | null) {
  const [r] = await db
    .update(badgeClaimCodes)
    .set({ claimed: true, email })
    .where(eq(badgeClaimCodes.id, id))
    .returning();
  return r;
}
export async function deleteCode(db: Executor, id: number) {
  await db.delete(badgeClaimCodes).where(eq(badgeClaimCodes.id, id));
}

// Instances (awards). Revoked ones are invisible to BadgeKit's routes.

const live = isNull(badgeInstances.revokedAt);

export async function insertInstance(db: Executor, row: typeof badgeInstances.$inferInsert) {
  const [r] = await db.insert(badgeInstances).values(row).returning();
  if (!r) throw new Error('insert returned no row');
  return r;
}
export async function findLiveInstance(db: Executor, badgeId: number, email: string) {
  const [r] = await db
    .select()
    .from(badgeInstances)
    .where(and(eq(badgeInstances.badgeId, badgeId), eq(badgeInstances.email, email), live))
    .limit(1);
  return r;
}
export async function findLiveInstanceInBadges(db: Executor, badgeIds: number[], email: string) {
  if (badgeIds.length === 0) return undefined;
  const [r] = await db
    .select()
    .from(badgeInstances)
    .where(and(inArray(badgeInstances.badgeId, badgeIds), eq(badgeInstances.email, email), live))
    .orderBy(asc(badgeInstances.id))
    .limit(1);
  return r;
}
export async function findInstanceBySlug(db: Executor, slug: string) {
  const [r] = await db.select().from(badgeInstances).where(eq(badgeInstances.slug, slug)).limit(1);
  return r;
}
export async function listInstances(db: Executor, where: SQL, page?: Page) {
  const w = and(where, live);
  const rows = await paged(
    db.select().from(badgeInstances).where(w).orderBy(asc(badgeInstances.id)).$dynamic(),
    page,
  );
  return { rows, total: page ? await total(db, badgeInstances, w) : rows.length };
}
export const instancesOfBadge = (badgeId: number) => eq(badgeInstances.badgeId, badgeId);
export const instancesOfEmailIn = (email: string, badgeIds: number[]) =>
  and(
    eq(badgeInstances.email, email),
    inArray(badgeInstances.badgeId, badgeIds.length ? badgeIds : [-1]),
  ) as SQL;
export async function liveInstancesOfEmails(db: Executor, emails: string[]) {
  if (emails.length === 0) return [];
  return db
    .select()
    .from(badgeInstances)
    .where(and(inArray(badgeInstances.email, emails), live))
    .orderBy(asc(badgeInstances.id));
}
export async function revokeInstance(db: Executor, id: number, at: Date, reason: string | null) {
  const [r] = await db
    .update(badgeInstances)
    .set({ revokedAt: at, revocationReason: reason })
    .where(and(eq(badgeInstances.id, id), live))
    .returning();
  return r;
}
export async function revokedOfBadges(db: Executor, badgeIds: number[]) {
  if (badgeIds.length === 0) return [];
  return db
    .select()
    .from(badgeInstances)
    .where(and(inArray(badgeInstances.badgeId, badgeIds), isNotNull(badgeInstances.revokedAt)));
}
export async function badgeIdsOf(db: Executor, where: SQL) {
  const rows = await db.select({ id: badges.id }).from(badges).where(where);
  return rows.map((r) => r.id);
}

// Milestones

export async function listMilestones(db: Executor, systemId: number, page?: Page) {
  const where = eq(badgeMilestones.systemId, systemId);
  const rows = await paged(
    db.select().from(badgeMilestones).where(where).orderBy(asc(badgeMilestones.id)).$dynamic(),
    page,
  );
  return { rows, total: page ? await total(db, badgeMilestones, where) : rows.length };
}
export async function findMilestone(db: Executor, systemId: number, id: number) {
  const [r] = await db
    .select()
    .from(badgeMilestones)
    .where(and(eq(badgeMilestones.systemId, systemId), eq(badgeMilestones.id, id)))
    .limit(1);
  return r;
}
export async function milestonesWithPrimary(db: Executor, badgeId: number, systemId: number) {
  return db
    .select()
    .from(badgeMilestones)
    .where(and(eq(badgeMilestones.primaryBadgeId, badgeId), eq(badgeMilestones.systemId, systemId)))
    .orderBy(asc(badgeMilestones.id));
}
export async function milestonesSupportedBy(db: Executor, badgeId: number) {
  return db
    .select({ m: badgeMilestones })
    .from(badgeMilestones)
    .innerJoin(badgeMilestoneBadges, eq(badgeMilestoneBadges.milestoneId, badgeMilestones.id))
    .where(eq(badgeMilestoneBadges.badgeId, badgeId));
}
export async function supportBadgeIds(db: Executor, milestoneIds: number[]) {
  if (milestoneIds.length === 0) return [];
  return db
    .select()
    .from(badgeMilestoneBadges)
    .where(inArray(badgeMilestoneBadges.milestoneId, milestoneIds))
    .orderBy(asc(badgeMilestoneBadges.id));
}
export async function insertMilestone(db: Executor, row: typeof badgeMilestones.$inferInsert) {
  const [r] = await db.insert(badgeMilestones).values(row).returning();
  if (!r) throw new Error('insert returned no row');
  return r;
}
export async function updateMilestone(
  db: Executor,
  id: number,
  set: Partial<typeof badgeMilestones.$inferInsert>,
) {
  if (Object.keys(set).length > 0)
    await db.update(badgeMilestones).set(set).where(eq(badgeMilestones.id, id));
}
export async function deleteMilestone(db: Executor, id: number) {
  await db.delete(badgeMilestones).where(eq(badgeMilestones.id, id));
}
export async function setSupport(db: Executor, milestoneId: number, badgeIds: number[]) {
  await db.delete(badgeMilestoneBadges).where(eq(badgeMilestoneBadges.milestoneId, milestoneId));
  await addSupport(db, milestoneId, badgeIds);
}
export async function addSupport(db: Executor, milestoneId: number, badgeIds: number[]) {
  if (badgeIds.length === 0) return;
  await db
    .insert(badgeMilestoneBadges)
    .values(badgeIds.map((badgeId) => ({ milestoneId, badgeId })))
    .onConflictDoNothing();
}
export async function removeSupport(db: Executor, milestoneId: number, badgeId: number) {
  await db
    .delete(badgeMilestoneBadges)
    .where(and(eq(badgeMilestoneBadges.milestoneId, milestoneId), eq(badgeMilestoneBadges.badgeId, badgeId)));
}
export async function countHeld(db: Executor, email: string, badgeIds: number[]) {
  if (badgeIds.length === 0) return 0;
  const [r] = await db
    .select({ n: count() })
    .from(badgeInstances)
    .where(and(eq(badgeInstances.email, email), inArray(badgeInstances.badgeId, badgeIds), live));
  return r?.n ?? 0;
}

// Webhooks, deliveries, consumers

export async function findWebhook(db: Executor, systemId: number) {
  const [r] = await db
    .select()
    .from(badgeWebhooks)
    .where(eq(badgeWebhooks.systemId, systemId))
    .orderBy(asc(badgeWebhooks.id))
    .limit(1);
  return r;
}
export async function findWebhookById(db: Executor, id: number) {
  const [r] = await db.select().from(badgeWebhooks).where(eq(badgeWebhooks.id, id)).limit(1);
  return r;
}
export async function upsertWebhook(db: Executor, row: typeof badgeWebhooks.$inferInsert) {
  const [r] = await db
    .insert(badgeWebhooks)
    .values(row)
    .onConflictDoUpdate({
      target: [badgeWebhooks.url, badgeWebhooks.systemId],
      set: { secretSealed: row.secretSealed },
    })
    .returning();
  if (!r) throw new Error('insert returned no row');
  return r;
}
export async function insertDelivery(db: Executor, row: typeof badgeWebhookDeliveries.$inferInsert) {
  await db.insert(badgeWebhookDeliveries).values(row);
}
export async function findDelivery(db: Executor, id: string) {
  const [r] = await db
    .select()
    .from(badgeWebhookDeliveries)
    .where(eq(badgeWebhookDeliveries.id, id))
    .limit(1);
  return r;
}
export async function updateDelivery(
  db: Executor,
  id: string,
  set: Partial<typeof badgeWebhookDeliveries.$inferInsert>,
) {
  await db.update(badgeWebhookDeliveries).set(set).where(eq(badgeWebhookDeliveries.id, id));
}
export async function insertConsumer(db: Executor, row: typeof badgeConsumers.$inferInsert) {
  const [r] = await db.insert(badgeConsumers).values(row).returning();
  if (!r) throw new Error('insert returned no row');
  return r;
}
export async function findConsumer(db: Executor, apiKey: string) {
  const [r] = await db.select().from(badgeConsumers).where(eq(badgeConsumers.apiKey, apiKey)).limit(1);
  return r;
}

/** Ids of a system's revoked awards with `from <= id < to` (one status list's worth). */
export async function revokedIdsInRange(db: Executor, systemId: number, from: number, to: number) {
  const rows = await db
    .select({ id: badgeInstances.id })
    .from(badgeInstances)
    .innerJoin(badges, eq(badges.id, badgeInstances.badgeId))
    .where(
      and(
        eq(badges.systemId, systemId),
        isNotNull(badgeInstances.revokedAt),
        sql`${badgeInstances.id} >= ${from} and ${badgeInstances.id} < ${to}`,
      ),
    );
  return rows.map((r) => r.id);
}
