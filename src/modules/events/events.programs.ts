import { createHash, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { parseBasicAuth } from '../../lib/basic-auth.ts';
import { hashToken } from '../../lib/secrets.ts';
import { announceAccessChange } from './events.access-listener.ts';
import { eventErrors } from './events.errors.ts';
import {
  deleteGrant,
  findKey,
  findProgram,
  type GrantRow,
  grantsOf,
  insertKey,
  insertProgram,
  revokeKey,
  touchKey,
  upsertGrant,
} from './events.programs.repository.ts';
import { EVENT_TYPE, PROGRAM_ID } from './events.validation.ts';

type ProgramDeps = Pick<Deps, 'db' | 'clock' | 'ids'>;

/** The program the hub records its own domain events under. */
export const HUB_PROGRAM_ID = 'HUB';
/** Key ids are recognisable, so the Basic authenticator only claims credentials that are ours. */
export const KEY_ID_PREFIX = 'ek_';
const KEY_ID = /^ek_[A-Za-z0-9_-]{16,64}$/;

export interface CreatedKey {
  readonly program_id: string;
  /** The seed's `userId`. */
  readonly user_id: string;
  /** Shown once; only its SHA-256 is stored. */
  readonly api_key: string;
  readonly expires_at: string | null;
}

function checkProgramId(id: string): void {
  if (!PROGRAM_ID.test(id)) {
    throw eventErrors.invalid('id', 'a ProgramId is 1–40 letters, digits or underscores (no hyphen)');
  }
}

export async function createProgram(
  deps: ProgramDeps,
  input: { id: string; name: string; owner?: string | undefined; expiresInDays?: number | undefined },
): Promise<CreatedKey> {
  checkProgramId(input.id);
  if (input.id === HUB_PROGRAM_ID) throw eventErrors.programExists(input.id);
  const name = input.name.trim();
  if (name === '' || name.length > 200)
    throw eventErrors.invalid('name', 'is required (up to 200 characters)');
  return deps.db.transaction(async (tx) => {
    const created = await insertProgram(tx, {
      id: input.id,
      name,
      owner: input.owner ?? null,
      createdAt: deps.clock.now(),
    });
    if (!created) throw eventErrors.programExists(input.id);
    return createKey({ ...deps, db: tx }, { programId: input.id, expiresInDays: input.expiresInDays });
  });
}

/** The hub's own program; created on first use. */
export async function ensureHubProgram(deps: ProgramDeps): Promise<void> {
  await insertProgram(deps.db, {
    id: HUB_PROGRAM_ID,
    name: 'Learnhub (the hub itself)',
    owner: null,
    createdAt: deps.clock.now(),
  });
}

export async function createKey(
  deps: Pick<ProgramDeps, 'clock' | 'ids'> & { db: Executor },
  input: { programId: string; name?: string | undefined; expiresInDays?: number | undefined },
): Promise<CreatedKey> {
  if (!(await findProgram(deps.db, input.programId))) throw eventErrors.programNotFound(input.programId);
  const days = input.expiresInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    throw eventErrors.invalid('expires-in-days', 'must be a whole number of days between 1 and 3650');
  }
  const now = deps.clock.now();
  const id = `${KEY_ID_PREFIX}${deps.ids.token(12)}`;
  const secret = `eks_${deps.ids.token(32)}`;
  const expiresAt = days === undefined ? null : new Date(now.getTime() + days * 86_400_000);
  await insertKey(deps.db, {
    id,
    programId: input.programId,
    name: input.name ?? 'key',
    secretHash: hashToken(secret),
    createdAt: now,
    expiresAt,
  });
  return {
    program_id: input.programId,
    user_id: id,
    api_key: secret,
    expires_at: expiresAt?.toISOString() ?? null,
  };
}

export async function revokeProgramKey(deps: ProgramDeps, keyId: string): Promise<void> {
  if (!(await revokeKey(deps.db, keyId, deps.clock.now()))) throw eventErrors.keyNotFound(keyId);
  evictKeys(deps.db, keyId);
  await announceAccessChange(deps.db);
}

export async function grantAccess(
  deps: ProgramDeps,
  input: { consumer: string; producer: string; types?: readonly string[] | undefined },
): Promise<void> {
  if (input.producer === HUB_PROGRAM_ID) await ensureHubProgram(deps);
  for (const id of [input.consumer, input.producer]) {
    if (!(await findProgram(deps.db, id))) throw eventErrors.programNotFound(id);
  }
  const types = input.types?.filter((t) => t !== '') ?? [];
  for (const type of types)
    if (!EVENT_TYPE.test(type)) throw eventErrors.invalid('types', `"${type}" is not a type name`);
  await upsertGrant(deps.db, {
    consumerId: input.consumer,
    producerId: input.producer,
    types: types.length > 0 ? types : null,
    createdAt: deps.clock.now(),
  });
  clearGrants(deps.db);
  await announceAccessChange(deps.db);
}

export async function revokeAccess(
  deps: ProgramDeps,
  input: { consumer: string; producer: string },
): Promise<boolean> {
  const removed = await deleteGrant(deps.db, input.consumer, input.producer);
  clearGrants(deps.db);
  if (removed) await announceAccessChange(deps.db);
  return removed;
}

