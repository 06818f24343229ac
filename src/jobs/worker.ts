import { type Runner, run } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../lib/logger.ts';
import { graphileLogger } from './logger.ts';
import type { JobRegistry } from './registry.ts';

export interface WorkerOptions {
  readonly concurrency?: number;
  readonly pollInterval?: number;
}

/**
 * Starts graphile-worker on the shared pool. Workers coordinate only through PostgreSQL (SKIP LOCKED), so
 * any number of `learnhub worker` processes can run beside the web processes.
 */
export async function startWorker(
  pool: pg.Pool,
  registry: JobRegistry,
  logger: Logger,
  options: WorkerOptions = {},
): Promise<Runner> {
  return run({
    pgPool: pool,
    taskList: registry.taskList(),
    parsedCronItems: registry.cronItems(),
    concurrency: options.concurrency ?? 5,
    pollInterval: options.pollInterval ?? 1000,
    noHandleSignals: true,
    logger: graphileLogger(logger),
  });
}
