import type { TestApp } from '../../../test/support/app.ts';
import type { Principal } from '../../http/principal.ts';
import { type Course, createCourse, joinCourse } from '../courses/index.ts';
import { createUser, type User } from '../identity/index.ts';

/** Helpers for the assessment tests (not a test file itself). */

export const PASSWORD = 'correct horse battery staple';

export const as = (user: User): Principal => ({ kind: 'user', userId: user.id, admin: false });

export async function people(t: TestApp, prefix: string, n: number): Promise<User[]> {
  const out: User[] = [];
  for (let i = 0; i < n; i++) {
    const username = `${prefix}${String(i).padStart(2, '0')}`;
    out.push(
      await createUser(t.deps, {
        username,
        name: `${username} Person`,
        email: `${username}@example.org`,
        password: PASSWORD,
        emailVerified: true,
      }),
    );
  }
  return out;
}

/** A course owned by the instructor, with the students enrolled. */
export async function courseWith(
  t: TestApp,
  instructor: User,
  students: readonly User[],
  title = 'Essay writing',
) {
  const course: Course = await createCourse(t.deps, as(instructor), { title });
  for (const s of students) await joinCourse(t.deps, as(s), course, {});
  return course;
}

export const RUBRIC = [{ id: 'quality', title: 'Quality of argument', min: 0, max: 10, weight: 1 }];
