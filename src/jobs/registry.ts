import { type CronItem, type JobHelpers, type ParsedCronItem, parseCronItems } from 'graphile-worker';

/**
 * The task registry. Modules register their job handlers and cron entries here while the app is built;
 * the worker runs whatever is registered. Handlers must be idempotent: a job can run more than once (a
 * crash after the work and before the acknowledgement), and failures are retried with exponential backoff.
 */
export type JobHandler<P = unknown> = (payload: P, helpers: JobHelpers) => Promise<void>;

export interface CronEntry {
  /** Crontab schedule, e.g. `0 8 * * 1` for Mondays 08:00 UTC. */
  readonly schedule: string;
  readonly task: string;
  /** Run a missed occurrence if the worker was down at the time, up to this many milliseconds ago. */
  readonly backfillMs?: number;
}

export class JobRegistry {
  readonly #handlers = new Map<string, JobHandler>();
  readonly #cron: CronEntry[] = [];

  register<P>(name: string, handler: JobHandler<P>): void {
    if (this.#handlers.has(name)) throw new Error(`job "${name}" is already registered`);
    this.#handlers.set(name, handler as JobHandler);
  }

  cron(entry: CronEntry): void {
    if (!this.#handlers.has(entry.task)) throw new Error(`cron names unregistered job "${entry.task}"`);
    this.#cron.push(entry);
  }

  has(name: string): boolean {
    return this.#handlers.has(name);
  }

  get names(): string[] {
    return [...this.#handlers.keys()];
  }

  taskList(): Record<string, (payload: unknown, helpers: JobHelpers) => Promise<void>> {
    return Object.fromEntries(this.#handlers);
  }

  /**
   * Parsed cron items for graphile-worker. (Its crontab text format allows no dots in task names, while our
   * tasks are named `<domain>.<job>`; the structured form has no such limit.)
   */
  cronItems(): ParsedCronItem[] {
    const items: CronItem[] = this.#cron.map((c) => ({
      task: c.task,
      match: c.schedule,
      identifier: c.task,
      options: { backfillPeriod: c.backfillMs ?? 0 },
    }));
    return parseCronItems(items);
  }
}
