import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { badgeSigningKeys } from './badges.tables.ts';

export type SigningKeyRow = typeof badgeSigningKeys.$inferSelect;

export async function findSigningKey(db: Executor, systemId: number) {
  const [row] = await db
    .select()
    .from(badgeSigningKeys)
    .where(eq(badgeSigningKeys.systemId, systemId))
    .limit(1);
  return row;
}

/** Inserts unless another process won the race; either way returns the system's one key. */
export async function insertSigningKey(db: Executor, row: typeof badgeSigningKeys.$inferInsert) {
  await db.insert(badgeSigningKeys).values(row).onConflictDoNothing();
  return findSigningKey(db, row.systemId);
}
