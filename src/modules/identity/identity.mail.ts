import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { hashToken } from '../../lib/secrets.ts';
import { queueMail } from '../../mail/index.ts';
import { insertEmailToken } from './identity.repository.ts';

type MailDeps = Pick<Deps, 'config' | 'clock' | 'ids'>;
interface Recipient {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export const VERIFY_EMAIL_TTL_MS = 48 * 3_600_000;
export const RESET_PASSWORD_TTL_MS = 3_600_000;

function mailDeps(deps: MailDeps) {
  return { ids: deps.ids, mailDomain: new URL(deps.config.publicUrl).hostname };
}

/** A fresh single-use token; only its SHA-256 is stored. Returns the clear token for the link. */
async function issueToken(
  tx: Executor,
  deps: MailDeps,
  user: Recipient,
  purpose: 'verify_email' | 'reset_password',
  ttlMs: number,
): Promise<string> {
  const token = deps.ids.token(32);
  const now = deps.clock.now();
  await insertEmailToken(tx, {
    id: deps.ids.uuid(),
    tokenHash: hashToken(token),
    userId: user.id,
    purpose,
    email: user.email,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return token;
}

/** Queues (inside the caller's transaction) a mail with a link that verifies the user's current address. */
export async function sendVerificationMail(tx: Executor, deps: MailDeps, user: Recipient): Promise<void> {
  const token = await issueToken(tx, deps, user, 'verify_email', VERIFY_EMAIL_TTL_MS);
  const link = `${deps.config.publicUrl}/verify-email?token=${token}`;
  await queueMail(tx, mailDeps(deps), {
    to: [user.email],
    subject: 'Confirm your email address for Learnhub',
    text: [
      `Hello ${user.name},`,
      '',
      'Please confirm that this is your email address by opening this link:',
      '',
      link,
      '',
      'The link works once and expires in 48 hours. If you did not sign up for Learnhub, ignore this mail.',
    ].join('\n'),
  });
}

export async function sendPasswordResetMail(tx: Executor, deps: MailDeps, user: Recipient): Promise<void> {
  const token = await issueToken(tx, deps, user, 'reset_password', RESET_PASSWORD_TTL_MS);
  const link = `${deps.config.publicUrl}/password/reset?token=${token}`;
  await queueMail(tx, mailDeps(deps), {
    to: [user.email],
    subject: 'Reset your Learnhub password',
    text: [
      `Hello ${user.name},`,
      '',
      'Someone (hopefully you) asked to reset the password of your Learnhub account. To choose a new one, open:',
      '',
      link,
      '',
      'The link works once and expires in 1 hour. If you did not ask for this, ignore this mail; your password stays as it is.',
    ].join('\n'),
  });
}

/** Tells a person about a change to their account, so an unexpected change does not go unnoticed. */
export async function sendAccountNotice(
  tx: Executor,
  deps: MailDeps,
  to: string,
  name: string,
  what: string,
): Promise<void> {
  await queueMail(tx, mailDeps(deps), {
    to: [to],
    subject: 'Your Learnhub account was changed',
    text: [
      `Hello ${name},`,
      '',
      `${what}`,
      '',
      `If this was not you, reset your password at ${deps.config.publicUrl}/password/forgot right away.`,
    ].join('\n'),
  });
}

export const SIGNUP_TTL_MS = 48 * 3_600_000;

/** The link that finishes a sign-up (the account is created when it is used). */
export async function sendSignupLink(
  tx: Executor,
  deps: MailDeps,
  to: { name: string; email: string },
  token: string,
): Promise<void> {
  const link = `${deps.config.publicUrl}/signup/confirm?token=${token}`;
  await queueMail(tx, mailDeps(deps), {
    to: [to.email],
    subject: 'Finish creating your Learnhub account',
    text: [
      `Hello ${to.name},`,
      '',
      'To confirm this email address and finish creating your Learnhub account, open this link:',
      '',
      link,
      '',
      'The link works once and expires in 48 hours. If you did not sign up for Learnhub, ignore this mail: no account is created.',
    ].join('\n'),
  });
}

/**
 * Sign-up with an address that already has an account: the owner is told instead of the person at the form
 * (who sees the same page as for a new address, so the form does not reveal who has an account).
 */
export async function sendSignupAttemptNotice(
  tx: Executor,
  deps: MailDeps,
  owner: { name: string; email: string },
): Promise<void> {
  const base = deps.config.publicUrl;
  await queueMail(tx, mailDeps(deps), {
    to: [owner.email],
    subject: 'Someone tried to create a Learnhub account with your address',
    text: [
      `Hello ${owner.name},`,
      '',
      'Someone tried to create a new Learnhub account with this email address, which already has an account.',
      'Nothing was changed and no new account was created.',
      '',
      `If it was you: you already have an account. Sign in at ${base}/login`,
      `or, if you have forgotten your password, reset it at ${base}/password/forgot`,
      '',
      'If it was not you, you can ignore this mail.',
    ].join('\n'),
  });
}
