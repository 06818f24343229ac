import { and, desc, eq, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import type { ClassRow, CourseRow } from './courses.repository.ts';
import { courseAdmins, courseClasses, courses, memberships } from './courses.tables.ts';

export interface UserCourseRow {
  readonly course: CourseRow;
  readonly klass: ClassRow | null;
  readonly role: string | null;
  readonly progress: number | null;
}

/** Courses a person takes part in (active membership), newest first, with the class they joined. */
export async function listJoinedCourses(
  db: Executor,
  userId: string,
  limit: number,
): Promise<UserCourseRow[]> {
  const rows = await db
    .select({ course: courses, klass: courseClasses, role: memberships.role, progress: memberships.progress })
    .from(memberships)
    .innerJoin(courses, eq(courses.id, memberships.courseId))
    .leftJoin(courseClasses, eq(courseClasses.id, memberships.classId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, 'active')))
    .orderBy(desc(memberships.createdAt))
    .limit(limit);
  return rows;
}

/** Courses a person runs: owns or is an admin of, newest first. */
export async function listRunCourses(db: Executor, userId: string, limit: number): Promise<CourseRow[]> {
  const rows = await db
    .selectDistinct({ course: courses })
    .from(courses)
    .leftJoin(courseAdmins, and(eq(courseAdmins.courseId, courses.id), eq(courseAdmins.userId, userId)))
    .where(or(eq(courses.ownerUserId, userId), eq(courseAdmins.userId, userId)))
    .orderBy(desc(courses.createdAt))
    .limit(limit);
  return rows.map((r) => r.course);
}
