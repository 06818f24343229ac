import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';

export interface EnqueueOptions {
  /** Replaces a pending job with the same key instead of adding another (de-duplication). */
  readonly jobKey?: string;
  readonly runAt?: Date;
  readonly maxAttempts?: number;
  readonly queueName?: string;
  readonly priority?: number;
}

/**
 * Adds a job through the caller's connection, so inside a transaction the job exists if and only if the
 * transaction commits (the outbox pattern). graphile-worker retries failed jobs with exponential backoff
 * (exp(min(attempts, 10)) seconds) up to maxAttempts.
 */
export async function enqueue(
  db: Executor,
  task: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<void> {
  await db.execute(sql`select graphile_worker.add_job(
    identifier => ${task}::text,
    payload => ${JSON.stringify(payload ?? {})}::json,
    queue_name => ${options.queueName ?? null}::text,
    run_at => ${options.runAt?.toISOString() ?? null}::timestamptz,
    max_attempts => ${options.maxAttempts ?? 25}::int,
    job_key => ${options.jobKey ?? null}::text,
    priority => ${options.priority ?? 0}::int
  )`);
}
