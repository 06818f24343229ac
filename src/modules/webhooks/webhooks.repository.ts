import { and, asc, desc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookNotices } from './webhooks.tables.ts';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;
export type NoticeRow = typeof webhookNotices.$inferSelect;

/** Keyset position for newest-first lists on (created_at, id). */
export interface PagePosition {
  readonly createdAt: Date;
  readonly id: string;
}

function before(
  column:
    | { createdAt: typeof webhookEndpoints.createdAt; id: typeof webhookEndpoints.id }
    | {
        createdAt: typeof webhookDeliveries.createdAt;
        id: typeof webhookDeliveries.id;
      },
  after: PagePosition | undefined,
) {
  return after
    ? sql`(${column.createdAt}, ${column.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)`
    : undefined;
}

export async function insertEndpoint(db: Executor, row: typeof webhookEndpoints.$inferInsert) {
  const [inserted] = await db.insert(webhookEndpoints).values(row).returning();
  if (!inserted) throw new Error('webhook endpoint insert returned no row');
  return inserted;
}

export async function findEndpoint(db: Executor, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).limit(1);
  return row;
}

/** Locks the endpoint row so concurrent failure bookkeeping (failing_since, disabling) serialises. */
export async function findEndpointForUpdate(db: Executor, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).for('update');
  return row;
}

export async function listEndpoints(
  db: Executor,
  appId: string,
  options: { limit: number; after?: PagePosition | undefined },
): Promise<EndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.appId, appId), before(webhookEndpoints, options.after)))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
    .limit(options.limit);
}

export async function countEndpoints(db: Executor, appId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.appId, appId));
  return row?.n ?? 0;
}

export async function enabledEndpointsOf(db: Executor, appIds: readonly string[]): Promise<EndpointRow[]> {
  if (appIds.length === 0) return [];
  return db
    .select()
    .from(webhookEndpoints)
    .where(and(inArray(webhookEndpoints.appId, [...appIds]), eq(webhookEndpoints.enabled, true)));
}

export async function updateEndpoint(
  db: Executor,
  id: string,
  changes: Partial<typeof webhookEndpoints.$inferInsert>,
): Promise<EndpointRow | undefined> {
  const [row] = await db.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, id)).returning();
  return row;
}

export async function deleteEndpoint(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** Inserts unless the endpoint already has a delivery for the event; returns the row only when inserted. */
export async function insertDeliveryOnce(
  db: Executor,
  row: typeof webhookDeliveries.$inferInsert,
): Promise<DeliveryRow | undefined> {
  const [inserted] = await db
    .insert(webhookDeliveries)
    .values(row)
    .onConflictDoNothing({ target: [webhookDeliveries.endpointId, webhookDeliveries.eventId] })
    .returning();
  return inserted;
}

export async function findDelivery(db: Executor, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1);
  return row;
}

export async function findDeliveryForUpdate(db: Executor, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).for('update');
  return row;
}

export async function listDeliveries(
  db: Executor,
  endpointId: string,
  options: { limit: number; after?: PagePosition | undefined; status?: DeliveryRow['status'] | undefined },
): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        options.status ? eq(webhookDeliveries.status, options.status) : undefined,
        before(webhookDeliveries, options.after),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit);
}

export async function updateDelivery(
  db: Executor,
  id: string,
  changes: Partial<typeof webhookDeliveries.$inferInsert>,
): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .update(webhookDeliveries)
    .set(changes)
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return row;
}

/** Gives up on every pending delivery of a disabled endpoint. */
export async function failPendingDeliveries(db: Executor, endpointId: string, reason: string, now: Date) {
  await db
    .update(webhookDeliveries)
    .set({ status: 'failed', lastError: reason, nextAttemptAt: null, updatedAt: now })
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, 'pending')));
}

/** Records an attempt; false when this (delivery, chain, attempt) was already recorded. */
export async function insertAttempt(
  db: Executor,
  row: typeof webhookAttempts.$inferInsert,
): Promise<boolean> {
  const rows = await db
    .insert(webhookAttempts)
    .values(row)
    .onConflictDoNothing({
      target: [webhookAttempts.deliveryId, webhookAttempts.chain, webhookAttempts.attempt],
    })
    .returning({ id: webhookAttempts.id });
  return rows.length > 0;
}

/** The attempts of one delivery, oldest first, bounded (a delivery has at most a few chains of 11). */
export async function attemptsOf(db: Executor, deliveryId: string, limit = 200): Promise<AttemptRow[]> {
  return db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.chain), asc(webhookAttempts.attempt))
    .limit(limit);
}

/** The latest attempt of each of the given deliveries (duration and time for the page). */
export async function lastAttemptsOf(db: Executor, deliveryIds: readonly string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectDistinctOn([webhookAttempts.deliveryId])
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, [...deliveryIds]))
    .orderBy(webhookAttempts.deliveryId, desc(webhookAttempts.chain), desc(webhookAttempts.attempt));
}

export async function insertNotice(
  db: Executor,
  row: typeof webhookNotices.$inferInsert,
): Promise<NoticeRow> {
  const [inserted] = await db.insert(webhookNotices).values(row).returning();
  if (!inserted) throw new Error('webhook notice insert returned no row');
  return inserted;
}

export async function noticesOf(db: Executor, appId: string, limit = 50): Promise<NoticeRow[]> {
  return db
    .select()
    .from(webhookNotices)
    .where(eq(webhookNotices.appId, appId))
    .orderBy(desc(webhookNotices.createdAt))
    .limit(limit);
}

/** Deletes finished deliveries (with their attempts, by cascade) last touched before `before`. */
export async function deleteFinishedDeliveries(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(webhookDeliveries)
    .where(and(ne(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.updatedAt, before)))
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}
