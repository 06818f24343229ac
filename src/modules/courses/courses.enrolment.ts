import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { hashToken, safeEqual } from '../../lib/secrets.ts';
import { getUserById, type User } from '../identity/index.ts';
import { courseErrors } from './courses.errors.ts';
import { personRef } from './courses.people.ts';
import { principalUser } from './courses.policies.ts';
import {
  acceptInvitation,
  type ClassRow,
  findMembership,
  findPendingInvitation,
  listClasses,
  listMemberships,
  type MembershipRow,
  updateMembership,
  upsertMembership,
} from './courses.repository.ts';
import { assertCanManage, type Course, canManage, courseEventPayload } from './courses.usecases.ts';
import { checkProgress, type Role } from './courses.validation.ts';

export interface Membership {
  userId: string;
  classId: string | null;
  role: string;
  status: 'active' | 'dropped';
  progress: number;
  completedAt: Date | null;
  createdAt: Date;
}

export function toMembership(row: MembershipRow): Membership {
  return {
    userId: row.userId,
    classId: row.classId,
    role: row.role,
    status: row.status === 'dropped' ? 'dropped' : 'active',
    progress: row.progress,
    completedAt: row.completedAt,
    createdAt: row.createdAt,
  };
}

/** Activation codes are hashed with the class id as salt, so equal codes in two classes differ at rest. */
export function hashActivationCode(classId: string, code: string): string {
  return hashToken(`${classId}:${code}`);
}

/**
 * Makes the person an active member (inside the caller's transaction) and appends `enrolment.created` when
 * they were not already active. Safe to repeat.
 */
export async function enrolInTx(
  tx: Executor,
  deps: Deps,
  course: Course,
  user: User,
  options: { classId: string | null; role?: Role },
): Promise<boolean> {
  const now = deps.clock.now();
  const fresh = await upsertMembership(tx, {
    courseId: course.id,
    userId: user.id,
    classId: options.classId,
    role: options.role ?? 'Student',
    now,
  });
  if (fresh) {
    await appendDomainEvent(tx, deps, {
      type: 'enrolment.created',
      subject: `course:${course.id}`,
      payload: courseEventPayload(course, {
        user: personRef(deps, user),
        class_id: options.classId,
        role: options.role ?? 'Student',
      }),
    });
  }
  return fresh;
}

/** The class a join without a named class goes to: the first one that is not closed. */
function defaultClass(classes: readonly ClassRow[]): ClassRow | undefined {
  return classes.find((c) => c.type !== 'closed');
}

/**
 * A person joins a course (themselves, or through an app holding their token): an open class directly, a
 * code-protected class with the right code, an invite-only class with a pending invitation for their email.
 */
export async function joinCourse(
  deps: Deps,
  principal: Principal,
  course: Course,
  input: { classId?: string; activationCode?: string },
): Promise<{ membership: Membership; created: boolean }> {
  const userId = principalUser(principal);
  if (!userId || (principal.kind !== 'user' && principal.kind !== 'app_user')) throw courseErrors.noOwner();
  const user = await getUserById(deps, userId);
  if (!user) throw courseErrors.notMember();
  const current = await findMembership(deps.db, course.id, user.id);
  if (current?.status === 'active') return { membership: toMembership(current), created: false };
  if (course.status === 'offline') throw courseErrors.closed();
  const classes = await listClasses(deps.db, course.id);
  const cls = input.classId ? classes.find((c) => c.id === input.classId) : defaultClass(classes);
  if (input.classId && !cls) throw courseErrors.classNotFound();
  if (!cls && classes.length > 0) throw courseErrors.closed();
  let invitationId: string | undefined;
  if (cls) {
    if (cls.type === 'closed') throw courseErrors.closed();
    if (cls.type === 'requires-activation-code') {
      const given = input.activationCode ?? '';
      if (!cls.activationCodeHash || !safeEqual(cls.activationCodeHash, hashActivationCode(cls.id, given)))
        throw courseErrors.badActivationCode();
    }
    if (cls.type === 'invite-only') {
      const invitation = await findPendingInvitation(deps.db, [cls.id], user.email.toLowerCase());
      if (!invitation) throw courseErrors.inviteOnly();
      // Anyone can sign up with any address: an invitation to it counts once the address is proven.
      if (!user.emailVerified) throw courseErrors.emailUnverified();
      invitationId = invitation.id;
    }
  }
  const created = await deps.db.transaction(async (tx) => {
    if (invitationId) await acceptInvitation(tx, invitationId, deps.clock.now());
    return enrolInTx(tx, deps, course, user, { classId: cls?.id ?? null });
  });
  const row = await findMembership(deps.db, course.id, user.id);
  if (!row) throw courseErrors.notMember();
  return { membership: toMembership(row), created };
}

