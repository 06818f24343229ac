import type { Deps } from '../../deps.ts';
import { isAdmin, type Principal } from '../../http/principal.ts';
import { hashToken } from '../../lib/secrets.ts';
import { listOutbox, type OutboxCursor, type OutboxEntry } from '../../mail/index.ts';
import { adminErrors } from './admin.errors.ts';
import { findApiTokenByHash, insertApiToken, touchApiToken } from './admin.repository.ts';

type AdminDeps = Pick<Deps, 'db' | 'clock' | 'ids'>;

/** Operator tokens are recognisable by prefix (secret scanners can match it) and carry 256 random bits. */
export const TOKEN_PREFIX = 'lh_op_';

export interface CreatedApiToken {
  readonly id: string;
  readonly name: string;
  readonly admin: boolean;
  /** Shown once; only its hash is stored. */
  readonly token: string;
  readonly expires_at: string;
}

export async function createApiToken(
  deps: AdminDeps,
  input: { name: string; admin: boolean; expiresInDays: number },
): Promise<CreatedApiToken> {
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 3650) {
    throw adminErrors.badExpiry(input.expiresInDays);
  }
  const token = `${TOKEN_PREFIX}${deps.ids.token(32)}`;
  const now = deps.clock.now();
  const row = await insertApiToken(deps.db, {
    id: deps.ids.uuid(),
    name: input.name,
    tokenHash: hashToken(token),
    admin: input.admin,
    createdAt: now,
    expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
  });
  return { id: row.id, name: row.name, admin: row.admin, token, expires_at: row.expiresAt.toISOString() };
}

/**
 * Looks a presented token up by its SHA-256. The comparison happens on the hash inside the index lookup, so
 * timing reveals nothing about the token itself.
 */
export async function authenticateApiToken(deps: AdminDeps, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await findApiTokenByHash(deps.db, hashToken(token));
  const now = deps.clock.now();
  if (!row || row.revokedAt || row.expiresAt <= now) throw adminErrors.invalidToken();
  await touchApiToken(deps.db, row.id, now);
  return { kind: 'operator', tokenId: row.id, admin: row.admin };
}

export async function listMail(
  deps: AdminDeps,
  principal: Principal,
  options: { limit: number; after?: OutboxCursor | undefined },
): Promise<OutboxEntry[]> {
  if (!isAdmin(principal)) throw adminErrors.notAdmin();
  return listOutbox(deps.db, options);
}
