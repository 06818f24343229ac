import type pg from 'pg';
import { type NotificationListener, notificationsFor } from '../../db/notifications.ts';
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
 * - every process LISTENs on REVOKED_CHANNEL (the process's one listening connection, db/notifications.ts)
 *   and clears its cache when a notification arrives (a few milliseconds after the revoking transaction commits, wherever it ran);
 * - while that connection is not listening (not yet connected, or lost), the cache is bypassed and
 *   emptied, since a notification could have been missed;
 * - a verification that started before a clear must not refill the cache with what it read: each lookup
 *   takes the generation before querying and is only stored if no clear happened meanwhile.
 * Clearing everything (rather than one token) keeps this simple; revocations are rare next to requests.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #notifications: NotificationListener;
  #generation = 0;
  #listening = false;
  readonly #waiters: (() => void)[] = [];

  constructor(notifications: NotificationListener) {
    this.#notifications = notifications;
    notifications.subscribe(REVOKED_CHANNEL, {
      notify: () => this.invalidate(),
      up: () => {
        // Anything cached before (nothing, normally) may have missed a notification.
        this.invalidate();
        this.#listening = true;
        for (const resolve of this.#waiters.splice(0)) resolve();
      },
      lost: () => {
        this.#listening = false;
        this.invalidate();
      },
    });
  }

  /** A trusted principal for this token hash, or undefined (then verify with the database). */
  get(hash: string, nowMs: number): Principal | undefined {
    if (!this.#listening) {
      this.#notifications.ensure();
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
    this.#notifications.ensure();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}

const caches = new WeakMap<pg.Pool, TokenCache>();

/** The cache of the process's pool (one pool, one database, one cache). */
export function tokenCacheFor(deps: { pool: pg.Pool; logger: Logger }): TokenCache {
  let cache = caches.get(deps.pool);
  if (!cache) {
    cache = new TokenCache(notificationsFor(deps));
    caches.set(deps.pool, cache);
  }
  return cache;
}

/** Forgets the pool's cache when the app closes (its listening connection closes with the app). */
export function closeTokenCache(deps: { pool: pg.Pool }): void {
  caches.get(deps.pool)?.invalidate();
  caches.delete(deps.pool);
}
