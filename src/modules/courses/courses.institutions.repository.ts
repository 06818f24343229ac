import { and, asc, eq, ilike, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  courseJobs,
  institutionAdmins,
  institutionKeys,
  institutionMembers,
  institutions,
} from './courses.tables.ts';

export type InstitutionRow = typeof institutions.$inferSelect;
export type InstitutionMemberRow = typeof institutionMembers.$inferSelect;
export type CourseJobRow = typeof courseJobs.$inferSelect;

export async function insertInstitution(
  db: Executor,
  row: typeof institutions.$inferInsert,
): Promise<InstitutionRow> {
  const [inserted] = await db.insert(institutions).values(row).returning();
  if (!inserted) throw new Error('institution insert returned no row');
  return inserted;
}

export async function findInstitution(
  db: Executor,
  by: { id: string } | { path: string },
): Promise<InstitutionRow | undefined> {
  const where = 'id' in by ? eq(institutions.id, by.id) : eq(institutions.path, by.path);
  const [row] = await db.select().from(institutions).where(where).limit(1);
  return row;
}

export async function updateInstitution(
  db: Executor,
  path: string,
  set: Partial<Pick<InstitutionRow, 'name' | 'generateAccounts'>>,
): Promise<InstitutionRow | undefined> {
  const [row] = await db.update(institutions).set(set).where(eq(institutions.path, path)).returning();
  return row;
}

export async function insertInstitutionKey(
  db: Executor,
  row: typeof institutionKeys.$inferInsert,
): Promise<void> {
  await db.insert(institutionKeys).values(row);
}

export async function findInstitutionKey(db: Executor, id: string) {
  const [row] = await db.select().from(institutionKeys).where(eq(institutionKeys.id, id)).limit(1);
  return row;
}

export async function insertInstitutionAdmin(db: Executor, institutionId: string, userId: string, now: Date) {
  await db.insert(institutionAdmins).values({ institutionId, userId, createdAt: now }).onConflictDoNothing();
}

export async function isInstitutionAdminRow(
  db: Executor,
  institutionId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ userId: institutionAdmins.userId })
    .from(institutionAdmins)
    .where(and(eq(institutionAdmins.institutionId, institutionId), eq(institutionAdmins.userId, userId)))
    .limit(1);
  return row !== undefined;
}

/** Institutions the user administers (for Basic auth with a hub account). */
export async function adminInstitutionIds(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: institutionAdmins.institutionId })
    .from(institutionAdmins)
    .where(eq(institutionAdmins.userId, userId))
    .limit(100);
  return rows.map((r) => r.id);
}

export async function findMemberByEmail(
  db: Executor,
  institutionId: string,
  email: string,
): Promise<InstitutionMemberRow | undefined> {
  const [row] = await db
    .select()
    .from(institutionMembers)
    .where(and(eq(institutionMembers.institutionId, institutionId), eq(institutionMembers.email, email)))
    .limit(1);
  return row;
}

export async function findMembersByEmails(
  db: Executor,
  institutionId: string,
  emails: readonly string[],
): Promise<InstitutionMemberRow[]> {
  if (emails.length === 0) return [];
  return db
    .select()
    .from(institutionMembers)
    .where(
      and(
        eq(institutionMembers.institutionId, institutionId),
        inArray(institutionMembers.email, [...emails]),
      ),
    );
}

export async function findMemberByUser(db: Executor, institutionId: string, userId: string) {
  const [row] = await db
    .select()
    .from(institutionMembers)
    .where(and(eq(institutionMembers.institutionId, institutionId), eq(institutionMembers.userId, userId)))
    .limit(1);
  return row;
}

/** Inserts a member; returns undefined when the address is already in the institution (never invite twice). */
export async function insertMember(
  db: Executor,
  row: typeof institutionMembers.$inferInsert,
): Promise<InstitutionMemberRow | undefined> {
  const [inserted] = await db.insert(institutionMembers).values(row).onConflictDoNothing().returning();
  return inserted;
}

export async function updateMember(
  db: Executor,
  id: string,
  set: Partial<typeof institutionMembers.$inferInsert>,
): Promise<void> {
  await db.update(institutionMembers).set(set).where(eq(institutionMembers.id, id));
}

export async function listMembers(
  db: Executor,
  institutionId: string,
  options: { offset: number; limit: number; search?: string },
): Promise<InstitutionMemberRow[]> {
  const conditions = [
    eq(institutionMembers.institutionId, institutionId),
    isNotNull(institutionMembers.userId),
  ];
  if (options.search) {
    const like = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const byName = or(
      ilike(institutionMembers.fullName, like),
      ilike(institutionMembers.email, like),
      sql`exists (select 1 from unnest(${institutionMembers.groups}) g where g ilike ${like})`,
    );
    if (byName) conditions.push(byName);
  }
  return db
    .select()
    .from(institutionMembers)
    .where(and(...conditions))
    .orderBy(asc(institutionMembers.createdAt), asc(institutionMembers.id))
    .offset(options.offset)
    .limit(options.limit);
}

export async function insertJob(db: Executor, row: typeof courseJobs.$inferInsert): Promise<CourseJobRow> {
  const [inserted] = await db.insert(courseJobs).values(row).returning();
  if (!inserted) throw new Error('job insert returned no row');
  return inserted;
}

export async function findJob(db: Executor, id: string): Promise<CourseJobRow | undefined> {
  const [row] = await db.select().from(courseJobs).where(eq(courseJobs.id, id)).limit(1);
  return row;
}

export async function findJobForUpdate(db: Executor, id: string): Promise<CourseJobRow | undefined> {
  const [row] = await db.select().from(courseJobs).where(eq(courseJobs.id, id)).limit(1).for('update');
  return row;
}

export async function updateJob(db: Executor, id: string, set: Partial<typeof courseJobs.$inferInsert>) {
  await db.update(courseJobs).set(set).where(eq(courseJobs.id, id));
}

/**
 * Links every institution invitation to the address (member rows without a user) to the account, exactly
 * once, and returns the classes those invitations enrol in.
 */
export async function claimMemberships(db: Executor, email: string, userId: string): Promise<string[]> {
  const rows = await db
    .update(institutionMembers)
    .set({ userId })
    .where(and(eq(institutionMembers.email, email), isNull(institutionMembers.userId)))
    .returning({ enrolCohorts: institutionMembers.enrolCohorts });
  return rows.flatMap((r) => r.enrolCohorts);
}
