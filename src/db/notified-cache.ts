import type { NotificationListener } from './notifications.ts';

/**
 * A process-wide cache of values read from the database that any process may change, emptied whenever
 * PostgreSQL notifies its channel (a trigger on the table NOTIFYs on commit, so every change is heard,
 * whoever made it). The same rules as the token cache (oauth.token-cache.ts), in general form:
 * - while the process's listening connection (db/notifications.ts) is not listening, nothing is cached and
 *   every get() loads, since a notification could be missed;
 * - a load that started before a clear does not store what it read: each takes the generation first;
 * - a change is therefore seen by the next get() after its notification arrives (milliseconds after the
 *   commit), and at once in the process that made it if that process calls invalidate().
 * A full cache starts over rather than tracking recency: cheap, and rare at these sizes.
 */
export class NotifiedCache<V> {
  readonly #entries = new Map<string, { readonly value: V }>();
  readonly #notifications: NotificationListener;
  readonly #maxEntries: number;
  readonly #waiters: (() => void)[] = [];
  #generation = 0;
  #listening = false;

  constructor(notifications: NotificationListener, channel: string, maxEntries = 10_000) {
    this.#notifications = notifications;
    this.#maxEntries = maxEntries;
    notifications.subscribe(channel, {
      notify: () => this.invalidate(),
      up: () => {
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

  /** The cached value of `key`, or what `load` reads now (kept if no change was announced meanwhile). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.#listening) {
      this.#notifications.ensure();
      return load();
    }
    const hit = this.#entries.get(key);
    if (hit) return hit.value;
    const generation = this.#generation;
    const value = await load();
    if (this.#listening && generation === this.#generation) {
      if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
      this.#entries.set(key, { value });
    }
    return value;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** Resolves once changes are being heard (and so the cache is in use); starts listening if needed. */
  whenListening(): Promise<void> {
    if (this.#listening) return Promise.resolve();
    this.#notifications.ensure();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
