import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { hashToken } from '../../lib/secrets.ts';
import { emailVerified } from './identity.account.ts';
import { type FieldErrors, fieldErrorsOf, identityErrors } from './identity.errors.ts';
import { SIGNUP_TTL_MS, sendSignupAttemptNotice, sendSignupLink } from './identity.mail.ts';
import { hashPassword } from './identity.passwords.ts';
import {
  consumeSignupRequest,
  countRecentSignupRequests,
  findUsableSignupRequest,
  findUserByEmail,
  findUserByUsername,
  insertSignupRequest,
  type SignupRequestRow,
} from './identity.repository.ts';
import { storeUser, type User, uniqueViolation } from './identity.usecases.ts';
import { checkPassword, normaliseEmail, normaliseName, normaliseUsername } from './identity.validation.ts';

/** Sign-up mails (links or owner notices) per address per hour, so the form cannot flood an inbox. */
const SIGNUP_MAILS_PER_HOUR = 5;

export interface SignupInput {
  readonly name: string;
  readonly username: string;
  readonly email: string;
  readonly password: string;
  /** A path on this site (the caller checked it), where the new account continues. */
  readonly returnTo: string;
}

/** Runs one field check, keeping its message instead of stopping at the first wrong field. */
function check<T>(errors: Record<string, string>, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    Object.assign(errors, fieldErrorsOf(error));
    return undefined;
  }
}

/** Every field's problem at once; throws the single error as it is, or identity.invalid_signup for several. */
async function checkFields(deps: Deps, input: SignupInput) {
  const errors: Record<string, string> = {};
  const name = check(errors, () => normaliseName(input.name));
  const username = check(errors, () => normaliseUsername(input.username));
  const email = check(errors, () => normaliseEmail(input.email));
  check(errors, () =>
    checkPassword(input.password, { username: input.username.trim(), email: input.email.trim() }),
  );
  // Usernames are public (profile addresses), so saying one is taken tells nobody anything new.
  if (username && (await findUserByUsername(deps.db, username))) {
    errors.username = fieldErrorsOf(identityErrors.usernameTaken()).username ?? 'is already taken';
  }
  const fields = Object.keys(errors);
  if (fields.length === 1 && fields[0] === 'username' && username) throw identityErrors.usernameTaken();
  if (fields.length > 0 || !name || !username || !email) throw signupError(errors);
  return { name, username, email };
}

function signupError(errors: FieldErrors): AppError {
  const entries = Object.entries(errors);
  const [only] = entries;
  if (entries.length === 1 && only) {
    // One wrong field keeps its own code (identity.invalid_email, ...), as the API of createUser has it.
    const [field, message] = only;
    const single = {
      name: identityErrors.invalidName,
      username: identityErrors.invalidUsername,
      email: identityErrors.invalidEmail,
      password: identityErrors.invalidPassword,
    }[field];
    if (single) return single(message);
  }
  return identityErrors.invalidSignup(errors);
}

/**
 * Starts a sign-up. Checks every field (all problems at once), then answers the same way whether or not the
 * address has an account: a new address gets a link that finishes the sign-up, a known address's owner is
 * told that someone tried. Both paths hash the password, store one request and queue one mail, so neither
 * the answer nor its timing says which it was. Nothing is signed in and no account exists until the link
 * is used.
 */
export async function requestSignup(deps: Deps, input: SignupInput): Promise<void> {
  const { name, username, email } = await checkFields(deps, input);
  const passwordHash = await hashPassword(input.password);
  const owner = await findUserByEmail(deps.db, email);
  const token = deps.ids.token(32);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const recent = await countRecentSignupRequests(tx, email, new Date(now.getTime() - 3_600_000));
    await insertSignupRequest(tx, {
      id: deps.ids.uuid(),
      tokenHash: hashToken(token),
      username,
      name,
      email,
      passwordHash,
      returnTo: input.returnTo,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SIGNUP_TTL_MS),
    });
    if (recent >= SIGNUP_MAILS_PER_HOUR) return;
    if (owner) await sendSignupAttemptNotice(tx, deps, owner);
    else await sendSignupLink(tx, deps, { name, email }, token);
  });
}

/** The pending sign-up behind a link, to show the "finish" page; undefined when used, expired or unknown. */
export async function pendingSignup(deps: Deps, token: string): Promise<SignupRequestRow | undefined> {
  if (token.length === 0 || token.length > 200) return undefined;
  return findUsableSignupRequest(deps.db, hashToken(token), deps.clock.now());
}

/**
 * Finishes a sign-up from its mailed link: creates the account with its address proven (`user.created`,
 * then `user.email_verified`, so invitations to the address are claimed), in one transaction with spending
 * the link. Refuses a used or expired link, and an address or username that has been taken since.
 */
export async function confirmSignup(deps: Deps, token: string): Promise<{ user: User; returnTo: string }> {
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const request = await consumeSignupRequest(tx, hashToken(token), now);
      if (!request) throw identityErrors.invalidToken();
      if (await findUserByEmail(tx, request.email)) throw identityErrors.emailTaken();
      if (await findUserByUsername(tx, request.username)) throw identityErrors.usernameTaken();
      const user = await storeUser(tx, deps, {
        username: request.username,
        name: request.name,
        email: request.email,
        passwordHash: request.passwordHash,
        admin: false,
        emailVerified: true,
      });
      await emailVerified(tx, deps, user);
      return { user, returnTo: request.returnTo };
    });
  } catch (error) {
    const field = uniqueViolation(error);
    if (field === 'username') throw identityErrors.usernameTaken();
    if (field === 'email') throw identityErrors.emailTaken();
    throw error;
  }
}