/** Members, ordered by user id, keyset-paged. Course admins only (a member list is personal data). */
export async function listCourseMembers(
  deps: Deps,
  principal: Principal,
  course: Course,
  options: { afterUserId?: string; limit: number },
): Promise<Membership[]> {
  await assertCanManage(deps, course, principal);
  const rows = await listMemberships(deps.db, course.id, { ...options, activeOnly: false });
  return rows.map(toMembership);
}

/** A member leaves, or an admin drops them; `enrolment.dropped`. */
export async function dropMember(
  deps: Deps,
  principal: Principal,
  course: Course,
  userId: string,
): Promise<void> {
  const self =
    principalUser(principal) === userId && (principal.kind === 'user' || principal.kind === 'app_user');
  if (!self && !(await canManage(deps, course, principal))) throw courseErrors.notOwner();
  const row = await findMembership(deps.db, course.id, userId);
  if (row?.status !== 'active') throw courseErrors.notMember();
  const user = await getUserById(deps, userId);
  if (!user) throw courseErrors.notMember();
  await deps.db.transaction(async (tx) => {
    await updateMembership(tx, course.id, userId, { status: 'dropped', updatedAt: deps.clock.now() });
    await appendDomainEvent(tx, deps, {
      type: 'enrolment.dropped',
      subject: `course:${course.id}`,
      payload: courseEventPayload(course, { user: personRef(deps, user) }),
    });
  });
}

/** Progress (0–100) and completion, set by the owning app; `course.completed` once, when first completed. */
export async function setProgress(
  deps: Deps,
  principal: Principal,
  course: Course,
  userId: string,
  input: { progress?: number; completed?: boolean },
): Promise<Membership> {
  await assertCanManage(deps, course, principal);
  const progress = input.progress === undefined ? undefined : checkProgress(input.progress);
  const row = await findMembership(deps.db, course.id, userId);
  if (row?.status !== 'active') throw courseErrors.notMember();
  const user = await getUserById(deps, userId);
  if (!user) throw courseErrors.notMember();
  const completing = row.completedAt === null && (input.completed === true || progress === 100);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await updateMembership(tx, course.id, userId, {
      ...(progress !== undefined ? { progress } : {}),
      ...(completing ? { completedAt: now, progress: 100 } : {}),
      updatedAt: now,
    });
    if (completing) {
      await appendDomainEvent(tx, deps, {
        type: 'course.completed',
        subject: `course:${course.id}`,
        payload: courseEventPayload(course, { user: personRef(deps, user), completed_at: now.toISOString() }),
      });
    }
  });
  const updated = await findMembership(deps.db, course.id, userId);
  if (!updated) throw courseErrors.notMember();
  return toMembership(updated);
}

/**
 * Enrols with a role decided by an outside authority (an LTI launch or roster sync, inside the caller's
 * transaction): the membership follows the LMS's role, so a changed role is updated too.
 */
export async function enrolWithRole(
  tx: Executor,
  deps: Deps,
  course: Course,
  user: User,
  role: Role,
): Promise<void> {
  const fresh = await enrolInTx(tx, deps, course, user, { classId: null, role });
  if (fresh) return;
  const row = await findMembership(tx, course.id, user.id);
  if (row && row.role !== role)
    await updateMembership(tx, course.id, user.id, { role, updatedAt: deps.clock.now() });
}

/** Marks an active member dropped on an outside authority's word (an LMS roster); `enrolment.dropped`. */
export async function dropMemberInTx(tx: Executor, deps: Deps, course: Course, user: User): Promise<boolean> {
  const row = await findMembership(tx, course.id, user.id);
  if (row?.status !== 'active') return false;
  await updateMembership(tx, course.id, user.id, { status: 'dropped', updatedAt: deps.clock.now() });
  await appendDomainEvent(tx, deps, {
    type: 'enrolment.dropped',
    subject: `course:${course.id}`,
    payload: courseEventPayload(course, { user: personRef(deps, user) }),
  });
  return true;
}
