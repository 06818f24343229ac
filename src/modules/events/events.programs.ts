import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../http/principal.ts';
import { hashToken, safeEqual } from '../../lib/secrets.ts';
import { eventErrors } from './events.errors.ts';
import {
  deleteGrant,
  findKey,
  findProgram,
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
  const cache = verifiedFor(deps.db);
  for (const cached of cache.keys()) if (cached.startsWith(`${keyId}:`)) cache.delete(cached);
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
}

export async function revokeAccess(
  deps: ProgramDeps,
  input: { consumer: string; producer: string },
): Promise<boolean> {
  return deleteGrant(deps.db, input.consumer, input.producer);
}

/** Reads `Authorization: Basic base64(userId:apiKey)`; undefined when absent or not Basic. */
export function basicCredentials(header: string | undefined): { user: string; secret: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const lastTouched = new Map<string, number>();

interface Verified {
  readonly principal: Principal;
  readonly expiresAt: Date | null;
  readonly until: number;
}

/**
 * Keys verified in the last second, per database, keyed by key id and the SHA-256 of the secret presented.
 * Saves a query on every request of a busy program. A revocation made in this process applies at once;
 * one made elsewhere (the CLI, another web process) within a second. The freshness is measured on the
 * monotonic process clock (a cache detail); the key's own expiry is still checked against deps.clock.
 */
const VERIFIED_MS = 1_000;
const verifiedKeys = new WeakMap<object, Map<string, Verified>>();

function verifiedFor(db: object): Map<string, Verified> {
  let map = verifiedKeys.get(db);
  if (!map) {
    map = new Map();
    verifiedKeys.set(db, map);
  }
  return map;
}

/**
 * Claims Basic credentials whose user part is a program key id (others, e.g. institution logins, are left
 * to their own authenticators). The secret's hash is compared in constant time; unknown, revoked or expired
 * keys are refused with 401.
 */
export async function authenticateProgramKey(
  deps: ProgramDeps,
  header: string | undefined,
): Promise<Principal | undefined> {
  const credentials = basicCredentials(header);
  if (!credentials?.user.startsWith(KEY_ID_PREFIX)) return undefined;
  if (!KEY_ID.test(credentials.user)) throw eventErrors.invalidKey();
  const presented = hashToken(credentials.secret);
  const now = deps.clock.now();
  const cache = verifiedFor(deps.db);
  const cacheKey = `${credentials.user}:${presented}`;
  const hit = cache.get(cacheKey);
  if (hit && hit.until > performance.now() && (!hit.expiresAt || hit.expiresAt > now)) return hit.principal;
  const row = await findKey(deps.db, credentials.user);
  const matches = safeEqual(row?.secretHash ?? '', presented);
  if (!row || !matches || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) {
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
  if (cache.size > 10_000) cache.clear();
  cache.set(cacheKey, { principal, expiresAt: row.expiresAt, until: performance.now() + VERIFIED_MS });
  return principal;
}
