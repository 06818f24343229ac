import { EventEmitter } from 'node:events';
import { type Runner, run, type WorkerEvents } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../lib/logger.ts';
import { WorkerLiveness } from './liveness.ts';
import { graphileLogger } from './logger.ts';
import type { JobRegistry } from './registry.ts';

export interface WorkerOptions {
  readonly concurrency?: number;
  readonly pollInterval?: number;
  /** How often jobs locked by dead workers are looked for (see WorkerLiveness). */
  readonly livenessSweepMs?: number;
}

/**
 * Starts graphile-worker on the shared pool. Workers coordinate only through PostgreSQL (SKIP LOCKED), so
 * any number of `learnhub worker` processes can run beside the web processes; the jobs of one that dies are
 * taken over by the others within seconds (WorkerLiveness).
 */
export async function startWorker(
  pool: pg.Pool,
  registry: JobRegistry,
  logger: Logger,
  options: WorkerOptions = {},
): Promise<Runner> {
  const liveness = new WorkerLiveness(pool, logger);
  const events: WorkerEvents = new EventEmitter();
  events.on('worker:create', ({ worker }) => {
    liveness.add(worker.workerId).catch((error: unknown) => {
      logger.error({ err: error, worker: worker.workerId }, 'could not take the worker liveness lock');
    });
  });
  const runner = await run({
    pgPool: pool,
    taskList: registry.taskList(),
    parsedCronItems: registry.cronItems(),
    concurrency: options.concurrency ?? 5,
    pollInterval: options.pollInterval ?? 1000,
    noHandleSignals: true,
    logger: graphileLogger(logger),
    events,
  });
  // Right away, for the jobs of a process this one replaces after a crash, then now and then.
  void liveness.sweep();
  liveness.start(options.livenessSweepMs ?? 5000);
  return {
    ...runner,
    // The lock connection closes after the last job, and before the caller closes the database.
    async stop(reason) {
      try {
        await runner.stop(reason);
      } finally {
        await liveness.stop();
      }
    },
  };
}
