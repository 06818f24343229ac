import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import {
  appendDomainEvent,
  type DomainEvent,
  DomainEventPayloadError,
  type EventPayload,
} from './domain-events.ts';
import { enqueue } from './enqueue.ts';

let t: TestApp;
const seen: DomainEvent<'message.replied'>[] = [];
const ran: string[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  t = await buildTestApp();
  // Test-only consumers and tasks, registered before any job runs (as modules do while the app is built).
  t.deps.domainEvents.subscribe('test.consumer', ['message.replied'], async (event) => {
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

const replied = (replyId: string): EventPayload<'message.replied'> => ({
  message_id: 'm-1',
  reply_id: replyId,
  user_id: 'u-1',
  app_id: null,
});
const ann = { id: 'u-1', username: 'ann', email: 'ann@example.org', profile_url: 'http://hub.test/u/ann' };

async function storedEvents(subject: string): Promise<number> {
  const result = await t.deps.pool.query<{ n: number }>(
    'select count(*)::int as n from domain_events where subject = $1',
    [subject],
  );
  return result.rows[0]?.n ?? 0;
}

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
      await appendDomainEvent(tx, t.deps, {
        type: 'message.replied',
        subject: 'thing:1',
        payload: replied('r-1'),
      }),
      await appendDomainEvent(tx, t.deps, {
        type: 'user.created',
        subject: 'thing:2',
        payload: { user: ann },
      }),
    ]);
    expect(a && b && b.seq > a.seq).toBe(true);
    await t.runJobs();
    expect(seen.map((e) => e.payload)).toEqual([replied('r-1')]);
    expect(seen[0]?.type).toBe('message.replied');
    expect(seen[0]?.occurredAt).toBeInstanceOf(Date);
  });

  it('loses a domain event together with its transaction', async () => {
    await expect(
      t.deps.db.transaction(async (tx) => {
        await appendDomainEvent(tx, t.deps, {
          type: 'message.replied',
          subject: 'thing:3',
          payload: replied('r-3'),
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

  it('refuses to append a payload that does not match its type, at compile time and at run time, storing nothing', async () => {
    const append = (payload: EventPayload<'message.replied'>) =>
      t.deps.db.transaction((tx) =>
        appendDomainEvent(tx, t.deps, { type: 'message.replied', subject: 'bad:1', payload }),
      );
    // @ts-expect-error -- reply_id is missing: the compiler refuses the payload.
    await expect(append({ message_id: 'm-1', user_id: 'u-1', app_id: null })).rejects.toThrow(
      DomainEventPayloadError,
    );
    // What a cast smuggles past the compiler is refused when appended, naming the field.
    const smuggled = { ...replied('r-9'), user_id: 42 } as unknown as EventPayload<'message.replied'>;
    await expect(append(smuggled)).rejects.toThrow(/user_id/);
    await expect(
      t.deps.db.transaction((tx) =>
        // @ts-expect-error -- not a type of the catalogue.
        appendDomainEvent(tx, t.deps, { type: 'thing.happened', subject: 'bad:1', payload: {} }),
      ),
    ).rejects.toThrow(/unknown type/);
    expect(await storedEvents('bad:1')).toBe(0);
  });

  it('logs and skips a stored event whose payload no longer matches its schema, without failing the job', async () => {
    const warn = vi.spyOn(t.deps.logger, 'warn');
    try {
      // An old row, written before its type's schema required reply_id.
      const id = '6a4e2c1d-5b0f-4c1e-9f7a-1b2c3d4e5f60';
      await t.deps.pool.query(
        `insert into domain_events (id, type, subject, payload, occurred_at)
         values ($1, 'message.replied', 'old:1', '{"message_id": "m-0", "user_id": "u-0", "app_id": null}', now())`,
        [id],
      );
      await enqueue(t.deps.db, 'domain_events.dispatch', { id });
      await enqueue(t.deps.db, 'test.consumer', { id });
      await t.runJobs();
      expect(seen.some((e) => e.subject === 'old:1')).toBe(false);
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: id,
          type: 'message.replied',
          problem: expect.stringContaining('reply_id'),
        }),
        'domain event does not match the catalogue; skipped',
      );
      const failed = await t.deps.pool.query<{ n: number }>(
        `select count(*)::int as n from graphile_worker.jobs
          where task_identifier in ('domain_events.dispatch', 'test.consumer')`,
      );
      expect(failed.rows[0]?.n).toBe(0);
    } finally {
      warn.mockRestore();
    }
  });
});
