/**
 * Runs many small, independent statements as few statements as the load allows (a group commit for writes,
 * a batched read for reads). Written here because no library does this for a pg.Pool: dataloader batches per
 * tick without a bound on statements in flight, so under load it sends one statement per event-loop turn
 * however busy the database is.
 *
 * An item submitted while fewer than `maxInFlight` statements run is sent in the same turn of the event loop,
 * together with whatever else arrived in that turn: nothing is delayed on purpose. Items that arrive while
 * `maxInFlight` statements are running wait for one of them to finish and are then run together, up to
 * `maxGroup` in one statement, oldest first. Each item is answered only after the statement that holds it
 * has finished, so an answer is never older than its request.
 *
 * Items with the same `key` either never share a statement (`duplicates: 'apart'`, e.g. two writes of one
 * row) or are run once for all of them (`duplicates: 'share'`, e.g. identical reads). A shared read is only
 * ever joined while it waits, before its statement is sent, so every answer still reflects every write that
 * had finished when its request arrived.
 *
 * If a statement of several items fails with an error of the statement itself (a PostgreSQL error such as a
 * constraint or a bad value), the items are run again one by one, so one bad item fails only itself. Any
 * other failure (no connection, connection lost, timeout, server shutting down) fails all of them at once,
 * rather than trying each again against a database that is not there.
 */
export interface GroupedOptions<I, O> {
  readonly maxInFlight: number;
  readonly maxGroup: number;
  /** Runs the items in one statement; the outcome of each, in input order. */
  readonly run: (items: readonly I[]) => Promise<readonly O[]>;
  readonly key?: (item: I) => string;
  readonly duplicates?: 'apart' | 'share';
}

interface Entry<I, O> {
  readonly item: I;
  readonly key: string | undefined;
  readonly waiters: { resolve: (outcome: O) => void; reject: (error: unknown) => void }[];
}

export class Grouped<I, O> {
  readonly #options: GroupedOptions<I, O>;
  readonly #waiting: Entry<I, O>[] = [];
  /** Waiting (not yet sent) entries by key, for `duplicates: 'share'`. */
  readonly #shared = new Map<string, Entry<I, O>>();
  #inFlight = 0;
  #scheduled = false;

  constructor(options: GroupedOptions<I, O>) {
    this.#options = options;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const key = this.#options.key?.(item);
      if (key !== undefined && this.#options.duplicates === 'share') {
        const entry = this.#shared.get(key);
        if (entry) {
          entry.waiters.push({ resolve, reject });
          return;
        }
      }
      const entry: Entry<I, O> = { item, key, waiters: [{ resolve, reject }] };
      this.#waiting.push(entry);
      if (key !== undefined && this.#options.duplicates === 'share') this.#shared.set(key, entry);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#options.maxInFlight || this.#waiting.length === 0) return;
    this.#scheduled = true;
    // After the I/O of this turn: items whose requests were read together are run together.
    setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    while (this.#inFlight < this.#options.maxInFlight && this.#waiting.length > 0) {
      const group = this.#take();
      this.#inFlight++;
      this.#run(group).finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
    }
  };

  /** Up to maxGroup waiting entries, oldest first; with `apart`, one per key (the others keep their place). */
  #take(): Entry<I, O>[] {
    const waiting = this.#waiting;
    const apart = this.#options.duplicates === 'apart';
    const keys = new Set<string>();
    const group: Entry<I, O>[] = [];
    let kept = 0;
    for (let i = 0; i < waiting.length; i++) {
      const entry = waiting[i] as Entry<I, O>;
      const clash = apart && entry.key !== undefined && keys.has(entry.key);
      if (group.length < this.#options.maxGroup && !clash) {
        if (apart && entry.key !== undefined) keys.add(entry.key);
        if (!apart && entry.key !== undefined) this.#shared.delete(entry.key);
        group.push(entry);
      } else {
        waiting[kept++] = entry;
      }
    }
    waiting.length = kept;
    return group;
  }

  async #run(group: Entry<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.#options.run(group.map((e) => e.item));
      for (let i = 0; i < group.length; i++) settle(group[i] as Entry<I, O>, outcomes[i] as O);
    } catch (error) {
      if (group.length === 1 || !isStatementError(error)) {
        for (const entry of group) for (const waiter of entry.waiters) waiter.reject(error);
        return;
      }
      for (const entry of group) {
        await this.#options.run([entry.item]).then(
          ([outcome]) => settle(entry, outcome as O),
          (failure: unknown) => {
            for (const waiter of entry.waiters) waiter.reject(failure);
          },
        );
      }
    }
  }
}

/**
 * A PostgreSQL error raised by the statement itself: it has a SQLSTATE outside the classes that describe the
 * connection or the server (08 connection exception, 53 insufficient resources, 57 operator intervention,
 * which includes statement timeouts and shutdown).
 */
function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57)/.test(code);
}

function settle<I, O>(entry: Entry<I, O>, outcome: O): void {
  for (const waiter of entry.waiters) waiter.resolve(outcome);
}

/** One Grouped per (pool, purpose): `make` runs once for each pool. */
export function groupedFor<P extends object, I, O>(
  cache: WeakMap<P, Grouped<I, O>>,
  pool: P,
  make: () => Grouped<I, O>,
): Grouped<I, O> {
  let grouped = cache.get(pool);
  if (!grouped) {
    grouped = make();
    cache.set(pool, grouped);
  }
  return grouped;
}
