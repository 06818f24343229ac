import { isAdmin, type Principal } from '../../http/principal.ts';

/** Who owns a course, as stored. */
export interface Ownership {
  readonly ownerAppId: string | null;
  readonly ownerInstitutionId: string | null;
  readonly ownerUserId: string | null;
}

/** Facts about the principal the use-case looked up (admin lists live in the database). */
export interface AdminFacts {
  readonly courseAdmin: boolean;
  readonly institutionAdmin: boolean;
}

function principalUser(principal: Principal): string | undefined {
  if (principal.kind === 'user' || principal.kind === 'app_user') return principal.userId;
  if (principal.kind === 'institution') return principal.userId;
  return undefined;
}

/**
 * Only the owner may change a course: the owning app (as itself or acting for a user), the owning
 * institution (its key or one of its admins), the owning user, a course admin, or a hub admin.
 */
export function canManageCourse(principal: Principal, course: Ownership, facts: AdminFacts): boolean {
  if (isAdmin(principal)) return true;
  if ((principal.kind === 'app' || principal.kind === 'app_user') && course.ownerAppId === principal.appId)
    return true;
  if (principal.kind === 'institution' && course.ownerInstitutionId === principal.institutionId) return true;
  if (facts.institutionAdmin) return true;
  const userId = principalUser(principal);
  if (
    userId &&
    course.ownerUserId === userId &&
    (principal.kind === 'user' || principal.kind === 'institution')
  )
    return true;
  return facts.courseAdmin;
}

export function canManageInstitution(
  principal: Principal,
  institutionId: string,
  isInstitutionAdmin: boolean,
): boolean {
  if (isAdmin(principal)) return true;
  if (principal.kind === 'institution') return principal.institutionId === institutionId;
  return isInstitutionAdmin;
}

/** The ownership a new course gets from who created it. */
export function ownershipFor(principal: Principal): Ownership | undefined {
  if (principal.kind === 'app' || principal.kind === 'app_user')
    return { ownerAppId: principal.appId, ownerInstitutionId: null, ownerUserId: null };
  if (principal.kind === 'institution')
    return { ownerAppId: null, ownerInstitutionId: principal.institutionId, ownerUserId: null };
  if (principal.kind === 'user')
    return { ownerAppId: null, ownerInstitutionId: null, ownerUserId: principal.userId };
  return undefined;
}

export { principalUser };
