import pg from 'pg';
import type { Principal } from '../../http/principal.ts';
import type { Logger } from '../../lib/logger.ts';

/**
 * The channel a trigger on oidc_payloads notifies (migration 0002_oauth_token_revoked_notify) whenever an
 * access token, client-credentials token or grant row is deleted or changed, in whatever process or
 * transaction: revoking a connection, the revocation endpoint, deleting an app, the expiry purge, an
 * operator's SQL. PostgreSQL delivers it on commit to every listening session.
 */
export const REVOKED_CHANNEL = 'learnhub_oauth_revoked';

/** How long a verified token is trusted without asking the database (if no revocation arrives first). */
export const TOKEN_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;
const RECONNECT_MS = 1_000;

interface Entry {
  readonly principal: Principal;
  /** The earliest of: cached-at + TTL, the token's own expiry. */
  readonly until: number;
}

/**
 * Verified bearer tokens, keyed by the token's SHA-256 (never the token itself), so the hot path of an
 * authenticated request costs no query. Only successful verifications are cached. A lookup by hash leaks
 * nothing through its timing (as the database's own lookup by id_hash), so no constant-time compare is due.
 *
 * Revocation must still take effect at once, in every web process:
 * - this process clears the cache itself right after it commits a revocation (revokeConnection, the
 *   provider's destroy/revokeByGrantId), so its next request already asks the database;
 * - every process LISTENs on REVOKED_CHANNEL on a connection of its own and clears its cache when a
 *   notification arrives (a few milliseconds after the revoking transaction commits, wherever it ran);
 * - while that connection is not listening (not yet connected, or lost), the cache is bypassed and
 *   emptied, since a notification could have been missed;
 * - a verification that started before a clear must not refill the cache with what it read: each lookup
 *   takes the generation before querying and is only stored if no clear happened meanwhile.
 * Clearing everything (rather than one token) keeps this simple; revocations are rare next to requests.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  #generation = 0;
  #client: pg.Client | undefined;
  #listening = false;
  #closed = false;
  #lastAttempt = Number.NEGATIVE_INFINITY;
  readonly #waiters: (() => void)[] = [];

  constructor(pool: pg.Pool, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
  }

  /** A trusted principal for this token hash, or undefined (then verify with the database). */
  get(hash: string, nowMs: number): Principal | undefined {
    if (!this.#listening) {
      this.#connect();
      return undefined;
    }
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.principal;
  }

  /** Call before reading the database; pass the result to set(). */
  generation(): number {
    return this.#generation;
  }

  set(hash: string, principal: Principal, untilMs: number, generation: number): void {
    if (!this.#listening || generation !== this.#generation) return;
    // A full cache starts over rather than tracking recency: cheap, and rare with a 30 s TTL.
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(hash, { principal, until: untilMs });
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** Resolves once revocations are being heard (and so the cache is in use); starts listening if needed. */
  whenListening(): Promise<void> {
    if (this.#listening) return Promise.resolve();
    this.#connect();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listening = false;
    this.invalidate();
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  /** Opens the LISTEN connection (at most one attempt a second); the cache stays bypassed until it is up. */
  #connect(): void {
    const now = performance.now();
    if (this.#closed || this.#client || now - this.#lastAttempt < RECONNECT_MS) return;
    this.#lastAttempt = now;
    // Same server and credentials as the pool, but outside it: a listening session must stay open. TCP
    // keepalive notices a silently dead connection; until then, entries still expire after the TTL.
    const client = new pg.Client({
      ...this.#pool.options,
      application_name: 'learnhub-token-cache',
      keepAlive: true,
    });
    this.#client = client;
    const lost = (error?: Error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.#listening = false;
      this.invalidate();
      if (!this.#closed) this.#logger.warn({ err: error }, 'token cache: revocation listener lost');
      client.end().catch(() => {});
    };
    client.on('notification', (message) => {
      if (message.channel === REVOKED_CHANNEL) this.invalidate();
    });
    client.on('error', lost);
    client.on('end', () => lost());
    client
      .connect()
      .then(() => client.query(`listen ${REVOKED_CHANNEL}`))
      .then(() => {
        if (this.#client !== client) return;
        // Anything cached before (nothing, normally) may have missed a notification.
        this.invalidate();
        this.#listening = true;
        for (const resolve of this.#waiters.splice(0)) resolve();
      })
      .catch(lost);
  }
}

const caches = new WeakMap<pg.Pool, TokenCache>();

/** The cache of the process's pool (one pool, one database, one cache). */
export function tokenCacheFor(deps: { pool: pg.Pool; logger: Logger }): TokenCache {
  let cache = caches.get(deps.pool);
  if (!cache) {
    cache = new TokenCache(deps.pool, deps.logger);
    caches.set(deps.pool, cache);
  }
  return cache;
}

/** Closes the pool's cache (its LISTEN connection); a later tokenCacheFor() starts a new one. */
export async function closeTokenCache(deps: { pool: pg.Pool }): Promise<void> {
  const cache = caches.get(deps.pool);
  caches.delete(deps.pool);
  await cache?.close();
}
