import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { hashToken } from '../../lib/secrets.ts';
import { identityErrors } from './identity.errors.ts';
import { burnPasswordCheck, verifyPassword } from './identity.passwords.ts';
import {
  clearSignInFailures,
  countSignInFailures,
  deleteExpiredSessions,
  deleteSessionByHash,
  findSessionByHash,
  findUserByEmail,
  insertSession,
  oldestSignInFailure,
  recordSignInFailure,
  touchSession,
} from './identity.repository.ts';
import { toUser, type User } from './identity.usecases.ts';

/** Not `_session`: oidc-provider uses that name for its own cookie. */
export const SESSION_COOKIE = 'lh_session';
/** A session ends 30 days after sign-in, or after 7 days without use, whichever is first. */
export const SESSION_TTL_MS = 30 * 86_400_000;
export const SESSION_IDLE_MS = 7 * 86_400_000;

/** Failed sign-ins allowed per window: per account (the email typed) and per client IP. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;

export interface ActiveSession {
  readonly sessionId: string;
  readonly user: User;
}

function cookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value && value.length <= 200 ? value : undefined;
}

/**
 * One session lookup per request: a signed-in page looks the session up for itself and again for its header
 * (web/chrome.ts). Starting or ending a session in the request forgets the memo, so the header drawn after a
 * sign-out never shows the person who just left.
 */
const lookups = new WeakMap<FastifyRequest, Promise<ActiveSession | undefined>>();

/** The session behind the request's cookie, if it exists and has not expired (absolutely or by idling). */
export function activeSession(deps: Deps, request: FastifyRequest): Promise<ActiveSession | undefined> {
  let lookup = lookups.get(request);
  if (!lookup) {
    lookup = lookUpSession(deps, request);
    lookups.set(request, lookup);
  }
  return lookup;
}

async function lookUpSession(deps: Deps, request: FastifyRequest): Promise<ActiveSession | undefined> {
  const token = cookieOf(request);
  if (!token) return undefined;
  const found = await findSessionByHash(deps.db, hashToken(token));
  const now = deps.clock.now();
  if (!found) return undefined;
  const { session, user } = found;
  if (session.expiresAt <= now || session.lastSeenAt.getTime() + SESSION_IDLE_MS <= now.getTime()) {
    return undefined;
  }
  await touchSession(deps.db, session.id, now);
  return { sessionId: session.id, user: toUser(user) };
}

/** The signed-in user from the session cookie, or undefined (no cookie, unknown, tampered or expired). */
export async function sessionUser(deps: Deps, request: FastifyRequest): Promise<User | undefined> {
  return (await activeSession(deps, request))?.user;
}

function cookieOptions(deps: Deps) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.publicUrl.startsWith('https:'),
  };
}

/**
 * Starts a session: a random token in the cookie, its hash in PostgreSQL. `crossSite` (an LTI launch inside
 * an LMS frame) makes the cookie SameSite=None so the framed pages see it; browsers only accept that over
 * https, so on a plain-http hub it stays Lax.
 */
export async function startSession(
  deps: Deps,
  reply: FastifyReply,
  userId: string,
  options: { readonly crossSite?: boolean } = {},
): Promise<void> {
  lookups.delete(reply.request);
  const token = deps.ids.token(32);
  const now = deps.clock.now();
  await deleteExpiredSessions(deps.db, userId, now);
  await insertSession(deps.db, {
    id: deps.ids.uuid(),
    tokenHash: hashToken(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  const cookie = cookieOptions(deps);
  const sameSite = options.crossSite && cookie.secure ? ('none' as const) : cookie.sameSite;
  reply.setCookie(SESSION_COOKIE, token, { ...cookie, sameSite, maxAge: SESSION_TTL_MS / 1000 });
}

/** Deletes the session behind a cookie value (signing out from elsewhere, e.g. OpenID end-session). */
export async function endSessionByToken(deps: Pick<Deps, 'db'>, token: string): Promise<void> {
  if (token.length <= 200) await deleteSessionByHash(deps.db, hashToken(token));
}

export async function endSession(deps: Deps, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  lookups.delete(request);
  const token = cookieOf(request);
  if (token) await deleteSessionByHash(deps.db, hashToken(token));
  reply.clearCookie(SESSION_COOKIE, cookieOptions(deps));
}

async function throttleRetryAfter(deps: Deps, key: string, limit: number): Promise<number | undefined> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  if ((await countSignInFailures(deps.db, key, since)) < limit) return undefined;
  const oldest = await oldestSignInFailure(deps.db, key, since);
  const liftsAt = (oldest ?? now).getTime() + SIGN_IN_WINDOW_MS;
  return Math.max(1, Math.ceil((liftsAt - now.getTime()) / 1000));
}

export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

/**
 * Checks a password against the account's and the IP's recent failures, which live in PostgreSQL so the
 * limit holds across processes. Throws identity.sign_in_throttled while a limit is reached.
 */
export async function assertNotThrottled(deps: Deps, email: string, ip: string): Promise<void> {
  const account = await throttleRetryAfter(deps, accountKey(email), MAX_FAILURES_PER_ACCOUNT);
  const byIp = await throttleRetryAfter(deps, `ip:${ip}`, MAX_FAILURES_PER_IP);
  const wait = Math.max(account ?? 0, byIp ?? 0);
  if (wait > 0) throw identityErrors.signInThrottled(wait);
}

export async function recordFailure(deps: Deps, email: string, ip: string): Promise<void> {
  const now = deps.clock.now();
  const windowStart = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  await recordSignInFailure(deps.db, [accountKey(email), `ip:${ip}`], now, windowStart);
}

/**
 * Email + password → user. Unknown email and wrong password give the same error, and an unknown email still
 * costs one scrypt, so neither the answer nor its timing tells who has an account.
 */
export async function signIn(
  deps: Deps,
  input: { email: string; password: string; ip: string },
): Promise<User> {
  const email = input.email.trim();
  if (email.length === 0 || email.length > 254 || input.password.length > 1024) {
    throw identityErrors.badCredentials();
  }
  await assertNotThrottled(deps, email, input.ip);
  const row = await findUserByEmail(deps.db, email);
  let ok = false;
  if (row) ok = await verifyPassword(input.password, row.passwordHash);
  else await burnPasswordCheck(input.password);
  if (!row || !ok) {
    await recordFailure(deps, email, input.ip);
    throw identityErrors.badCredentials();
  }
  await clearSignInFailures(deps.db, accountKey(email));
  return toUser(row);
}
