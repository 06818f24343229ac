import { and, asc, count, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { CourseRow, MembershipRow } from './courses.repository.ts';
import { courses, memberships } from './courses.tables.ts';

/** Which courses a reader (a registered platform) may see. */
export interface CourseScope {
  readonly all: boolean;
  readonly courseIds: readonly string[];
  readonly institutionIds: readonly string[];
}

function scopeCondition(scope: CourseScope): SQL | undefined {
  if (scope.all) return undefined;
  const parts: SQL[] = [];
  if (scope.courseIds.length > 0) parts.push(inArray(courses.id, [...scope.courseIds]));
  if (scope.institutionIds.length > 0)
    parts.push(inArray(courses.ownerInstitutionId, [...scope.institutionIds]));
  // An empty scope matches nothing.
  return parts.length > 0 ? or(...parts) : inArray(courses.id, []);
}

/** Page-numbered listing (offset) for wire formats that page by number, with the total for page counts. */
export async function pageCoursesInScope(
  db: Executor,
  scope: CourseScope,
  options: { offset: number; limit: number },
): Promise<{ rows: CourseRow[]; total: number }> {
  const where = scopeCondition(scope);
  const [total] = await db.select({ n: count() }).from(courses).where(where);
  const rows = await db
    .select()
    .from(courses)
    .where(where)
    .orderBy(asc(courses.createdAt), asc(courses.id))
    .offset(options.offset)
    .limit(options.limit);
  return { rows, total: total?.n ?? 0 };
}

export async function courseInScope(
  db: Executor,
  scope: CourseScope,
  id: string,
): Promise<CourseRow | undefined> {
  const where = scopeCondition(scope);
  const [row] = await db
    .select()
    .from(courses)
    .where(where ? and(eq(courses.id, id), where) : eq(courses.id, id))
    .limit(1);
  return row;
}

export async function pageMemberships(
  db: Executor,
  courseId: string,
  options: { offset: number; limit: number },
): Promise<{ rows: MembershipRow[]; total: number }> {
  const where = eq(memberships.courseId, courseId);
  const [total] = await db.select({ n: count() }).from(memberships).where(where);
  const rows = await db
    .select()
    .from(memberships)
    .where(where)
    .orderBy(asc(memberships.createdAt), asc(memberships.userId))
    .offset(options.offset)
    .limit(options.limit);
  return { rows, total: total?.n ?? 0 };
}
