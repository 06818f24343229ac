import type { Deps } from '../../deps.ts';
import { type CourseClass, toClass } from './courses.classes.ts';
import { listJoinedCourses, listRunCourses } from './courses.home.repository.ts';
import { type Course, toCourse } from './courses.usecases.ts';

export interface CoursesOfUser {
  /** Courses the person has joined, with the class they are in (if any) and their role. */
  readonly joined: readonly { course: Course; klass: CourseClass | null; role: string }[];
  /** Courses the person owns or administers. */
  readonly running: readonly Course[];
}

/** A person's courses for their dashboard: the ones they take part in and the ones they run (bounded). */
export async function coursesOfUser(
  deps: Pick<Deps, 'db' | 'config'>,
  userId: string,
  limit = 10,
): Promise<CoursesOfUser> {
  const [joined, running] = await Promise.all([
    listJoinedCourses(deps.db, userId, limit),
    listRunCourses(deps.db, userId, limit),
  ]);
  return {
    joined: joined.map((r) => ({
      course: toCourse(deps, r.course),
      klass: r.klass ? toClass(r.klass) : null,
      role: r.role ?? 'Student',
    })),
    running: running.map((row) => toCourse(deps, row)),
  };
}
