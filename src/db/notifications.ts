import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

/** What a subscriber hears on its channel. */
export interface ChannelHandlers {
  /** A notification arrived (PostgreSQL delivers it when the notifying transaction commits). */
  readonly notify: () => void;
  /** The channel is being listened to (again): anything sent before may have been missed. */
  readonly up?: () => void;
  /** The connection went: notifications are missed until `up` is called again. */
  readonly lost?: () => void;
}

const RECONNECT_MS = 1_000;

/**
 * The process's one LISTEN connection, shared by every in-process cache that a PostgreSQL notification
 * invalidates (verified bearer tokens, Event Store keys and grants). It sits outside the pool, since a
 * listening session must stay open, and is opened on first use (`ensure`), so a process that never needs it
 * holds no extra connection; it is reopened at most once a second after a loss. TCP keepalive notices a
 * silently dead connection.
 */
export class NotificationListener {
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  readonly #channels = new Map<string, ChannelHandlers[]>();
  #client: pg.Client | undefined;
  #listening = false;
  #closed = false;
  #lastAttempt = Number.NEGATIVE_INFINITY;

  constructor(pool: pg.Pool, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
  }

  /** Adds a subscriber; on a connection that is already listening, its channel is added at once. */
  subscribe(channel: string, handlers: ChannelHandlers): void {
    const known = this.#channels.get(channel);
    if (known) known.push(handlers);
    else this.#channels.set(channel, [handlers]);
    const client = this.#client;
    if (!client || !this.#listening) return;
    if (known) handlers.up?.();
    else
      client
        .query(`listen "${channel}"`)
        .then(() => handlers.up?.())
        .catch((error: Error) => this.#lose(client, error));
  }

  /** Opens the connection if it is not open (at most one attempt a second); never waits. */
  ensure(): void {
    const now = performance.now();
    if (this.#closed || this.#client || now - this.#lastAttempt < RECONNECT_MS) return;
    this.#lastAttempt = now;
    const client = new pg.Client({
      ...this.#pool.options,
      application_name: 'learnhub-notifications',
      keepAlive: true,
    });
    this.#client = client;
    client.on('notification', (message) => {
      for (const handlers of this.#channels.get(message.channel) ?? []) handlers.notify();
    });
    client.on('error', (error) => this.#lose(client, error));
    client.on('end', () => this.#lose(client));
    void (async () => {
      await client.connect();
      // A Map's iterator also yields channels subscribed while this loop awaits.
      for (const channel of this.#channels.keys()) await client.query(`listen "${channel}"`);
      if (this.#client !== client) return;
      this.#listening = true;
      for (const handlers of this.#everyone()) handlers.up?.();
    })().catch((error: Error) => this.#lose(client, error));
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    this.#listening = false;
    for (const handlers of this.#everyone()) handlers.lost?.();
    await client?.end().catch(() => {});
  }

  #everyone(): ChannelHandlers[] {
    return [...this.#channels.values()].flat();
  }

  #lose(client: pg.Client, error?: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#listening = false;
    for (const handlers of this.#everyone()) handlers.lost?.();
    if (!this.#closed) this.#logger.warn({ err: error }, 'notification listener lost');
    client.end().catch(() => {});
  }
}

const listeners = new WeakMap<pg.Pool, NotificationListener>();

/** The listener of the process's pool (one pool, one database, one listening connection). */
export function notificationsFor(deps: { pool: pg.Pool; logger: Logger }): NotificationListener {
  let listener = listeners.get(deps.pool);
  if (!listener) {
    listener = new NotificationListener(deps.pool, deps.logger);
    listeners.set(deps.pool, listener);
  }
  return listener;
}

/** Closes the pool's listener; a later notificationsFor() starts a new one. */
export async function closeNotifications(pool: pg.Pool): Promise<void> {
  const listener = listeners.get(pool);
  listeners.delete(pool);
  await listener?.close();
}
