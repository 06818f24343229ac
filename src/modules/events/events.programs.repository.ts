import { and, asc, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { ACCESS_CHANNEL } from './events.access-listener.ts';
import { eventGrants, eventProgramKeys, eventPrograms, eventTypes } from './events.tables.ts';

export type ProgramRow = typeof eventPrograms.$inferSelect;
export type ProgramKeyRow = typeof eventProgramKeys.$inferSelect;
export type GrantRow = typeof eventGrants.$inferSelect;
export type EventTypeRow = typeof eventTypes.$inferSelect;

export async function findProgram(db: Executor, id: string): Promise<ProgramRow | undefined> {
  const [row] = await db.select().from(eventPrograms).where(eq(eventPrograms.id, id)).limit(1);
  return row;
}

/** Inserts the program; false when one with that id exists already. */
export async function insertProgram(db: Executor, row: typeof eventPrograms.$inferInsert): Promise<boolean> {
  const rows = await db
    .insert(eventPrograms)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: eventPrograms.id });
  return rows.length > 0;
}

export async function listPrograms(db: Executor): Promise<ProgramRow[]> {
  return db.select().from(eventPrograms).orderBy(asc(eventPrograms.id)).limit(10_000);
}

export async function insertKey(db: Executor, row: typeof eventProgramKeys.$inferInsert): Promise<void> {
  await db.insert(eventProgramKeys).values(row);
}

export async function findKey(db: Executor, id: string): Promise<ProgramKeyRow | undefined> {
  const [row] = await db.select().from(eventProgramKeys).where(eq(eventProgramKeys.id, id)).limit(1);
  return row;
}

export async function revokeKey(db: Executor, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(eventProgramKeys)
    .set({ revokedAt: now })
    .where(and(eq(eventProgramKeys.id, id), isNull(eventProgramKeys.revokedAt)))
    .returning({ id: eventProgramKeys.id });
  return rows.length > 0;
}

/** Records use at most once a minute per key, so a busy key does not write on every request. */
export async function touchKey(db: Executor, id: string, now: Date): Promise<void> {
  const aMinuteAgo = new Date(now.getTime() - 60_000);
  await db
    .update(eventProgramKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(eventProgramKeys.id, id),
        or(isNull(eventProgramKeys.lastUsedAt), lt(eventProgramKeys.lastUsedAt, aMinuteAgo)),
      ),
    );
}

export async function upsertGrant(db: Executor, row: typeof eventGrants.$inferInsert): Promise<void> {
  await db
    .insert(eventGrants)
    .values(row)
    .onConflictDoUpdate({
      target: [eventGrants.consumerId, eventGrants.producerId],
      set: { types: row.types ?? null, createdAt: row.createdAt },
    });
}

export async function deleteGrant(db: Executor, consumerId: string, producerId: string): Promise<boolean> {
  const rows = await db
    .delete(eventGrants)
    .where(and(eq(eventGrants.consumerId, consumerId), eq(eventGrants.producerId, producerId)))
    .returning({ c: eventGrants.consumerId });
  return rows.length > 0;
}

export async function grantsOf(db: Executor, consumerIds: readonly string[]): Promise<GrantRow[]> {
  if (consumerIds.length === 0) return [];
  return db
    .select()
    .from(eventGrants)
    .where(or(...consumerIds.map((id) => eq(eventGrants.consumerId, id))));
}

export async function listEventTypes(db: Executor): Promise<EventTypeRow[]> {
  return db.select().from(eventTypes).orderBy(asc(eventTypes.name)).limit(10_000);
}

export async function findEventType(db: Executor, name: string): Promise<EventTypeRow | undefined> {
  const [row] = await db.select().from(eventTypes).where(eq(eventTypes.name, name)).limit(1);
  return row;
}

export async function upsertEventType(
  db: Executor,
  row: typeof eventTypes.$inferInsert,
): Promise<EventTypeRow> {
  const [saved] = await db
    .insert(eventTypes)
    .values(row)
    .onConflictDoUpdate({
      target: eventTypes.name,
      set: { description: row.description, schema: row.schema ?? null, updatedAt: row.updatedAt },
    })
    .returning();
  if (!saved) throw new Error('event type upsert returned no row');
  return saved;
}

/** A program's keys, newest first (bounded). */
export async function listKeys(db: Executor, programId: string): Promise<ProgramKeyRow[]> {
  return db
    .select()
    .from(eventProgramKeys)
    .where(eq(eventProgramKeys.programId, programId))
    .orderBy(desc(eventProgramKeys.createdAt), asc(eventProgramKeys.id))
    .limit(1_000);
}

/** Grants where the program is the consumer or the producer (bounded). */
export async function grantsInvolving(db: Executor, programId: string): Promise<GrantRow[]> {
  return db
    .select()
    .from(eventGrants)
    .where(or(eq(eventGrants.consumerId, programId), eq(eventGrants.producerId, programId)))
    .orderBy(asc(eventGrants.producerId), asc(eventGrants.consumerId))
    .limit(10_000);
}

/**
 * Tells every hub process that keys or grants changed (events.access-listener.ts). Sent in the changing
 * transaction (or right after an autocommitted change): PostgreSQL delivers it on commit.
 */
export async function announceAccessChange(db: Executor): Promise<void> {
  await db.execute(sql`select pg_notify(${ACCESS_CHANNEL}, '')`);
}
