import type pg from 'pg';
import type { TestApp } from '../support/app.ts';

/**
 * graphile-worker schedules the retry of a failed job in the database: run_at = now() + exp(min(attempts, 10))
 * seconds (2.7 s, 7.4 s, 20 s, 55 s, 2.5 min, 6.7 min, 18 min, 50 min, 2.2 h, then 6.1 h each time).
 * That is the hub's documented retry schedule for mail and reply forwarding (docs/operations.md).
 */
export function retryDelayMs(attempts: number): number {
  return Math.exp(Math.min(attempts, 10)) * 1000;
}

/** When attempt `n` (1-based) runs, in ms after the first, if every earlier one failed. */
export function attemptAt(n: number): number {
  let at = 0;
  for (let k = 1; k < n; k++) at += retryDelayMs(k);
  return at;
}

/**
 * A clock for the job queue: time passes by moving every waiting job's run_at earlier by the same amount,
 * which is what the database's clock moving forward would do to them. `now()` is the database's time
 * plus everything skipped so far, so hours of an outage pass in a few real seconds.
 */
export class QueueClock {
  #skipped = 0;
  constructor(private readonly pool: pg.Pool) {}

  async now(): Promise<number> {
    const { rows } = await this.pool.query<{ now: Date }>('select now() as now');
    return (rows[0]?.now.getTime() ?? 0) + this.#skipped;
  }

  async skip(ms: number): Promise<void> {
    if (ms <= 0) return;
    await this.pool.query(
      `update graphile_worker._private_jobs set run_at = run_at - $1 * interval '1 millisecond'
        where locked_at is null`,
      [Math.ceil(ms)],
    );
    this.#skipped += Math.ceil(ms);
  }

  /** The job of `task` waiting to run (its attempts so far and its run_at on this clock), if any. */
  async waiting(task: string): Promise<{ attempts: number; runAt: number } | undefined> {
    const { rows } = await this.pool.query<{ attempts: number; run_at: Date }>(
      `select attempts, run_at from graphile_worker.jobs
        where task_identifier = $1 and attempts < max_attempts and locked_at is null
        order by run_at limit 1`,
      [task],
    );
    const row = rows[0];
    return row ? { attempts: row.attempts, runAt: row.run_at.getTime() + this.#skipped } : undefined;
  }

  /** Skips to the next attempt of `task` and runs the due jobs. False when no attempt is left. */
  async runNext(t: TestApp, task: string): Promise<boolean> {
    const job = await this.waiting(task);
    if (!job) return false;
    await this.skip(job.runAt - (await this.now()));
    await t.runJobs();
    return true;
  }
}
