import type { Tx } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { hashToken } from '../../lib/secrets.ts';
import { identityErrors } from './identity.errors.ts';
import { sendAccountNotice, sendPasswordResetMail, sendVerificationMail } from './identity.mail.ts';
import { hashPassword, verifyPassword } from './identity.passwords.ts';
import {
  consumeEmailToken,
  countRecentEmailTokens,
  deleteUserSessions,
  findUsableEmailToken,
  findUserByEmail,
  findUserById,
  retireEmailTokens,
  updateUser,
} from './identity.repository.ts';
import { assertNotThrottled, recordFailure } from './identity.sessions.ts';
import { toUser, type User, uniqueViolation, userRef } from './identity.usecases.ts';
import { checkPassword, normaliseEmail } from './identity.validation.ts';

/** At most this many reset or verification mails per account per hour, so nobody can flood an inbox. */
const MAILS_PER_HOUR = 5;

async function underMailLimit(deps: Deps, userId: string, purpose: 'verify_email' | 'reset_password') {
  const since = new Date(deps.clock.now().getTime() - 3_600_000);
  return (await countRecentEmailTokens(deps.db, userId, purpose, since)) < MAILS_PER_HOUR;
}

/**
 * `user.email_verified`, in the transaction that proves the address: other modules act on a proven address
 * (courses claims the invitations sent to it).
 */
export async function emailVerified(tx: Tx, deps: Deps, user: User): Promise<void> {
  await appendDomainEvent(tx, deps, {
    type: 'user.email_verified',
    subject: `user:${user.id}`,
    payload: { user: userRef(deps.config, user) },
  });
}

/** Confirms the address a verification link was sent to, if it is still the account's email. */
export async function verifyEmail(deps: Deps, token: string): Promise<User> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const used = await consumeEmailToken(tx, hashToken(token), 'verify_email', now);
    const row = used ? await findUserById(tx, used.userId) : undefined;
    if (!used || !row || row.email.toLowerCase() !== used.email.toLowerCase()) {
      throw identityErrors.invalidToken();
    }
    if (row.emailVerifiedAt) return toUser(row);
    const user = toUser((await updateUser(tx, row.id, { emailVerifiedAt: now, updatedAt: now })) ?? row);
    await emailVerified(tx, deps, user);
    return user;
  });
}

export async function resendVerification(deps: Deps, userId: string): Promise<void> {
  const row = await findUserById(deps.db, userId);
  if (!row || row.emailVerifiedAt || !(await underMailLimit(deps, userId, 'verify_email'))) return;
  await deps.db.transaction((tx) => sendVerificationMail(tx, deps, row));
}

/** Always answers the same way, whether or not the address has an account. */
export async function requestPasswordReset(deps: Deps, email: string): Promise<void> {
  const address = email.trim();
  if (address.length === 0 || address.length > 254) return;
  const row = await findUserByEmail(deps.db, address);
  if (!row || !(await underMailLimit(deps, row.id, 'reset_password'))) return;
  await deps.db.transaction((tx) => sendPasswordResetMail(tx, deps, row));
}

/** Whether a reset link is still usable (to show the form, or say it has expired). */
export async function checkResetToken(deps: Deps, token: string): Promise<boolean> {
  return (
    (await findUsableEmailToken(deps.db, hashToken(token), 'reset_password', deps.clock.now())) !== undefined
  );
}

/**
 * Sets a new password from a reset link. The new password is checked before the token is spent, so a
 * rejected password does not burn the link. Spending it retires the account's other reset links and signs
 * the account out everywhere; it also proves the mailbox, so the address counts as verified.
 */
export async function resetPassword(deps: Deps, token: string, password: string): Promise<User> {
  const now = deps.clock.now();
  const tokenHash = hashToken(token);
  const pending = await findUsableEmailToken(deps.db, tokenHash, 'reset_password', now);
  const owner = pending ? await findUserById(deps.db, pending.userId) : undefined;
  if (!pending || !owner) throw identityErrors.invalidToken();
  checkPassword(password, { username: owner.username, email: owner.email });
  const passwordHash = await hashPassword(password);
  return deps.db.transaction(async (tx) => {
    const used = await consumeEmailToken(tx, tokenHash, 'reset_password', now);
    if (!used) throw identityErrors.invalidToken();
    await retireEmailTokens(tx, used.userId, 'reset_password', now);
    const sameAddress = owner.email.toLowerCase() === used.email.toLowerCase();
    const updated = await updateUser(tx, used.userId, {
      passwordHash,
      updatedAt: now,
      ...(sameAddress && !owner.emailVerifiedAt ? { emailVerifiedAt: now } : {}),
    });
    if (!updated) throw identityErrors.invalidToken();
    await deleteUserSessions(tx, used.userId);
    const user = toUser(updated);
    if (sameAddress && !owner.emailVerifiedAt) await emailVerified(tx, deps, user);
    return user;
  });
}

/** Re-checks the current password before a sensitive change; failures count towards the sign-in limit. */
async function confirmPassword(deps: Deps, userId: string, password: string, ip: string) {
  const row = await findUserById(deps.db, userId);
  if (!row) throw identityErrors.notSignedIn();
  await assertNotThrottled(deps, row.email, ip);
  if (!(await verifyPassword(password, row.passwordHash))) {
    await recordFailure(deps, row.email, ip);
    throw identityErrors.wrongCurrentPassword();
  }
  return row;
}

/**
 * Changes the email address. The new address must be verified again (a link is mailed to it) and the old
 * address is told about the change.
 */
export async function changeEmail(
  deps: Deps,
  input: { userId: string; email: string; currentPassword: string; ip: string },
): Promise<User> {
  const email = normaliseEmail(input.email);
  const row = await confirmPassword(deps, input.userId, input.currentPassword, input.ip);
  if (email.toLowerCase() === row.email.toLowerCase()) return toUser(row);
  const other = await findUserByEmail(deps.db, email);
  if (other && other.id !== row.id) throw identityErrors.emailTaken();
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const updated = await updateUser(tx, row.id, { email, emailVerifiedAt: null, updatedAt: now });
      if (!updated) throw identityErrors.notSignedIn();
      await retireEmailTokens(tx, row.id, 'verify_email', now);
      await retireEmailTokens(tx, row.id, 'reset_password', now);
      await sendVerificationMail(tx, deps, updated);
      await sendAccountNotice(
        tx,
        deps,
        row.email,
        row.name,
        `The email address of your account is now ${email}.`,
      );
      return toUser(updated);
    });
  } catch (error) {
    if (uniqueViolation(error) === 'email') throw identityErrors.emailTaken();
    throw error;
  }
}

/** Changes the password and signs out every other session of the account. */
export async function changePassword(
  deps: Deps,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string; ip: string },
): Promise<void> {
  const row = await confirmPassword(deps, input.userId, input.currentPassword, input.ip);
  checkPassword(input.newPassword, { username: row.username, email: row.email }, 'new_password');
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await updateUser(tx, row.id, { passwordHash, updatedAt: now });
    await retireEmailTokens(tx, row.id, 'reset_password', now);
    await deleteUserSessions(tx, row.id, input.sessionId);
    await sendAccountNotice(tx, deps, row.email, row.name, 'The password of your account was changed.');
  });
}
