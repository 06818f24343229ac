import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { badgeBackpackItems } from './badges.tables.ts';

export type BackpackRow = typeof badgeBackpackItems.$inferSelect;

/** Inserts or refreshes (re-import of the same badge) a backpack item. */
export async function upsertBackpackItem(db: Executor, row: typeof badgeBackpackItems.$inferInsert) {
  const [saved] = await db
    .insert(badgeBackpackItems)
    .values(row)
    .onConflictDoUpdate({
      target: [badgeBackpackItems.userId, badgeBackpackItems.sourceId],
      set: {
        document: row.document,
        name: row.name,
        issuerName: row.issuerName,
        imageUrl: row.imageUrl,
        verifiedAt: row.verifiedAt,
      },
    })
    .returning();
  if (!saved) throw new Error('backpack upsert returned no row');
  return saved;
}

export async function backpackOf(db: Executor, userId: string) {
  return db
    .select()
    .from(badgeBackpackItems)
    .where(eq(badgeBackpackItems.userId, userId))
    .orderBy(asc(badgeBackpackItems.verifiedAt))
    .limit(200);
}

export async function backpackItemOf(db: Executor, userId: string, id: string) {
  const [row] = await db
    .select()
    .from(badgeBackpackItems)
    .where(and(eq(badgeBackpackItems.userId, userId), eq(badgeBackpackItems.id, id)))
    .limit(1);
  return row;
}

export async function deleteBackpackItem(db: Executor, userId: string, id: string) {
  const gone = await db
    .delete(badgeBackpackItems)
    .where(and(eq(badgeBackpackItems.userId, userId), eq(badgeBackpackItems.id, id)))
    .returning({ id: badgeBackpackItems.id });
  return gone.length > 0;
}
