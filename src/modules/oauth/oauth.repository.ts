import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Database, Executor } from '../../db/client.ts';
import { oauthApps, oidcPayloads, oidcSigningKeys } from './oauth.tables.ts';

export type AppRow = typeof oauthApps.$inferSelect;
export type PayloadRow = typeof oidcPayloads.$inferSelect;

// ---- apps ----

export async function insertApp(db: Executor, row: typeof oauthApps.$inferInsert): Promise<AppRow> {
  const [inserted] = await db.insert(oauthApps).values(row).returning();
  if (!inserted) throw new Error('app insert returned no row');
  return inserted;
}

export async function findAppById(db: Executor, id: string): Promise<AppRow | undefined> {
  const [row] = await db.select().from(oauthApps).where(eq(oauthApps.id, id)).limit(1);
  return row;
}

export async function findAppsByIds(db: Executor, ids: readonly string[]): Promise<AppRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(oauthApps)
    .where(inArray(oauthApps.id, [...ids]));
}

/** Newest first, keyset-paged on (created_at, id); `ownerUserId` undefined lists every app. */
export async function listApps(
  db: Executor,
  options: { ownerUserId?: string | undefined; limit: number; after?: { createdAt: Date; id: string } },
): Promise<AppRow[]> {
  const conditions = [];
  if (options.ownerUserId !== undefined) conditions.push(eq(oauthApps.ownerUserId, options.ownerUserId));
  if (options.after) {
    const { createdAt, id } = options.after;
    conditions.push(
      or(lt(oauthApps.createdAt, createdAt), and(eq(oauthApps.createdAt, createdAt), lt(oauthApps.id, id))),
    );
  }
  return db
    .select()
    .from(oauthApps)
    .where(and(...conditions))
    .orderBy(desc(oauthApps.createdAt), desc(oauthApps.id))
    .limit(options.limit);
}

export async function updateApp(
  db: Executor,
  id: string,
  changes: Partial<typeof oauthApps.$inferInsert>,
): Promise<AppRow | undefined> {
  const [row] = await db.update(oauthApps).set(changes).where(eq(oauthApps.id, id)).returning();
  return row;
}

export async function deleteApp(db: Executor, id: string): Promise<boolean> {
  const rows = await db.delete(oauthApps).where(eq(oauthApps.id, id)).returning({ id: oauthApps.id });
  return rows.length > 0;
}

// ---- oidc-provider payloads ----

export async function upsertPayload(db: Executor, row: typeof oidcPayloads.$inferInsert): Promise<void> {
  await db
    .insert(oidcPayloads)
    .values(row)
    .onConflictDoUpdate({
      target: [oidcPayloads.model, oidcPayloads.idHash],
      set: {
        payload: row.payload,
        grantId: row.grantId,
        uid: row.uid,
        userCode: row.userCode,
        accountId: row.accountId,
        clientId: row.clientId,
        expiresAt: row.expiresAt,
      },
    });
}

export async function findPayload(
  db: Executor,
  where: { model: string; now: Date } & ({ idHash: string } | { uid: string } | { userCode: string }),
): Promise<PayloadRow | undefined> {
  const key =
    'idHash' in where
      ? eq(oidcPayloads.idHash, where.idHash)
      : 'uid' in where
        ? eq(oidcPayloads.uid, where.uid)
        : eq(oidcPayloads.userCode, where.userCode);
  const [row] = await db
    .select()
    .from(oidcPayloads)
    .where(and(eq(oidcPayloads.model, where.model), key, gt(oidcPayloads.expiresAt, where.now)))
    .limit(1);
  return row;
}

export async function consumePayload(db: Executor, model: string, idHash: string, now: Date): Promise<void> {
  await db
    .update(oidcPayloads)
    .set({ consumedAt: now })
    .where(
      and(eq(oidcPayloads.model, model), eq(oidcPayloads.idHash, idHash), isNull(oidcPayloads.consumedAt)),
    );
}

export async function destroyPayload(db: Executor, model: string, idHash: string): Promise<void> {
  await db.delete(oidcPayloads).where(and(eq(oidcPayloads.model, model), eq(oidcPayloads.idHash, idHash)));
}

export async function destroyByGrantIds(db: Executor, grantIds: readonly string[], model?: string) {
  if (grantIds.length === 0) return;
  const byGrant = inArray(oidcPayloads.grantId, [...grantIds]);
  await db.delete(oidcPayloads).where(model ? and(eq(oidcPayloads.model, model), byGrant) : byGrant);
}

