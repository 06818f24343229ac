import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Executor } from '../../db/client.ts';
import type { Logger } from '../../lib/logger.ts';

/**
 * Key revocations and grant changes, announced to every hub process. The web processes cache verified keys
 * and grants for a second (events.programs.ts); a change made in the same process clears them at once, and
 * this channel does the same in every other process (the CLI, another web process) a few milliseconds after
 * the change commits. If the listening connection is down, the one-second limit still holds.
 */
export const ACCESS_CHANNEL = 'learnhub_events_access';
const RECONNECT_MS = 1_000;

/** Sent in the changing transaction (or right after an autocommitted change): delivered on commit. */
export async function announceAccessChange(db: Executor): Promise<void> {
  await db.execute(sql`select pg_notify(${ACCESS_CHANNEL}, '')`);
}

export class AccessListener {
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  readonly #onChange: () => void;
  #client: pg.Client | undefined;
  #closed = false;
  #lastAttempt = Number.NEGATIVE_INFINITY;

  constructor(pool: pg.Pool, logger: Logger, onChange: () => void) {
    this.#pool = pool;
    this.#logger = logger;
    this.#onChange = onChange;
  }

  /** Opens the listening connection if it is not open (at most one attempt a second); never waits. */
  ensure(): void {
    const now = performance.now();
    if (this.#closed || this.#client || now - this.#lastAttempt < RECONNECT_MS) return;
    this.#lastAttempt = now;
    // Same server and credentials as the pool, but outside it: a listening session must stay open.
    const client = new pg.Client({ ...this.#pool.options, application_name: 'learnhub-events-access' });
    this.#client = client;
    const lost = (error?: Error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      // A notification may have been missed while the connection was failing.
      this.#onChange();
      if (!this.#closed) this.#logger.warn({ err: error }, 'event store: access listener lost');
      client.end().catch(() => {});
    };
    client.on('notification', (message) => {
      if (message.channel === ACCESS_CHANNEL) this.#onChange();
    });
    client.on('error', lost);
    client.on('end', () => lost());
    client
      .connect()
      .then(() => client.query(`listen ${ACCESS_CHANNEL}`))
      .then(() => this.#onChange())
      .catch(lost);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
