import type { Runner } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { createLogger } from '../lib/logger.ts';
import { enqueue } from './enqueue.ts';
import { WorkerLiveness } from './liveness.ts';
import { startWorker } from './worker.ts';

// A worker killed with its jobs locked (SIGKILL, OOM) leaves them locked for four hours in graphile-worker;
// here the other workers take them over within seconds, and never the jobs of a worker that is alive.
let t: TestApp;
const ran: string[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  t.deps.jobs.register<{ label: string }>('test.liveness', async ({ label }) => {
    ran.push(label);
  });
});
afterAll(async () => {
  await t.close();
});

/** Leaves a job as a worker that crashed while running it would: locked by that worker, a minute ago. */
async function lockedJob(label: string, worker: string): Promise<void> {
  await enqueue(t.deps.db, 'test.liveness', { label }, { jobKey: `liveness:${label}` });
  await t.deps.pool.query(
    `update graphile_worker._private_jobs set locked_by = $1, locked_at = now() - interval '1 minute'
      where key = $2`,
    [worker, `liveness:${label}`],
  );
}

async function waitFor(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; ran ${JSON.stringify(ran)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('worker liveness', () => {
  it('runs the jobs of a dead worker at once, and those of a live one only once it is gone', async () => {
    const logger = createLogger('silent');
    // Another process's worker, alive: it holds its liveness lock on a connection of its own.
    const elsewhere = new WorkerLiveness(t.deps.pool, logger);
    await elsewhere.add('worker-alive');
    await lockedJob('orphan', 'worker-gone');
    await lockedJob('busy', 'worker-alive');
    let runner: Runner | undefined;
    try {
      runner = await startWorker(t.deps.pool, t.deps.jobs, logger, {
        pollInterval: 100,
        livenessSweepMs: 100,
      });
      await waitFor(() => ran.includes('orphan'));
      // Several sweeps later, the live worker's job is still its own.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(ran).toEqual(['orphan']);
      const busy = await t.deps.pool.query<{ locked_by: string }>(
        `select locked_by from graphile_worker.jobs where key = 'liveness:busy'`,
      );
      expect(busy.rows[0]?.locked_by).toBe('worker-alive');

      // Its process goes away (its connection closes); the job is run here.
      await elsewhere.stop();
      await waitFor(() => ran.includes('busy'));
      expect(ran).toEqual(['orphan', 'busy']);
    } finally {
      await elsewhere.stop();
      await runner?.stop();
    }
  });
});
