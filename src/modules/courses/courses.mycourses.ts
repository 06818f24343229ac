import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { courseErrors } from './courses.errors.ts';
import { getInstitutionByPath } from './courses.institutions.ts';
import { principalUser } from './courses.policies.ts';
import { findMembership, listInstitutionCourses } from './courses.repository.ts';
import { type Course, toCourse } from './courses.usecases.ts';

export interface MyCourse {
  course: Course;
  enrolled: boolean;
  progress: number;
}

/** An institution's courses with the calling person's enrolment and progress (0 when not enrolled). */
export async function listMyInstitutionCourses(
  deps: Deps,
  principal: Principal,
  institutionPath: string,
): Promise<MyCourse[]> {
  const institution = await getInstitutionByPath(deps, institutionPath);
  if (!institution) throw courseErrors.institutionNotFound();
  const userId = principalUser(principal);
  const rows = await listInstitutionCourses(deps.db, institution.id);
  return Promise.all(
    rows.map(async (row) => {
      const membership = userId ? await findMembership(deps.db, row.id, userId) : undefined;
      const enrolled = membership?.status === 'active';
      return { course: toCourse(deps, row), enrolled, progress: enrolled ? (membership?.progress ?? 0) : 0 };
    }),
  );
}
