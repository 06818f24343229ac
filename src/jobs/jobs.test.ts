import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { appendDomainEvent, type DomainEvent } from './domain-events.ts';
import { enqueue } from './enqueue.ts';

let t: TestApp;
const seen: DomainEvent[] = [];
const ran: string[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  t = await buildTestApp();
  // Test-only consumers and tasks, registered before any job runs (as modules do while the app is built).
  t.deps.domainEvents.subscribe('test.consumer', ['thing.happened'], async (event) => {
    seen.push(event);
  });
  t.deps.jobs.register<{ label: string }>('test.task', async ({ label }) => {
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      throw new Error('transient failure');
    }
    ran.push(label);
  });
});
afterAll(async () => {
  await t.close();
});

async function jobCount(task: string): Promise<number> {
  const result = await t.deps.pool.query<{ n: number }>(
    'select count(*)::int as n from graphile_worker.jobs where task_identifier = $1',
    [task],
  );
  return result.rows[0]?.n ?? 0;
}

describe('jobs and domain events', () => {
  it('adds no job when the enqueuing transaction rolls back', async () => {
    await expect(
      t.deps.db.transaction(async (tx) => {
        await enqueue(tx, 'test.task', { label: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await jobCount('test.task')).toBe(0);
  });

  it('runs a job enqueued in a committed transaction', async () => {
    await t.deps.db.transaction((tx) => enqueue(tx, 'test.task', { label: 'committed' }));
    await t.runJobs();
    expect(ran).toContain('committed');
    expect(await jobCount('test.task')).toBe(0);
  });

  it('retries a failing job with a growing delay and keeps the error', async () => {
    failuresLeft = 1;
    await enqueue(t.deps.db, 'test.task', { label: 'retried' });
    await t.runJobs();
    const failed = await t.deps.pool.query(
      `select attempts, last_error, run_at >= created_at + interval '2 seconds' as later
       from graphile_worker.jobs where task_identifier = 'test.task'`,
    );
    expect(failed.rows[0]).toMatchObject({ attempts: 1, later: true });
    expect(failed.rows[0].last_error).toContain('transient failure');
    // Make the retry due now (instead of waiting for the backoff) and run it.
    await t.makeJobsDue('test.task');
    await t.runJobs();
    expect(ran).toContain('retried');
    expect(await jobCount('test.task')).toBe(0);
  });

  it('de-duplicates pending jobs by job key', async () => {
    await enqueue(
      t.deps.db,
      'test.task',
      { label: 'first' },
      { jobKey: 'same', runAt: new Date(Date.now() + 60_000) },
    );
    await enqueue(
      t.deps.db,
      'test.task',
      { label: 'second' },
      { jobKey: 'same', runAt: new Date(Date.now() + 60_000) },
    );
    expect(await jobCount('test.task')).toBe(1);
    await t.deps.pool.query(
      `select graphile_worker.remove_job(key) from graphile_worker.jobs where task_identifier = 'test.task'`,
    );
  });

  it('appends domain events in the caller transaction with a global sequence, then delivers them once to subscribers', async () => {
    const [a, b] = await t.deps.db.transaction(async (tx) => [
      await appendDomainEvent(tx, t.deps, { type: 'thing.happened', subject: 'thing:1', payload: { n: 1 } }),
      await appendDomainEvent(tx, t.deps, { type: 'other.thing', subject: 'thing:2', payload: { n: 2 } }),
    ]);
    expect(a && b && b.seq > a.seq).toBe(true);
    await t.runJobs();
    expect(seen.map((e) => e.payload)).toEqual([{ n: 1 }]);
    expect(seen[0]?.type).toBe('thing.happened');
    expect(seen[0]?.occurredAt).toBeInstanceOf(Date);
  });

  it('loses a domain event together with its transaction', async () => {
    await expect(
      t.deps.db.transaction(async (tx) => {
        await appendDomainEvent(tx, t.deps, {
          type: 'thing.happened',
          subject: 'thing:3',
          payload: { n: 3 },
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await t.runJobs();
    const stored = await t.deps.pool.query(
      `select count(*)::int as n from domain_events where subject = 'thing:3'`,
    );
    expect(stored.rows[0].n).toBe(0);
    expect(seen.some((e) => e.subject === 'thing:3')).toBe(false);
  });
});