export interface LiveTokenRow {
  readonly model: 'AccessToken' | 'ClientCredentials';
  readonly payload: Record<string, unknown>;
  readonly expires_at: Date;
  /** For a user's token: whether the grant it was issued under still exists (always true otherwise). */
  readonly grant_live: boolean;
}

/**
 * A bearer token's row, of either kind, with its grant's liveness, in ONE named prepared statement (the
 * authentication hot path on a cache miss). A grant's row is keyed by the SHA-256 of its id, as hashToken().
 */
export async function findLiveTokenRow(
  pool: pg.Pool,
  idHash: string,
  now: Date,
): Promise<LiveTokenRow | undefined> {
  const result = await pool.query<LiveTokenRow>({
    name: 'oauth_live_token',
    text: `select t.model, t.payload, t.expires_at,
        t.model <> 'AccessToken' or exists (
          select 1 from oidc_payloads g
          where g.model = 'Grant' and g.expires_at > $2::timestamptz
            and g.id_hash = encode(sha256(convert_to(t.payload ->> 'grantId', 'UTF8')), 'hex')
        ) as grant_live
      from oidc_payloads t
      where t.model in ('AccessToken', 'ClientCredentials') and t.id_hash = $1::text
        and t.expires_at > $2::timestamptz
      order by t.model
      limit 1`,
    values: [idHash, now.toISOString()],
  });
  return result.rows[0];
}

/**
 * SQL text: "the user holds a live grant to the app that includes the scope", for statements of other
 * modules that authorise and write in one go (`insert ... select ... where <this>`). The arguments are SQL
 * expressions (placeholders with casts) for the app id, the user id (uuids), the scope (text) and now.
 */
export function liveGrantCondition(app: string, user: string, scope: string, now: string): string {
  return `exists (select 1 from oidc_payloads g
    where g.model = 'Grant' and g.account_id = (${user})::text and g.client_id = (${app})::text
      and g.expires_at > ${now} and ${scope} = any(string_to_array(g.payload #>> '{openid,scope}', ' ')))`;
}

/** Live grants of one user, optionally for one app, newest first. */
export async function findGrants(
  db: Executor,
  where: { accountId: string; clientId?: string; now: Date },
): Promise<PayloadRow[]> {
  return db
    .select()
    .from(oidcPayloads)
    .where(
      and(
        eq(oidcPayloads.model, 'Grant'),
        eq(oidcPayloads.accountId, where.accountId),
        where.clientId === undefined ? undefined : eq(oidcPayloads.clientId, where.clientId),
        gt(oidcPayloads.expiresAt, where.now),
      ),
    )
    .orderBy(desc(sql`(${oidcPayloads.payload}->>'iat')::bigint`))
    .limit(200);
}

/** Deletes grants (by the grants' own ids, which are their `jti`s stored in payload) and every token they carry. */
export async function destroyGrants(
  db: Executor,
  where: { accountId?: string; clientId: string },
): Promise<number> {
  const conditions = [eq(oidcPayloads.model, 'Grant'), eq(oidcPayloads.clientId, where.clientId)];
  if (where.accountId !== undefined) conditions.push(eq(oidcPayloads.accountId, where.accountId));
  const removed = await db
    .delete(oidcPayloads)
    .where(and(...conditions))
    .returning({ payload: oidcPayloads.payload });
  const grantIds = removed.map((r) => r.payload.jti).filter((jti): jti is string => typeof jti === 'string');
  await destroyByGrantIds(db, grantIds);
  return removed.length;
}

/** Tokens an app holds as itself (client credentials) and anything else it left behind. */
export async function destroyClientPayloads(db: Executor, clientId: string): Promise<void> {
  await db.delete(oidcPayloads).where(eq(oidcPayloads.clientId, clientId));
}

export async function deleteExpiredPayloads(db: Executor, now: Date): Promise<number> {
  const result = await db.delete(oidcPayloads).where(lt(oidcPayloads.expiresAt, now));
  return result.rowCount ?? 0;
}

// ---- signing keys ----

export async function listSigningKeys(db: Executor) {
  return db.select().from(oidcSigningKeys).orderBy(desc(oidcSigningKeys.createdAt));
}

/**
 * Returns the stored keys, creating the first one if there is none. An advisory lock makes concurrent
 * first starts (web and worker processes) agree on one key.
 */
export async function ensureSigningKeys(
  db: Database,
  create: () => { kid: string; sealedJwk: string; createdAt: Date },
) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('learnhub:oidc-signing-keys'))`);
    const existing = await listSigningKeys(tx);
    if (existing.length > 0) return existing;
    await tx.insert(oidcSigningKeys).values(create());
    return listSigningKeys(tx);
  });
}
