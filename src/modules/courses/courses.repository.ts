import { and, asc, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { courseAdmins, courseClasses, courseInvitations, courses, memberships } from './courses.tables.ts';

export type CourseRow = typeof courses.$inferSelect;
export type ClassRow = typeof courseClasses.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
type NewCourse = Omit<typeof courses.$inferInsert, 'search'>;

/** The weighted search document: title (and shortcode) A, tags B, description C. */
function searchDocument(
  title: string,
  shortcode: string | null,
  tags: readonly string[],
  description: string,
): SQL {
  return sql`setweight(to_tsvector('english', ${`${title} ${shortcode ?? ''}`}), 'A')
    || setweight(to_tsvector('english', ${tags.join(' ')}), 'B')
    || setweight(to_tsvector('english', ${description}), 'C')`;
}

export async function insertCourse(db: Executor, row: NewCourse): Promise<CourseRow> {
  const search = searchDocument(row.title, row.shortcode ?? null, row.tags ?? [], row.description ?? '');
  const [inserted] = await db
    .insert(courses)
    .values({ ...row, search })
    .returning();
  if (!inserted) throw new Error('course insert returned no row');
  return inserted;
}

export async function updateCourseRow(db: Executor, id: string, row: Partial<NewCourse>): Promise<CourseRow> {
  const [current] = await db.select().from(courses).where(eq(courses.id, id)).limit(1);
  if (!current) throw new Error('course vanished');
  const defined = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
  const merged = { ...current, ...defined };
  const search = searchDocument(merged.title, merged.shortcode, merged.tags, merged.description);
  const [updated] = await db
    .update(courses)
    .set({ ...defined, search })
    .where(eq(courses.id, id))
    .returning();
  if (!updated) throw new Error('course update returned no row');
  return updated;
}

export async function deleteCourseRow(db: Executor, id: string): Promise<void> {
  await db.delete(courses).where(eq(courses.id, id));
}

export async function findCourse(
  db: Executor,
  by: { id: string } | { path: string },
): Promise<CourseRow | undefined> {
  const where = 'id' in by ? eq(courses.id, by.id) : eq(courses.path, by.path);
  const [row] = await db.select().from(courses).where(where).limit(1);
  return row;
}

export async function findCourseForUpdate(db: Executor, id: string): Promise<CourseRow | undefined> {
  const [row] = await db.select().from(courses).where(eq(courses.id, id)).limit(1).for('update');
  return row;
}

export async function findCourseByOwnerShortcode(
  db: Executor,
  owner: { appId?: string | null; institutionId?: string | null; userId?: string | null },
  shortcode: string,
): Promise<CourseRow | undefined> {
  const where = owner.appId
    ? eq(courses.ownerAppId, owner.appId)
    : owner.institutionId
      ? eq(courses.ownerInstitutionId, owner.institutionId)
      : owner.userId
        ? eq(courses.ownerUserId, owner.userId)
        : undefined;
  if (!where) return undefined;
  const [row] = await db
    .select()
    .from(courses)
    .where(and(where, eq(courses.shortcode, shortcode)))
    .limit(1);
  return row;
}

export async function listInstitutionCourses(db: Executor, institutionId: string): Promise<CourseRow[]> {
  return db
    .select()
    .from(courses)
    .where(eq(courses.ownerInstitutionId, institutionId))
    .orderBy(asc(courses.createdAt))
    .limit(500);
}

// --- classes ---

export async function insertClass(db: Executor, row: typeof courseClasses.$inferInsert): Promise<ClassRow> {
  const [inserted] = await db.insert(courseClasses).values(row).returning();
  if (!inserted) throw new Error('class insert returned no row');
  return inserted;
}

export async function updateClassRow(
  db: Executor,
  id: string,
  row: Partial<typeof courseClasses.$inferInsert>,
): Promise<ClassRow> {
  const [updated] = await db.update(courseClasses).set(row).where(eq(courseClasses.id, id)).returning();
  if (!updated) throw new Error('class update returned no row');
  return updated;
}

export async function findClass(
  db: Executor,
  by: { id: string } | { path: string },
): Promise<ClassRow | undefined> {
  const where = 'id' in by ? eq(courseClasses.id, by.id) : eq(courseClasses.path, by.path);
  const [row] = await db.select().from(courseClasses).where(where).limit(1);
  return row;
}

export async function findClassesByPaths(db: Executor, paths: readonly string[]): Promise<ClassRow[]> {
  if (paths.length === 0) return [];
  return db
    .select()
    .from(courseClasses)
    .where(inArray(courseClasses.path, [...paths]));
}

export async function listClasses(db: Executor, courseId: string): Promise<ClassRow[]> {
  return db
    .select()
    .from(courseClasses)
    .where(eq(courseClasses.courseId, courseId))
    .orderBy(asc(courseClasses.createdAt), asc(courseClasses.id))
    .limit(500);
}

// --- admins ---

export async function insertCourseAdmin(
  db: Executor,
  courseId: string,
  userId: string,
  now: Date,
): Promise<void> {
  await db.insert(courseAdmins).values({ courseId, userId, createdAt: now }).onConflictDoNothing();
}

export async function listCourseAdminIds(db: Executor, courseId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: courseAdmins.userId })
    .from(courseAdmins)
    .where(eq(courseAdmins.courseId, courseId))
    .orderBy(asc(courseAdmins.createdAt))
    .limit(500);
  return rows.map((r) => r.userId);
}

