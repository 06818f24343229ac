import { importJWK, type JWK } from 'jose';
import type { Deps } from '../../deps.ts';
import { launchErrors } from './lti.errors.ts';
import type { PlatformRow } from './lti.repository.ts';

/** A platform's keys are kept this long before they are fetched again. */
const FRESH_MS = 10 * 60_000;
/** An unknown kid refetches the set (the platform rotated), but at most this often per URL. */
const REFETCH_MIN_MS = 5_000;
const MAX_BYTES = 256 * 1024;

interface Entry {
  readonly keys: readonly JWK[];
  readonly fetchedAt: number;
  readonly imported: Map<string, CryptoKey | Uint8Array>;
}

/**
 * Platform JWKS, fetched through the SSRF-guarded outbound fetch and cached per JWKS URL in this process.
 * Only RSA keys usable for RS256 are considered.
 */
export class PlatformKeys {
  readonly #entries = new Map<string, Entry>();
  constructor(private readonly deps: Pick<Deps, 'outbound' | 'clock' | 'logger'>) {}

  async #fetch(platform: PlatformRow): Promise<Entry> {
    const url = platform.jwksUrl;
    let response: Response;
    try {
      response = await this.deps.outbound(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(5_000),
        redirect: 'follow',
      });
    } catch (error) {
      throw launchErrors.platformKeys(
        `JWKS ${url} of platform ${platform.id} unreachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const body = await response.text();
    if (response.status !== 200)
      throw launchErrors.platformKeys(
        `JWKS ${url} of platform ${platform.id} answered HTTP ${response.status}`,
      );
    if (body.length > MAX_BYTES)
      throw launchErrors.platformKeys(`JWKS ${url} is larger than ${MAX_BYTES} bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw launchErrors.platformKeys(`JWKS ${url} of platform ${platform.id} is not JSON`);
    }
    const keys = (parsed as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw launchErrors.platformKeys(`JWKS ${url} has no "keys" array`);
    const usable = (keys as JWK[]).filter(
      (k) => k && k.kty === 'RSA' && (k.alg === undefined || k.alg === 'RS256') && k.use !== 'enc',
    );
    const entry: Entry = { keys: usable, fetchedAt: this.deps.clock.now().getTime(), imported: new Map() };
    this.#entries.set(url, entry);
    return entry;
  }

  #find(entry: Entry, kid: string | undefined): JWK | undefined {
    // The certification suite's "No KID Sent in JWT header" case: a token must name its key.
    if (kid === undefined) return undefined;
    return entry.keys.find((k) => k.kid === kid);
  }

  /** The platform's public key for this kid: from the cache, or fetched (again when the kid is new). */
  async key(platform: PlatformRow, kid: string | undefined): Promise<CryptoKey | Uint8Array> {
    const now = this.deps.clock.now().getTime();
    let entry = this.#entries.get(platform.jwksUrl);
    if (!entry || now - entry.fetchedAt > FRESH_MS) entry = await this.#fetch(platform);
    let jwk = this.#find(entry, kid);
    if (!jwk && kid !== undefined && now - entry.fetchedAt >= REFETCH_MIN_MS) {
      entry = await this.#fetch(platform);
      jwk = this.#find(entry, kid);
    }
    if (!jwk)
      throw launchErrors.badToken(
        kid === undefined
          ? `id_token header has no kid (platform ${platform.id})`
          : `kid ${kid} is not in JWKS ${platform.jwksUrl} of platform ${platform.id}`,
      );
    const cacheKey = jwk.kid ?? '';
    const cached = entry.imported.get(cacheKey);
    if (cached) return cached;
    try {
      const imported = await importJWK(jwk, 'RS256');
      entry.imported.set(cacheKey, imported);
      return imported;
    } catch (error) {
      throw launchErrors.platformKeys(
        `key ${cacheKey} of JWKS ${platform.jwksUrl} cannot be imported: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Forgets a platform's keys (its JWKS URL changed). */
  forget(jwksUrl: string): void {
    this.#entries.delete(jwksUrl);
  }
}
