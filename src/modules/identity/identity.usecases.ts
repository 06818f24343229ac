import type { Config } from '../../config/config.ts';
import type { Executor } from '../../db/client.ts';
import { uniqueViolation as uniqueConstraint } from '../../db/errors.ts';
import type { Deps } from '../../deps.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { identityErrors } from './identity.errors.ts';
import { sendVerificationMail } from './identity.mail.ts';
import { hashPassword } from './identity.passwords.ts';
import {
  findUserByEmail,
  findUserById,
  findUserByUsername,
  findUsersByIds,
  insertUser,
  type UserRow,
} from './identity.repository.ts';
import { checkPassword, normaliseEmail, normaliseName, normaliseUsername } from './identity.validation.ts';

export interface User {
  id: string;
  username: string;
  name: string;
  email: string;
  emailVerified: boolean;
  admin: boolean;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  name: string;
  email: string;
  password: string;
  admin?: boolean;
  emailVerified?: boolean;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    email: row.email,
    emailVerified: row.emailVerifiedAt !== null,
    admin: row.admin,
    createdAt: row.createdAt,
  };
}

/** The public profile URL, the "user-profile" apps pass around to name a person. */
export function profileUrl(config: Config, username: string): string {
  return `${config.publicUrl}/u/${encodeURIComponent(username)}`;
}

/** How domain events name a person (the convention for every event about a user). */
export function userRef(config: Config, user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    profile_url: profileUrl(config, user.username),
  };
}

/** Maps a unique-index violation (a race with another sign-up) to the field it is about. */
export function uniqueViolation(error: unknown): 'username' | 'email' | undefined {
  const constraint = uniqueConstraint(error);
  if (constraint?.includes('username')) return 'username';
  if (constraint?.includes('email')) return 'email';
  return undefined;
}

/**
 * Creates an account. Validates every field (throwing identity.invalid_*), refuses taken usernames and
 * emails case-insensitively, and in one transaction inserts the user, appends `user.created` and, unless
 * the email is already verified, queues the verification mail.
 */
/** `deps.db` may be a transaction: the caller's (an LTI launch creates the account with its link, or neither). */
export async function createUser(
  deps: Omit<Deps, 'db'> & { readonly db: Executor },
  input: NewUser,
): Promise<User> {
  const username = normaliseUsername(input.username);
  const name = normaliseName(input.name);
  const email = normaliseEmail(input.email);
  checkPassword(input.password, { username, email });
  if (await findUserByUsername(deps.db, username)) throw identityErrors.usernameTaken();
  if (await findUserByEmail(deps.db, email)) throw identityErrors.emailTaken();
  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.db.transaction((tx) =>
      storeUser(tx, deps, {
        username,
        name,
        email,
        passwordHash,
        admin: input.admin ?? false,
        emailVerified: input.emailVerified ?? false,
      }),
    );
  } catch (error) {
    const field = uniqueViolation(error);
    if (field === 'username') throw identityErrors.usernameTaken();
    if (field === 'email') throw identityErrors.emailTaken();
    throw error;
  }
}

/**
 * Inserts a checked account inside the caller's transaction, appends `user.created` and, unless the address
 * is already proven, queues the verification mail. Unique-index violations propagate (see uniqueViolation).
 */
export async function storeUser(
  tx: Executor,
  deps: Omit<Deps, 'db'>,
  fields: {
    username: string;
    name: string;
    email: string;
    passwordHash: string;
    admin: boolean;
    emailVerified: boolean;
  },
): Promise<User> {
  const now = deps.clock.now();
  const user = toUser(
    await insertUser(tx, {
      id: deps.ids.uuid(),
      username: fields.username,
      name: fields.name,
      email: fields.email,
      emailVerifiedAt: fields.emailVerified ? now : null,
      admin: fields.admin,
      passwordHash: fields.passwordHash,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await appendDomainEvent(tx, deps, {
    type: 'user.created',
    subject: `user:${user.id}`,
    payload: { user: userRef(deps.config, user) },
  });
  if (!user.emailVerified) await sendVerificationMail(tx, deps, user);
  return user;
}

export async function getUserById(
  deps: Pick<Deps, 'db'>,
  id: string,
  db: Executor = deps.db,
): Promise<User | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await findUserById(db, id);
  return row ? toUser(row) : undefined;
}

/** Several people at once, keyed by id (ids that are not UUIDs or not known are left out). */
export async function getUsersByIds(
  deps: Pick<Deps, 'db'>,
  ids: readonly string[],
): Promise<Map<string, User>> {
  const rows = await findUsersByIds(
    deps.db,
    ids.filter((id) => UUID.test(id)),
  );
  return new Map(rows.map((row) => [row.id, toUser(row)]));
}

/** Looks a person up by email address (case-insensitive, as stored). */
export async function getUserByEmail(deps: Pick<Deps, 'db'>, email: string): Promise<User | undefined> {
  if (email.length === 0 || email.length > 254) return undefined;
  const row = await findUserByEmail(deps.db, email);
  return row ? toUser(row) : undefined;
}

export async function getUserByUsername(deps: Pick<Deps, 'db'>, username: string): Promise<User | undefined> {
  if (username.length === 0 || username.length > 100) return undefined;
  const row = await findUserByUsername(deps.db, username);
  return row ? toUser(row) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Names a user the way apps do: by profile URL (`PUBLIC_URL/u/<username>`, with or without a trailing
 * slash), by id (a UUID) or by bare username.
 */
export async function resolveUserRef(
  deps: Pick<Deps, 'db' | 'config'>,
  ref: string,
): Promise<User | undefined> {
  const value = ref.trim();
  const prefix = `${deps.config.publicUrl}/u/`;
  if (value.startsWith(prefix)) {
    const rest = value.slice(prefix.length).replace(/\/$/, '');
    if (rest.includes('/') || rest.includes('?') || rest.includes('#')) return undefined;
    let username: string;
    try {
      username = decodeURIComponent(rest);
    } catch {
      return undefined;
    }
    return getUserByUsername(deps, username);
  }
  if (value.includes('/') || value.includes(':')) return undefined;
  if (UUID.test(value)) return getUserById(deps, value.toLowerCase());
  return getUserByUsername(deps, value);
}
