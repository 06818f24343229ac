import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { assessmentBadgeAwards, assessmentBadgeRules } from './assessment.tables.ts';

export type BadgeRuleRow = typeof assessmentBadgeRules.$inferSelect;

export async function findBadgeRule(db: Executor, activityId: number): Promise<BadgeRuleRow | undefined> {
  const [row] = await db
    .select()
    .from(assessmentBadgeRules)
    .where(eq(assessmentBadgeRules.activityId, activityId))
    .limit(1);
  return row;
}

export async function upsertBadgeRule(db: Executor, row: BadgeRuleRow): Promise<BadgeRuleRow> {
  const [out] = await db
    .insert(assessmentBadgeRules)
    .values(row)
    .onConflictDoUpdate({
      target: assessmentBadgeRules.activityId,
      set: { badgeId: row.badgeId, minGrade: row.minGrade, setBy: row.setBy, updatedAt: row.updatedAt },
    })
    .returning();
  return out ?? row;
}

export async function deleteBadgeRule(db: Executor, activityId: number): Promise<boolean> {
  const rows = await db
    .delete(assessmentBadgeRules)
    .where(eq(assessmentBadgeRules.activityId, activityId))
    .returning({ id: assessmentBadgeRules.activityId });
  return rows.length > 0;
}

/** Claims the (activity, student) award; false when it was claimed before (by this or an earlier version). */
export async function claimBadgeAward(
  db: Executor,
  row: typeof assessmentBadgeAwards.$inferInsert,
): Promise<boolean> {
  const rows = await db
    .insert(assessmentBadgeAwards)
    .values(row)
    .onConflictDoNothing()
    .returning({ userId: assessmentBadgeAwards.userId });
  return rows.length > 0;
}

export async function setAwardAssertion(
  db: Executor,
  activityId: number,
  userId: string,
  assertionId: string,
) {
  await db
    .update(assessmentBadgeAwards)
    .set({ assertionId })
    .where(and(eq(assessmentBadgeAwards.activityId, activityId), eq(assessmentBadgeAwards.userId, userId)));
}