/** Forgets every verified key and grant of this database (see events.access-listener.ts). */
export function clearAccessCaches(db: object): void {
  evictKeys(db);
  clearGrants(db);
}

/**
 * Grants held by a key's programs, re-read at most once a second per process: every feed page needs them,
 * and they change rarely. A change applies at once in the process that made it (the cache is cleared), in the
 * others as soon as its announcement arrives (events.access-listener.ts), and within GRANTS_MS regardless.
 */
const GRANTS_MS = 1_000;

interface GrantCache {
  readonly entries: Map<string, { rows: GrantRow[]; until: number }>;
  generation: number;
}

const grantCaches = new WeakMap<object, GrantCache>();

function grantCacheFor(db: object): GrantCache {
  let cache = grantCaches.get(db);
  if (!cache) {
    cache = { entries: new Map(), generation: 0 };
    grantCaches.set(db, cache);
  }
  return cache;
}

function clearGrants(db: object): void {
  const cache = grantCacheFor(db);
  cache.generation++;
  cache.entries.clear();
}

export async function grantsHeldBy(db: Executor, programIds: readonly string[]): Promise<GrantRow[]> {
  const cache = grantCacheFor(db);
  const key = programIds.join(',');
  const hit = cache.entries.get(key);
  if (hit && hit.until > performance.now()) return hit.rows;
  const generation = cache.generation;
  const rows = await grantsOf(db, programIds);
  if (cache.generation !== generation) return rows;
  if (cache.entries.size > 10_000) cache.entries.clear();
  cache.entries.set(key, { rows, until: performance.now() + GRANTS_MS });
  return rows;
}

const lastTouched = new Map<string, number>();

interface Verified {
  /** SHA-256 of the key's secret, as stored. */
  readonly hash: Buffer;
  readonly principal: Principal;
  readonly expiresAt: Date | null;
  readonly until: number;
}

/**
 * Keys verified in the last second, per database, by key id. Saves a query on every request of a busy
 * program; the presented secret is still hashed and compared with the stored hash in constant time on every
 * request. A revocation applies at once in the process that made it (revokeProgramKey evicts the key), in
 * the others as soon as its announcement arrives (events.access-listener.ts), and within VERIFIED_MS
 * regardless. A verification that read the key before a revocation must not cache what it read: each takes
 * the generation before its query and caches only if no eviction happened meanwhile. Freshness is measured
 * on the monotonic process clock (a cache detail); the key's own expiry is still checked against deps.clock.
 */
const VERIFIED_MS = 1_000;

interface VerifiedCache {
  readonly entries: Map<string, Verified>;
  generation: number;
}

const verifiedKeys = new WeakMap<object, VerifiedCache>();

function verifiedFor(db: object): VerifiedCache {
  let cache = verifiedKeys.get(db);
  if (!cache) {
    cache = { entries: new Map(), generation: 0 };
    verifiedKeys.set(db, cache);
  }
  return cache;
}

function evictKeys(db: object, keyId?: string): void {
  const cache = verifiedFor(db);
  cache.generation++;
  if (keyId === undefined) cache.entries.clear();
  else cache.entries.delete(keyId);
}

const sha256 = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

/**
 * Claims Basic credentials whose user part is a program key id (others, e.g. institution logins, are left
 * to their own authenticators). The secret's hash is compared in constant time; unknown, revoked or expired
 * keys are refused with 401.
 */
export async function authenticateProgramKey(
  deps: ProgramDeps,
  header: string | undefined,
): Promise<Principal | undefined> {
  const credentials = parseBasicAuth(header);
  if (!credentials?.user.startsWith(KEY_ID_PREFIX)) return undefined;
  if (!KEY_ID.test(credentials.user)) throw eventErrors.invalidKey();
  const presented = sha256(credentials.password);
  const now = deps.clock.now();
  const cache = verifiedFor(deps.db);
  const hit = cache.entries.get(credentials.user);
  if (hit && hit.until > performance.now()) {
    if (!timingSafeEqual(hit.hash, presented) || (hit.expiresAt && hit.expiresAt <= now)) {
      throw eventErrors.invalidKey();
    }
    return hit.principal;
  }
  const generation = cache.generation;
  const row = await findKey(deps.db, credentials.user);
  // Compare even when there is no such key, so an unknown id costs the same as a wrong secret.
  const stored = row && /^[0-9a-f]{64}$/.test(row.secretHash) ? Buffer.from(row.secretHash, 'hex') : null;
  const matches = timingSafeEqual(stored ?? Buffer.alloc(32), presented) && stored !== null;
  if (!row || stored === null || !matches || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) {
    throw eventErrors.invalidKey();
  }
  // Record use at most once a minute per key and process: no write on the hot path of every request.
  const touched = lastTouched.get(row.id) ?? 0;
  if (now.getTime() - touched > 60_000) {
    if (lastTouched.size > 10_000) lastTouched.clear();
    lastTouched.set(row.id, now.getTime());
    await touchKey(deps.db, row.id, now);
  }
  const principal: Principal = { kind: 'program_key', keyId: row.id, programIds: [row.programId] };
  if (cache.generation !== generation) return principal;
  if (cache.entries.size > 10_000) cache.entries.clear();
  cache.entries.set(row.id, {
    hash: stored,
    principal,
    expiresAt: row.expiresAt,
    until: performance.now() + VERIFIED_MS,
  });
  return principal;
}