export async function isCourseAdminRow(db: Executor, courseId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: courseAdmins.userId })
    .from(courseAdmins)
    .where(and(eq(courseAdmins.courseId, courseId), eq(courseAdmins.userId, userId)))
    .limit(1);
  return row !== undefined;
}

// --- memberships ---

/** Inserts or re-activates a membership; returns whether it became active just now. */
export async function upsertMembership(
  db: Executor,
  row: { courseId: string; userId: string; classId: string | null; role: string; now: Date },
): Promise<boolean> {
  const existing = await findMembership(db, row.courseId, row.userId);
  if (existing?.status === 'active') return false;
  await db
    .insert(memberships)
    .values({
      courseId: row.courseId,
      userId: row.userId,
      classId: row.classId,
      role: row.role,
      status: 'active',
      createdAt: row.now,
      updatedAt: row.now,
    })
    .onConflictDoUpdate({
      target: [memberships.courseId, memberships.userId],
      set: { status: 'active', classId: row.classId, role: row.role, updatedAt: row.now },
    });
  return true;
}

export async function findMembership(
  db: Executor,
  courseId: string,
  userId: string,
): Promise<MembershipRow | undefined> {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.courseId, courseId), eq(memberships.userId, userId)))
    .limit(1);
  return row;
}

export async function updateMembership(
  db: Executor,
  courseId: string,
  userId: string,
  set: Partial<typeof memberships.$inferInsert>,
): Promise<void> {
  await db
    .update(memberships)
    .set(set)
    .where(and(eq(memberships.courseId, courseId), eq(memberships.userId, userId)));
}

export async function listMemberships(
  db: Executor,
  courseId: string,
  options: { afterUserId?: string; limit: number; activeOnly: boolean },
): Promise<MembershipRow[]> {
  const conditions = [eq(memberships.courseId, courseId)];
  if (options.activeOnly) conditions.push(eq(memberships.status, 'active'));
  if (options.afterUserId) conditions.push(gt(memberships.userId, options.afterUserId));
  return db
    .select()
    .from(memberships)
    .where(and(...conditions))
    .orderBy(asc(memberships.userId))
    .limit(options.limit);
}

export async function listUserMemberships(db: Executor, userId: string): Promise<MembershipRow[]> {
  return db.select().from(memberships).where(eq(memberships.userId, userId)).limit(500);
}

// --- invitations ---

/** Records an invitation; false when that address was already invited to the class. */
export async function insertInvitation(
  db: Executor,
  row: { id: string; classId: string; email: string; now: Date },
): Promise<boolean> {
  const inserted = await db
    .insert(courseInvitations)
    .values({ id: row.id, classId: row.classId, email: row.email, createdAt: row.now })
    .onConflictDoNothing()
    .returning({ id: courseInvitations.id });
  return inserted.length > 0;
}

export async function findPendingInvitation(db: Executor, classIds: readonly string[], email: string) {
  if (classIds.length === 0) return undefined;
  const [row] = await db
    .select()
    .from(courseInvitations)
    .where(
      and(
        inArray(courseInvitations.classId, [...classIds]),
        eq(courseInvitations.email, email),
        isNull(courseInvitations.acceptedAt),
      ),
    )
    .limit(1);
  return row;
}

export async function acceptInvitation(db: Executor, id: string, now: Date): Promise<void> {
  await db.update(courseInvitations).set({ acceptedAt: now }).where(eq(courseInvitations.id, id));
}

/**
 * Accepts every pending class invitation to the address (exactly once: a second claim finds none pending)
 * and returns the invited classes.
 */
export async function claimInvitations(db: Executor, email: string, now: Date): Promise<string[]> {
  const rows = await db
    .update(courseInvitations)
    .set({ acceptedAt: now })
    .where(and(eq(courseInvitations.email, email), isNull(courseInvitations.acceptedAt)))
    .returning({ classId: courseInvitations.classId });
  return rows.map((r) => r.classId);
}
