import {
  type CryptoKey,
  decodeProtectedHeader,
  importJWK,
  importSPKI,
  type JWK,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors/index.ts';
import { platformErrors } from './platforms.errors.ts';
import {
  findKey,
  findPlatform,
  keysOf,
  listEnabledPlatforms,
  type PlatformRow,
} from './platforms.repository.ts';

/** Clock skew allowed on `iat`/`exp`, and the longest lifetime (exp − iat) a token may claim. */
export const CLOCK_SKEW_S = 60;
export const MAX_LIFETIME_S = 3600;
/** JWKS documents are kept this long; an unknown `kid` refetches, at most once per REFETCH_MS (rotation). */
const JWKS_TTL_MS = 10 * 60_000;
const REFETCH_MS = 30_000;
const MAX_JWKS_BYTES = 64 * 1024;

type Ctx = Pick<Deps, 'db' | 'clock' | 'outbound' | 'logger'>;

interface CachedSet {
  readonly keys: Map<string, CryptoKey>;
  readonly unnamed: CryptoKey[];
  readonly fetchedAt: number;
}

/**
 * Verifies platform JWTs exactly as the seed asks: RS256 only (the algorithm is pinned before any key is
 * chosen, so `none`, HS256 — including HS256 "signed" with the platform's public key — and every other alg are
 * refused), `iss`/`aud` as registered, `iat`/`exp` required with a small skew and a maximum lifetime. The
 * platform is found by the header's `kid` (PEM keys by lookup, JWKS keys from the platform's cached set); a
 * token without a kid is tried against the keys of every enabled platform.
 */
export class PlatformTokens {
  readonly #jwks = new Map<string, CachedSet>();
  readonly #pem = new Map<string, CryptoKey>();

  constructor(private readonly deps: Ctx) {}

  async verify(token: string): Promise<PlatformRow> {
    let alg: string | undefined;
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      alg = header.alg;
      kid = header.kid;
    } catch {
      throw platformErrors.invalidToken('The bearer token is not a JWT.');
    }
    if (token.split('.').length !== 3)
      throw platformErrors.invalidToken('The bearer token is not a signed JWT.');
    if (alg !== 'RS256')
      throw platformErrors.invalidToken(
        `The token is signed with ${alg ?? 'no algorithm'}; only RS256 is accepted.`,
      );
    const candidates = kid !== undefined ? await this.byKid(kid) : await this.everyKey();
    if (candidates.length === 0)
      throw platformErrors.invalidToken(
        kid !== undefined
          ? `No registered platform has the key "${kid}".`
          : 'No registered platform key verifies this token.',
      );
    let lastError: unknown;
    for (const { platform, key } of candidates) {
      try {
        return await this.check(token, platform, key);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof AppError ? lastError : platformErrors.invalidToken(describe(lastError));
  }

  private async check(token: string, platform: PlatformRow, key: CryptoKey): Promise<PlatformRow> {
    const now = this.deps.clock.now();
    let payload: { iat?: number | undefined; exp?: number | undefined };
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        issuer: platform.issuer,
        audience: platform.audience,
        clockTolerance: CLOCK_SKEW_S,
        maxTokenAge: MAX_LIFETIME_S,
        requiredClaims: ['iat', 'exp'],
        currentDate: now,
      }));
    } catch (error) {
      throw platformErrors.invalidToken(describe(error));
    }
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > MAX_LIFETIME_S)
      throw platformErrors.invalidToken(
        `The token's lifetime (exp − iat) is longer than ${MAX_LIFETIME_S} seconds.`,
      );
    // Read again: a platform disabled since its key was cached is refused on its next request.
    const current = await findPlatform(this.deps.db, platform.id);
    if (!current?.enabled) throw platformErrors.invalidToken('This platform registration is disabled.');
    return current;
  }

  private async pemKey(kid: string, pem: string): Promise<CryptoKey> {
    const cached = this.#pem.get(`${kid}\n${pem}`);
    if (cached) return cached;
    const key = await importSPKI(pem, 'RS256');
    this.#pem.set(`${kid}\n${pem}`, key);
    return key;
  }

  private async byKid(kid: string): Promise<{ platform: PlatformRow; key: CryptoKey }[]> {
    const row = await findKey(this.deps.db, kid);
    if (row) {
      const platform = await findPlatform(this.deps.db, row.platformId);
      return platform ? [{ platform, key: await this.pemKey(row.kid, row.pem) }] : [];
    }
    const found: { platform: PlatformRow; key: CryptoKey }[] = [];
    for (const platform of (await listEnabledPlatforms(this.deps.db)).filter((p) => p.jwksUrl)) {
      const set = await this.jwks(platform, kid);
      const key = set?.keys.get(kid);
      if (key) found.push({ platform, key });
    }
    return found;
  }

  private async everyKey(): Promise<{ platform: PlatformRow; key: CryptoKey }[]> {
    const platforms = await listEnabledPlatforms(this.deps.db);
    const out: { platform: PlatformRow; key: CryptoKey }[] = [];
    const pems = await keysOf(
      this.deps.db,
      platforms.map((p) => p.id),
    );
    for (const platform of platforms) {
      for (const k of pems.filter((x) => x.platformId === platform.id))
        out.push({ platform, key: await this.pemKey(k.kid, k.pem) });
      if (platform.jwksUrl) {
        const set = await this.jwks(platform, undefined);
        for (const key of [...(set?.keys.values() ?? []), ...(set?.unnamed ?? [])])
          out.push({ platform, key });
      }
    }
    return out;
  }

  /** The platform's key set, fetched through the outbound guard; refetched when stale or when `kid` is new. */
  private async jwks(platform: PlatformRow, kid: string | undefined): Promise<CachedSet | undefined> {
    const cached = this.#jwks.get(platform.id);
    const age = cached ? this.deps.clock.now().getTime() - cached.fetchedAt : Number.POSITIVE_INFINITY;
    const missing = kid !== undefined && cached !== undefined && !cached.keys.has(kid);
    if (cached && age < JWKS_TTL_MS && !(missing && age > REFETCH_MS)) return cached;
    if (!platform.jwksUrl) return undefined;
    try {
      const res = await this.deps.outbound(platform.jwksUrl, {
        method: 'GET',
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      if (!res.ok || text.length > MAX_JWKS_BYTES)
        throw new Error(`status ${res.status}, ${text.length} bytes`);
      const body = JSON.parse(text) as { keys?: unknown };
      const keys = new Map<string, CryptoKey>();
      const unnamed: CryptoKey[] = [];
      for (const jwk of Array.isArray(body.keys) ? (body.keys as JWK[]) : []) {
        // Only RSA signing keys; a key published for another algorithm is never used for RS256.
        if (
          jwk.kty !== 'RSA' ||
          (jwk.alg !== undefined && jwk.alg !== 'RS256') ||
          (jwk.use !== undefined && jwk.use !== 'sig')
        )
          continue;
        const key = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256');
        if (!(key instanceof CryptoKey)) continue;
        if (jwk.kid) keys.set(jwk.kid, key);
        else unnamed.push(key);
      }
      const set = { keys, unnamed, fetchedAt: this.deps.clock.now().getTime() };
      this.#jwks.set(platform.id, set);
      return set;
    } catch (error) {
      this.deps.logger.warn({ platform: platform.id, err: error }, 'platform JWKS fetch failed');
      // Keep serving the keys we had: a platform's JWKS host being down should not lock it out at once.
      return cached;
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'The token\u2019s aud is not this service.';
    if (error.claim === 'iss') return 'The token\u2019s iss is not the one registered.';
    if (error.claim === 'iat')
      return error.reason === 'missing'
        ? 'The token has no iat.'
        : 'The token\u2019s iat is in the future or too long ago.';
    if (error.claim === 'exp') return 'The token has no exp.';
    return `The token's ${error.claim} claim is not acceptable.`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return 'The token\u2019s signature does not verify.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'Only RS256 is accepted.';
  return 'The token is not valid.';
}
