import pg from 'pg';
import type { Logger } from '../lib/logger.ts';

/** Namespace (first key) of the advisory locks that say "this worker is alive". */
const LIVENESS_LOCKS = 0x4c48_0001;
/** A lock younger than this is left alone: its worker may be taking its liveness lock right now. */
const GRACE = "interval '10 seconds'";

/**
 * graphile-worker keeps the jobs of a worker that died without shutting down (SIGKILL, OOM, power loss)
 * locked for four hours. Each worker here holds a session advisory lock named after its id on a connection
 * of its own; PostgreSQL drops that lock the moment the process's connection goes. Every sweep, the jobs
 * locked by workers whose lock can be taken are unlocked, so another worker runs them within seconds.
 * A worker that is merely slow keeps its lock and its jobs.
 */
export class WorkerLiveness {
  readonly #pool: pg.Pool;
  readonly #logger: Logger;
  readonly #mine = new Set<string>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;
  /** Queries on the lock connection, one after another (pg clients take one query at a time). */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(pool: pg.Pool, logger: Logger) {
    this.#pool = pool;
    this.#logger = logger;
  }

  /** Takes the liveness lock of one of this process's workers. */
  async add(workerId: string): Promise<void> {
    this.#mine.add(workerId);
    await this.#locked('select true as ok from pg_advisory_lock($1, hashtext($2))', workerId);
  }

  /** Runs one lock statement for `workerId` on the lock connection; true when it returned true. */
  #locked(text: string, workerId: string): Promise<boolean> {
    const next = this.#queue.then(async () => {
      const client = await this.#connection();
      const result = await client.query<{ ok: boolean }>(text, [LIVENESS_LOCKS, workerId]);
      return result.rows[0]?.ok === true;
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.sweep(), intervalMs);
    this.#timer.unref();
  }

  /** Unlocks the jobs of dead workers. One sweep at a time. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep()
      .catch((error: unknown) => this.#logger.error({ err: error }, 'worker liveness sweep failed'))
      .finally(() => {
        this.#sweeping = undefined;
      });
    return this.#sweeping;
  }

  async #sweep(): Promise<void> {
    const { rows } = await this.#pool.query<{ worker: string }>(
      `select locked_by as worker from graphile_worker._private_jobs
        where locked_by is not null and locked_at < now() - ${GRACE}
       union
       select locked_by from graphile_worker._private_job_queues
        where locked_by is not null and locked_at < now() - ${GRACE}`,
    );
    const dead: string[] = [];
    for (const { worker } of rows) {
      if (this.#mine.has(worker)) continue;
      if (!(await this.#locked('select pg_try_advisory_lock($1, hashtext($2)) as ok', worker))) continue;
      await this.#locked('select pg_advisory_unlock($1, hashtext($2)) as ok', worker);
      dead.push(worker);
    }
    if (dead.length === 0) return;
    await this.#pool.query('select graphile_worker.force_unlock_workers($1::text[])', [dead]);
    this.#logger.warn({ workers: dead }, 'unlocked the jobs of workers that are gone');
  }

  /** The lock connection, opened again (with every lock retaken) if it was lost. */
  #connection(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = new pg.Client(this.#pool.options);
      client.on('error', (error) => {
        // Our locks went with the connection; until it is back, other workers may take our jobs for dead.
        this.#logger.error({ err: error }, 'worker liveness connection lost');
        if (this.#client === client) this.#client = undefined;
      });
      await client.connect();
      for (const id of this.#mine) {
        await client.query('select pg_advisory_lock($1, hashtext($2))', [LIVENESS_LOCKS, id]);
      }
      this.#client = client;
      return client;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping;
    await this.#queue;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
