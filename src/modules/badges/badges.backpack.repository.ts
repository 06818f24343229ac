import { asc, eq } from 'drizzle-orm';
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
