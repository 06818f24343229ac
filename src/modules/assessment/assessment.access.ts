import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { type Course, getCourseById, getCourseMember, isCourseAdmin } from '../courses/index.ts';
import { assessmentErrors } from './assessment.errors.ts';
import { type ActivityRole, activityRole, canSeeActivity } from './assessment.policies.ts';
import { type ActivityRow, findActivity } from './assessment.repository.ts';

export type Ctx = Pick<Deps, 'db' | 'config' | 'clock' | 'ids' | 'logger'>;

/** The user a principal acts for (a person signed in, or an app acting for one). */
export function actingUser(principal: Principal): string | undefined {
  if (principal.kind === 'user' || principal.kind === 'app_user') return principal.userId;
  return undefined;
}

/** The principal's role in a course, from the courses module (admin rights and the membership's role title). */
export async function roleIn(deps: Ctx, course: Course, principal: Principal): Promise<ActivityRole> {
  if (principal.kind === 'operator' && principal.admin) return 'instructor';
  const userId = actingUser(principal);
  const courseAdmin = await isCourseAdmin(deps, course.id, principal);
  const member = userId ? await getCourseMember(deps, course.id, userId) : undefined;
  return activityRole({
    courseAdmin,
    membership: member
      ? { role: member.role, active: member.status === 'active' && member.enabled }
      : undefined,
  });
}

export interface ActivityAccess {
  readonly activity: ActivityRow;
  readonly course: Course;
  readonly role: ActivityRole;
  readonly userId: string | undefined;
}

/** Loads an activity the principal may see; one they may not see answers as not found. */
export async function accessActivity(deps: Ctx, principal: Principal, id: number): Promise<ActivityAccess> {
  const activity = Number.isSafeInteger(id) && id > 0 ? await findActivity(deps.db, id) : undefined;
  if (!activity) throw assessmentErrors.notFound();
  const course = await getCourseById(deps, activity.courseId);
  if (!course) throw assessmentErrors.notFound();
  const role = await roleIn(deps, course, principal);
  if (!canSeeActivity(role, activity.visible)) throw assessmentErrors.notFound();
  return { activity, course, role, userId: actingUser(principal) };
}
