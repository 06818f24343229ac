import type { Deps } from '../../deps.ts';
import type { DomainEvent } from '../../jobs/domain-events.ts';
import { getUserById, type User } from '../identity/index.ts';
import { getClassById } from './courses.classes.ts';
import { enrolInTx } from './courses.enrolment.ts';
import { claimMemberships } from './courses.institutions.repository.ts';
import { claimInvitations } from './courses.repository.ts';
import { getCourseById } from './courses.usecases.ts';

export const CLAIM_CONSUMER = 'courses.claim_invitations';
/** Identity's events after which an account may hold a proven address. */
export const CLAIM_EVENTS = ['user.created', 'user.email_verified'] as const;

/**
 * Turns the invitations sent to a person's address into memberships, once the address is proven: the person
 * joins the institutions that invited them and is enrolled in the invited classes (`enrolment.created`).
 * An unverified address claims nothing (anyone can sign up with any address); its verification claims later.
 * Exactly once: invitations are marked claimed in the same transaction as the enrolments, by updates that
 * only match pending rows, and enrolling is itself idempotent.
 */
export async function claimPendingInvitations(deps: Deps, user: User): Promise<number> {
  if (!user.emailVerified) return 0;
  const email = user.email.toLowerCase();
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const classIds = new Set([
      ...(await claimMemberships(tx, email, user.id)),
      ...(await claimInvitations(tx, email, now)),
    ]);
    let enrolled = 0;
    for (const classId of classIds) {
      const cls = await getClassById(deps, classId);
      const course = cls ? await getCourseById(deps, cls.courseId, tx) : undefined;
      if (cls && course && (await enrolInTx(tx, deps, course, user, { classId: cls.id }))) enrolled++;
    }
    return enrolled;
  });
}

/** The domain-event consumer: identity names the account; the claim reads it afresh (it may have changed). */
export async function claimForEvent(
  deps: Deps,
  event: DomainEvent<(typeof CLAIM_EVENTS)[number]>,
): Promise<void> {
  const user = await getUserById(deps, event.payload.user.id);
  if (user) await claimPendingInvitations(deps, user);
}
