import { and, count, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { emailTokens, sessions, signInFailures, signupRequests, users } from './identity.tables.ts';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type EmailTokenRow = typeof emailTokens.$inferSelect;

export async function insertUser(db: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const [inserted] = await db.insert(users).values(row).returning();
  if (!inserted) throw new Error('user insert returned no row');
  return inserted;
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** Several people in one query (bulk mail); unknown ids are simply absent. */
export async function findUsersByIds(db: Executor, ids: readonly string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(users)
    .where(inArray(users.id, [...ids]));
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  return row;
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`).limit(1);
  return row;
}

export async function updateUser(
  db: Executor,
  id: string,
  changes: Partial<Pick<UserRow, 'email' | 'emailVerifiedAt' | 'passwordHash' | 'name'>> & {
    updatedAt: Date;
  },
): Promise<UserRow | undefined> {
  const [row] = await db.update(users).set(changes).where(eq(users.id, id)).returning();
  return row;
}

export async function insertSession(db: Executor, row: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(row);
}

export async function findSessionByHash(
  db: Executor,
  tokenHash: string,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** Records activity at most once a minute per session, so page views do not all write. */
export async function touchSession(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, new Date(now.getTime() - 60_000))));
}

export async function deleteSessionByHash(db: Executor, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSessionById(db: Executor, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Signs a user out everywhere, optionally except the session they are using. */
export async function deleteUserSessions(db: Executor, userId: string, exceptId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), exceptId ? ne(sessions.id, exceptId) : undefined));
}

export async function insertEmailToken(db: Executor, row: typeof emailTokens.$inferInsert): Promise<void> {
  await db.insert(emailTokens).values(row);
}

/**
 * Marks a token used and returns it, in one statement, only if it is unused and unexpired: two concurrent
 * uses cannot both succeed.
 */
export async function consumeEmailToken(
  db: Executor,
  tokenHash: string,
  purpose: EmailTokenRow['purpose'],
  now: Date,
): Promise<EmailTokenRow | undefined> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning();
  return row;
}

export async function findUsableEmailToken(
  db: Executor,
  tokenHash: string,
  purpose: EmailTokenRow['purpose'],
  now: Date,
): Promise<EmailTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.tokenHash, tokenHash),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .limit(1);
  return row;
}

/** Retires every outstanding token of a purpose (e.g. older reset links once one has been used). */
export async function retireEmailTokens(
  db: Executor,
  userId: string,
  purpose: EmailTokenRow['purpose'],
  now: Date,
): Promise<void> {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

/** Records failures and drops those that have left the window, so the table stays small. */
export async function recordSignInFailure(
  db: Executor,
  keys: readonly string[],
  at: Date,
  windowStart: Date,
): Promise<void> {
  if (keys.length === 0) return;
  await db.insert(signInFailures).values(keys.map((key) => ({ key, at })));
  await db.delete(signInFailures).where(lt(signInFailures.at, windowStart));
}

export async function countSignInFailures(db: Executor, key: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)));
  return row?.n ?? 0;
}

/** The oldest failure still inside the window: the limit lifts when it leaves the window. */
export async function oldestSignInFailure(db: Executor, key: string, since: Date): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: sql<Date>`min(${signInFailures.at})`.mapWith(signInFailures.at) })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)));
  return row?.at ?? undefined;
}

export async function clearSignInFailures(db: Executor, key: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.key, key));
}

/** Drops a user's sessions that have passed their absolute expiry. */
export async function deleteExpiredSessions(db: Executor, userId: string, now: Date): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)));
}

export async function countRecentEmailTokens(
  db: Executor,
  userId: string,
  purpose: EmailTokenRow['purpose'],
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(emailTokens)
    .where(
      and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), gt(emailTokens.createdAt, since)),
    );
  return row?.n ?? 0;
}

/**
 * Housekeeping: sessions past their absolute or idle expiry, failures that left the throttling window,
 * and mailed tokens that expired a week ago (kept a while so a late click still gets "expired", not "unknown").
 */
export async function purgeExpired(
  db: Executor,
  cutoffs: { now: Date; idleSince: Date; failuresBefore: Date; tokensBefore: Date },
): Promise<number> {
  const s = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, cutoffs.now), lt(sessions.lastSeenAt, cutoffs.idleSince)))
    .returning({ id: sessions.id });
  const f = await db
    .delete(signInFailures)
    .where(lt(signInFailures.at, cutoffs.failuresBefore))
    .returning({ id: signInFailures.id });
  const t = await db
    .delete(emailTokens)
    .where(lt(emailTokens.expiresAt, cutoffs.tokensBefore))
    .returning({ id: emailTokens.id });
  const r = await db
    .delete(signupRequests)
    .where(lt(signupRequests.expiresAt, cutoffs.tokensBefore))
    .returning({ id: signupRequests.id });
  return s.length + f.length + t.length + r.length;
}

export type SignupRequestRow = typeof signupRequests.$inferSelect;

export async function insertSignupRequest(db: Executor, row: typeof signupRequests.$inferInsert) {
  await db.insert(signupRequests).values(row);
}

/** Sign-up requests for an address (any case) since a time: the per-address mail limit. */
export async function countRecentSignupRequests(db: Executor, email: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(signupRequests)
    .where(and(sql`lower(${signupRequests.email}) = lower(${email})`, gt(signupRequests.createdAt, since)));
  return row?.n ?? 0;
}

export async function findUsableSignupRequest(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<SignupRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(signupRequests)
    .where(
      and(
        eq(signupRequests.tokenHash, tokenHash),
        isNull(signupRequests.usedAt),
        gt(signupRequests.expiresAt, now),
      ),
    )
    .limit(1);
  return row;
}

/** Spends a sign-up link in one statement: two concurrent uses cannot both succeed. */
export async function consumeSignupRequest(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<SignupRequestRow | undefined> {
  const [row] = await db
    .update(signupRequests)
    .set({ usedAt: now })
    .where(
      and(
        eq(signupRequests.tokenHash, tokenHash),
        isNull(signupRequests.usedAt),
        gt(signupRequests.expiresAt, now),
      ),
    )
    .returning();
  return row;
}
