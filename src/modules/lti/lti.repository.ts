import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  ltiAccounts,
  ltiContexts,
  ltiLoginStates,
  ltiPlatforms,
  ltiResourceLinks,
  type ltiScoreDeliveries,
  ltiToolKeys,
  ltiUsedNonces,
} from './lti.tables.ts';

export type PlatformRow = typeof ltiPlatforms.$inferSelect;
export type NewPlatform = typeof ltiPlatforms.$inferInsert;
export type ToolKeyRow = typeof ltiToolKeys.$inferSelect;
export type LoginStateRow = typeof ltiLoginStates.$inferSelect;
export type ContextRow = typeof ltiContexts.$inferSelect;
export type ResourceLinkRow = typeof ltiResourceLinks.$inferSelect;
export type DeliveryRow = typeof ltiScoreDeliveries.$inferSelect;

// Platforms

export async function insertPlatform(db: Executor, row: NewPlatform): Promise<PlatformRow | undefined> {
  const [inserted] = await db.insert(ltiPlatforms).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updatePlatformRow(
  db: Executor,
  id: string,
  set: Partial<NewPlatform>,
): Promise<PlatformRow | undefined> {
  const [row] = await db.update(ltiPlatforms).set(set).where(eq(ltiPlatforms.id, id)).returning();
  return row;
}

export async function deletePlatformRow(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .delete(ltiPlatforms)
    .where(eq(ltiPlatforms.id, id))
    .returning({ id: ltiPlatforms.id });
  return rows.length > 0;
}

export async function findPlatform(db: Executor, id: string): Promise<PlatformRow | undefined> {
  const [row] = await db.select().from(ltiPlatforms).where(eq(ltiPlatforms.id, id)).limit(1);
  return row;
}

export async function findPlatformsByIssuer(db: Executor, issuer: string): Promise<PlatformRow[]> {
  return db.select().from(ltiPlatforms).where(eq(ltiPlatforms.issuer, issuer)).limit(50);
}

export async function listPlatformRows(
  db: Executor,
  options: { afterId?: string; limit: number },
): Promise<PlatformRow[]> {
  return db
    .select()
    .from(ltiPlatforms)
    .where(options.afterId ? sql`${ltiPlatforms.id} > ${options.afterId}` : undefined)
    .orderBy(ltiPlatforms.id)
    .limit(options.limit);
}

// Tool keys

export async function listToolKeys(db: Executor): Promise<ToolKeyRow[]> {
  return db.select().from(ltiToolKeys).orderBy(desc(ltiToolKeys.createdAt)).limit(20);
}

export async function insertToolKey(db: Executor, row: typeof ltiToolKeys.$inferInsert): Promise<void> {
  await db.insert(ltiToolKeys).values(row);
}

/** Retires every active key but `keepKid`. */
export async function retireToolKeys(db: Executor, keepKid: string, now: Date): Promise<void> {
  await db
    .update(ltiToolKeys)
    .set({ retiredAt: now })
    .where(and(isNull(ltiToolKeys.retiredAt), sql`${ltiToolKeys.kid} <> ${keepKid}`));
}

export async function deleteRetiredKeys(
  db: Executor,
  retiredBefore: Date,
  unusedSince: Date,
): Promise<number> {
  const rows = await db
    .delete(ltiToolKeys)
    .where(
      and(
        lt(ltiToolKeys.retiredAt, retiredBefore),
        or(isNull(ltiToolKeys.lastSignedAt), lt(ltiToolKeys.lastSignedAt, unusedSince)),
      ),
    )
    .returning({ kid: ltiToolKeys.kid });
  return rows.length;
}

export async function markKeyUsed(db: Executor, kid: string, now: Date): Promise<void> {
  await db.update(ltiToolKeys).set({ lastSignedAt: now }).where(eq(ltiToolKeys.kid, kid));
}

// Login states and nonces

export async function insertLoginState(db: Executor, row: typeof ltiLoginStates.$inferInsert): Promise<void> {
  await db.insert(ltiLoginStates).values(row);
}

export async function findLoginState(db: Executor, stateHash: string): Promise<LoginStateRow | undefined> {
  const [row] = await db
    .select()
    .from(ltiLoginStates)
    .where(eq(ltiLoginStates.stateHash, stateHash))
    .limit(1);
  return row;
}

/** Deletes the state and returns it: of two requests with the same state only one gets the row. */
export async function takeLoginState(db: Executor, stateHash: string): Promise<LoginStateRow | undefined> {
  const [row] = await db.delete(ltiLoginStates).where(eq(ltiLoginStates.stateHash, stateHash)).returning();
  return row;
}

/** Records a nonce as used; false when it was already used (a replay). */
export async function useNonce(
  db: Executor,
  row: { platformId: string; nonce: string; expiresAt: Date },
): Promise<boolean> {
  const inserted = await db
    .insert(ltiUsedNonces)
    .values(row)
    .onConflictDoNothing()
    .returning({ nonce: ltiUsedNonces.nonce });
  return inserted.length > 0;
}

export async function pruneLoginState(db: Executor, now: Date): Promise<void> {
  await db.delete(ltiLoginStates).where(lt(ltiLoginStates.expiresAt, now));
  await db.delete(ltiUsedNonces).where(lt(ltiUsedNonces.expiresAt, now));
}

// Accounts, contexts, resource links

export async function findAccount(db: Executor, issuer: string, sub: string) {
  const [row] = await db
    .select()
    .from(ltiAccounts)
    .where(and(eq(ltiAccounts.issuer, issuer), eq(ltiAccounts.sub, sub)))
    .limit(1);
  return row;
}

export async function findAccountsOfUsers(db: Executor, issuer: string, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(ltiAccounts)
    .where(and(eq(ltiAccounts.issuer, issuer), inArray(ltiAccounts.userId, [...userIds])));
}

export async function insertAccount(db: Executor, row: typeof ltiAccounts.$inferInsert): Promise<void> {
  await db.insert(ltiAccounts).values(row);
}

export async function findContext(
  db: Executor,
  platformId: string,
  contextId: string,
): Promise<ContextRow | undefined> {
  const [row] = await db
    .select()
    .from(ltiContexts)
    .where(and(eq(ltiContexts.platformId, platformId), eq(ltiContexts.contextId, contextId)))
    .limit(1);
  return row;
}

export async function findContextById(db: Executor, id: string): Promise<ContextRow | undefined> {
  const [row] = await db.select().from(ltiContexts).where(eq(ltiContexts.id, id)).limit(1);
  return row;
}

export async function insertContext(db: Executor, row: typeof ltiContexts.$inferInsert): Promise<ContextRow> {
  const [inserted] = await db.insert(ltiContexts).values(row).returning();
  if (!inserted) throw new Error('lti_contexts insert returned no row');
  return inserted;
}

export async function updateContext(db: Executor, id: string, set: Partial<ContextRow>): Promise<void> {
  await db.update(ltiContexts).set(set).where(eq(ltiContexts.id, id));
}

export async function findResourceLink(db: Executor, platformId: string, resourceLinkId: string) {
  const [row] = await db
    .select()
    .from(ltiResourceLinks)
    .where(
      and(eq(ltiResourceLinks.platformId, platformId), eq(ltiResourceLinks.resourceLinkId, resourceLinkId)),
    )
    .limit(1);
  return row;
}

export async function upsertResourceLink(db: Executor, row: typeof ltiResourceLinks.$inferInsert) {
  const [saved] = await db
    .insert(ltiResourceLinks)
    .values(row)
    .onConflictDoUpdate({
      target: [ltiResourceLinks.platformId, ltiResourceLinks.resourceLinkId],
      set: { title: row.title, lineItemUrl: row.lineItemUrl, updatedAt: row.updatedAt },
    })
    .returning();
  if (!saved) throw new Error('lti_resource_links upsert returned no row');
  return saved;
}

export async function listResourceLinksForTarget(db: Executor, kind: 'course' | 'activity', ref: string) {
  return db
    .select()
    .from(ltiResourceLinks)
    .where(and(eq(ltiResourceLinks.targetKind, kind), eq(ltiResourceLinks.targetRef, ref)))
    .limit(100);
}
