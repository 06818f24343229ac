import type { Deps } from '../../deps.ts';
import {
  type CourseScope,
  courseInScope,
  pageCoursesInScope,
  pageMemberships,
} from './courses.listing.repository.ts';
import { findMembership, type MembershipRow } from './courses.repository.ts';
import { type Course, toCourse } from './courses.usecases.ts';

export type { CourseScope };

/** A member as other modules see it: role title, status and when they last came in. */
export interface CourseMember {
  readonly userId: string;
  readonly role: string;
  readonly status: 'active' | 'dropped';
  readonly enabled: boolean;
  readonly lastAccessAt: Date | null;
  readonly createdAt: Date;
}

const toMember = (row: MembershipRow): CourseMember => ({
  userId: row.userId,
  role: row.role,
  status: row.status === 'dropped' ? 'dropped' : 'active',
  enabled: row.enabled,
  lastAccessAt: row.lastAccessAt,
  createdAt: row.createdAt,
});

/** The person's membership of a course (any status), or undefined. */
export async function getCourseMember(
  deps: Pick<Deps, 'db'>,
  courseId: string,
  userId: string,
): Promise<CourseMember | undefined> {
  const row = await findMembership(deps.db, courseId, userId);
  return row ? toMember(row) : undefined;
}

/** Courses within a scope, by page number (for the peerScholar dialect's `pp`/`cp`). */
export async function pageCourses(
  deps: Pick<Deps, 'db' | 'config'>,
  scope: CourseScope,
  page: { offset: number; limit: number },
): Promise<{ items: Course[]; total: number }> {
  const { rows, total } = await pageCoursesInScope(deps.db, scope, page);
  return { items: rows.map((r) => toCourse(deps, r)), total };
}

/** One course if it is within the scope; a course outside it is as absent as one that does not exist. */
export async function getCourseInScope(
  deps: Pick<Deps, 'db' | 'config'>,
  scope: CourseScope,
  id: string,
): Promise<Course | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = await courseInScope(deps.db, scope, id.toLowerCase());
  return row ? toCourse(deps, row) : undefined;
}

export async function pageCourseMembers(
  deps: Pick<Deps, 'db'>,
  courseId: string,
  page: { offset: number; limit: number },
): Promise<{ items: CourseMember[]; total: number }> {
  const { rows, total } = await pageMemberships(deps.db, courseId, page);
  return { items: rows.map(toMember), total };
}
