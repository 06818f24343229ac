/**
 * Who may do what in an activity, pure. The facts (course role, admin rights) are looked up by the use-case.
 * Grader and Builder are course roles (the peerScholar role titles): Graders grade, Builders edit activities,
 * Instructors and course admins do both.
 */
export type ActivityRole = 'instructor' | 'grader' | 'builder' | 'student' | 'none';

export interface RoleFacts {
  readonly courseAdmin: boolean;
  /** The membership's role title and whether it is active, or undefined for non-members. */
  readonly membership: { readonly role: string; readonly active: boolean } | undefined;
}

export function activityRole(facts: RoleFacts): ActivityRole {
  if (facts.courseAdmin) return 'instructor';
  const m = facts.membership;
  if (!m?.active) return 'none';
  if (m.role === 'Instructor') return 'instructor';
  if (m.role === 'Grader') return 'grader';
  if (m.role === 'Builder') return 'builder';
  if (m.role === 'Student') return 'student';
  return 'none';
}

export const canEditActivity = (role: ActivityRole) => role === 'instructor' || role === 'builder';
export const canGrade = (role: ActivityRole) => role === 'instructor' || role === 'grader';
export const canSeeProgress = (role: ActivityRole) => role !== 'student' && role !== 'none';

/** Students see visible activities only; staff see every activity of their course. */
export function canSeeActivity(role: ActivityRole, visible: boolean): boolean {
  if (role === 'none') return false;
  return role !== 'student' || visible;
}

export const canTakePart = (role: ActivityRole, visible: boolean) => role === 'student' && visible;

export type Anonymity = 'double' | 'reviewers' | 'none';

/** Whether an author may see who reviewed their work (not under `double` or `reviewers` anonymity). */
export const authorSeesReviewer = (anonymity: Anonymity) => anonymity === 'none';
/** Whether a reviewer may see whose work they review (only when anonymity is `none` or `reviewers`). */
export const reviewerSeesAuthor = (anonymity: Anonymity) => anonymity !== 'double';

/** Attaching a badge to an activity is the instructors' (the badge must also be one they may award). */
export const canSetBadgeRule = (role: ActivityRole) => role === 'instructor';
