import { generateKeyPairSync } from 'node:crypto';
import { importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { Executor } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import { ltiErrors } from './lti.errors.ts';
import {
  deleteRetiredKeys,
  insertToolKey,
  listToolKeys,
  markKeyUsed,
  retireToolKeys,
  type ToolKeyRow,
} from './lti.repository.ts';

const PURPOSE = 'lti-tool-keys';
/**
 * A retired key stays published this long after its retirement and after the last thing it signed. What it
 * signs (client assertions, deep-linking responses) lives minutes, but platforms cache a tool's JWKS: a day
 * covers their caches, so no platform ever meets a kid it cannot find.
 */
export const KEY_OVERLAP_MS = 86_400_000;

type KeyDeps = Pick<Deps, 'clock' | 'ids' | 'secretKey'> & { readonly db: Executor };

export interface ToolKeySummary {
  readonly kid: string;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
  readonly lastSignedAt: Date | null;
}

function newKeyRow(deps: KeyDeps) {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `lti-${deps.ids.token(9)}`;
  const full = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const { kty, n, e } = full;
  return {
    kid,
    sealedJwk: encryptSecret(deps.secretKey, PURPOSE, JSON.stringify(full)),
    publicJwk: { kty, n, e, kid, alg: 'RS256', use: 'sig' },
    createdAt: deps.clock.now(),
  };
}

/** Creates the first key if there is none; safe to call on every start. */
export async function ensureToolKey(deps: KeyDeps): Promise<void> {
  const keys = await listToolKeys(deps.db);
  if (keys.some((k) => k.retiredAt === null)) return;
  await insertToolKey(deps.db, newKeyRow(deps));
}

/** A new signing key; the previous ones are retired (still published until KEY_OVERLAP_MS has passed). */
export async function rotateToolKey(deps: KeyDeps & { readonly db: Executor }): Promise<ToolKeySummary> {
  const row = newKeyRow(deps);
  await insertToolKey(deps.db, row);
  await retireToolKeys(deps.db, row.kid, deps.clock.now());
  signerCache.clear();
  return { kid: row.kid, createdAt: row.createdAt, retiredAt: null, lastSignedAt: null };
}

export async function listToolKeySummaries(deps: { readonly db: Executor }): Promise<ToolKeySummary[]> {
  return (await listToolKeys(deps.db)).map((k) => ({
    kid: k.kid,
    createdAt: k.createdAt,
    retiredAt: k.retiredAt,
    lastSignedAt: k.lastSignedAt,
  }));
}

/** The public keys for /lti/jwks: the active one and retired ones still inside their overlap. */
export async function publishedJwks(deps: KeyDeps): Promise<{ keys: Record<string, unknown>[] }> {
  const now = deps.clock.now().getTime();
  const cutoff = new Date(now - KEY_OVERLAP_MS);
  await deleteRetiredKeys(deps.db, cutoff, cutoff);
  await ensureToolKey(deps);
  const keys = await listToolKeys(deps.db);
  return { keys: keys.map((k) => k.publicJwk) };
}

interface Signer {
  readonly kid: string;
  readonly key: CryptoKey | Uint8Array;
  markedAt: number;
}
// Decrypting and importing a key costs far more than signing with it; the active key is cached per process.
const signerCache = new Map<string, Signer>();

async function activeSigner(deps: KeyDeps): Promise<Signer> {
  await ensureToolKey(deps);
  const active: ToolKeyRow | undefined = (await listToolKeys(deps.db)).find((k) => k.retiredAt === null);
  if (!active) throw ltiErrors.noSigningKey();
  const cached = signerCache.get(active.kid);
  if (cached) return cached;
  const jwk = JSON.parse(decryptSecret(deps.secretKey, PURPOSE, active.sealedJwk)) as JWK;
  const signer: Signer = { kid: active.kid, key: await importJWK(jwk, 'RS256'), markedAt: 0 };
  signerCache.set(active.kid, signer);
  return signer;
}

/** Signs a JWT with the tool's active key (RS256, with its kid), noting the key as in use. */
export async function signToolJwt(
  deps: KeyDeps,
  payload: JWTPayload,
  options: { expiresInSeconds: number },
): Promise<string> {
  const signer = await activeSigner(deps);
  const now = deps.clock.now();
  const nowS = Math.floor(now.getTime() / 1000);
  // lastSignedAt only has to be right to within the overlap; one write a minute per process is plenty.
  if (now.getTime() - signer.markedAt > 60_000) {
    signer.markedAt = now.getTime();
    await markKeyUsed(deps.db, signer.kid, now);
  }
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + options.expiresInSeconds)
    .sign(signer.key);
}
