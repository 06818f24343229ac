import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createDatabase, createPool } from '../../db/client.ts';
import { createLogger } from '../../lib/logger.ts';
import { applyEvents } from './events.usecases.ts';
import type { ValidEvent } from './events.validation.ts';
import { createProgram, grantAccess, revokeAccess } from './index.ts';

/**
 * The change feed's promise: a consumer that keeps its last cursor sees every insert and update exactly once,
 * in one stable order, even while writers' transactions commit out of sequence order.
 */
let t: TestApp;
let foo: { user_id: string; api_key: string };
let bar: { user_id: string; api_key: string };
const basic = (k: { user_id: string; api_key: string }) =>
  `Basic ${Buffer.from(`${k.user_id}:${k.api_key}`).toString('base64')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ev(eventId: string, version: number): ValidEvent {
  return {
    eventId,
    programId: 'FOO',
    memberId: `m${version % 7}@example.com`,
    eventType: 'course.completed',
    startAt: new Date('2026-01-01T00:00:00Z'),
    endAt: new Date('2026-01-01T00:00:00Z'),
    data: { version },
    referenceEventId: null,
  };
}

interface Seen {
  readonly id: string;
  readonly revision: number;
}

async function pull(key: typeof foo, since: string | undefined, limit: number) {
  const query = new URLSearchParams({ limit: String(limit), ...(since ? { since } : {}) });
  const res = await t.app.inject({
    url: `/eventstore/events?${query}`,
    headers: { authorization: basic(key) },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    Events: { EventId: string; Revision: number }[];
    NextCursor: string;
    HasMore: boolean;
  };
}

beforeAll(async () => {
  t = await buildTestApp();
  foo = await createProgram(t.deps, { id: 'FOO', name: 'Foo' });
  bar = await createProgram(t.deps, { id: 'BAR', name: 'Bar' });
  await grantAccess(t.deps, { consumer: 'BAR', producer: 'FOO' });
});
afterAll(async () => {
  await t.close();
});

describe('Event Store change feed', () => {
  it('gives two concurrent consumers every insert and update exactly once, in order, despite out-of-order commits', async () => {
    // Writers get their own pool so that real transactions overlap (one is held open across the others).
    const pool = createPool(t.database.url, createLogger('silent'), { max: 8 });
    const db = createDatabase(pool);
    const written: Seen[] = [];
    let writersDone = false;
    let releaseHeld: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseHeld = resolve;
    });
    let heldStarted: () => void = () => {};
    const heldIsOpen = new Promise<void>((resolve) => {
      heldStarted = resolve;
    });

    // Inserts first (smallest sequence and transaction id), then stays open while the others commit.
    const heldWriter = db.transaction(async (tx) => {
      const outcomes = await applyEvents(tx, [ev('FOO-held', 0)], new Date());
      heldStarted();
      await held;
      for (const o of outcomes) written.push({ id: o.eventId, revision: o.revision });
    });
    await heldIsOpen;

    const writer = async (w: number) => {
      for (let i = 0; i < 25; i++) {
        // Half the writes update a small shared set of events (contention, revisions); half insert new ones.
        const id = i % 2 === 0 ? `FOO-shared${(w + i) % 5}` : `FOO-w${w}-${i}`;
        await db.transaction(async (tx) => {
          // Take a transaction id early, then write later: a smaller xid may get a larger sequence.
          await tx.execute('select pg_current_xact_id()');
          await sleep(Math.floor(Math.random() * 4));
          const outcomes = await applyEvents(tx, [ev(id, w * 1000 + i)], new Date());
          await sleep(Math.floor(Math.random() * 4));
          // Recorded before commit: once committed the change may be pulled at any moment.
          for (const o of outcomes) if (o.changed) written.push({ id: o.eventId, revision: o.revision });
        });
      }
    };

    const consumer = async (key: typeof foo, limit: number): Promise<Seen[]> => {
      const seen: Seen[] = [];
      let since: string | undefined;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const page = await pull(key, since, limit);
        for (const e of page.Events) seen.push({ id: e.EventId, revision: e.Revision });
        since = page.NextCursor;
        if (writersDone && !page.HasMore && seen.length >= written.length) {
          // One more pull after everything is committed must bring nothing new.
          const last = await pull(key, since, limit);
          for (const e of last.Events) seen.push({ id: e.EventId, revision: e.Revision });
          if (last.Events.length === 0) return seen;
          since = last.NextCursor;
        }
        if (!page.HasMore) await sleep(2);
      }
      return seen;
    };

    const consumers = [consumer(foo, 7), consumer(bar, 13)];
    const writers = Promise.all([0, 1, 2, 3].map(writer));
    // Hold the first transaction open until most of the others have committed.
    while (written.length < 60) await sleep(5);
    const beforeRelease = await pull(foo, undefined, 1000);
    // Nothing that committed after the held transaction began may be served before it commits.
    expect(beforeRelease.Events).toEqual([]);
    releaseHeld();
    await Promise.all([writers, heldWriter]);
    writersDone = true;
    const [a, b] = await Promise.all(consumers);
    await pool.end();

    const key = (s: Seen) => `${s.id}#${s.revision}`;
    const expected = new Set(written.map(key));
    for (const seen of [a, b]) {
      const keys = (seen ?? []).map(key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(new Set(keys)).toEqual(expected);
      // Revisions of each event arrive in increasing order.
      const last = new Map<string, number>();
      for (const s of seen ?? []) {
        expect(s.revision).toBeGreaterThan(last.get(s.id) ?? 0);
        last.set(s.id, s.revision);
      }
    }
    // Both consumers saw the same, single order; and it is the order a fresh reader sees.
    expect(a).toEqual(b);
    const fresh = await pull(foo, undefined, 1000);
    expect(fresh.Events.map((e) => ({ id: e.EventId, revision: e.Revision }))).toEqual(a);
  }, 90_000);

  it('filters by program, member, type and event time, and keeps the cursor moving on empty pages', async () => {
    const put = (id: string, body: Record<string, unknown>) =>
      t.app.inject({
        method: 'PUT',
        url: `/eventstore/events/${id}`,
        headers: { authorization: basic(bar) },
        payload: {
          ProgramId: 'BAR',
          ProgramMemberId: 'ann@example.com',
          EventType: 'credential.earned',
          EventStartUTC: '2025-06-01T00:00:00Z',
          ...body,
        },
      });
    expect((await put('BAR-f1', {})).statusCode).toBe(200);
    expect((await put('BAR-f2', { ProgramMemberId: 'bob@example.com' })).statusCode).toBe(200);
    expect((await put('BAR-f3', { EventStartUTC: '2025-09-01T00:00:00Z' })).statusCode).toBe(200);
    expect((await put('BAR-f4', { EventType: 'course.enrolled' })).statusCode).toBe(200);
    const ids = async (query: string) => {
      const res = await t.app.inject({
        url: `/eventstore/events?${query}`,
        headers: { authorization: basic(bar) },
      });
      expect(res.statusCode).toBe(200);
      return res.json().Events.map((e: { EventId: string }) => e.EventId);
    };
    expect(await ids('program=BAR')).toEqual(['BAR-f1', 'BAR-f2', 'BAR-f3', 'BAR-f4']);
    expect(await ids('program=BAR&member=bob%40example.com')).toEqual(['BAR-f2']);
    expect(await ids('program=BAR&type=course.enrolled')).toEqual(['BAR-f4']);
    expect(await ids('program=BAR&from=2025-08-01T00:00:00Z')).toEqual(['BAR-f3']);
    expect(await ids('program=BAR&to=2025-08-01T00:00:00Z')).toEqual(['BAR-f1', 'BAR-f2', 'BAR-f4']);
    const first = await t.app.inject({
      url: '/eventstore/events?program=BAR&limit=1000',
      headers: { authorization: basic(bar) },
    });
    const cursor = first.json().NextCursor;
    const after = await t.app.inject({
      url: `/eventstore/events?since=${cursor}`,
      headers: { authorization: basic(bar) },
    });
    expect(after.json()).toMatchObject({ Events: [], HasMore: false });
    expect(typeof after.json().NextCursor).toBe('string');
    const bad = await t.app.inject({
      url: '/eventstore/events?since=garbage',
      headers: { authorization: basic(bar) },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('events.invalid_cursor');
    const badDate = await t.app.inject({
      url: '/eventstore/events?from=soon',
      headers: { authorization: basic(bar) },
    });
    expect(badDate.statusCode).toBe(400);
    const tooMany = await t.app.inject({
      url: '/eventstore/events?limit=5000',
      headers: { authorization: basic(bar) },
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('never serves a page read ahead once its events are erased or the grant behind it is withdrawn', async () => {
    const era = await createProgram(t.deps, { id: 'ERA', name: 'Era' });
    const con = await createProgram(t.deps, { id: 'CON', name: 'Consumer' });
    await grantAccess(t.deps, { consumer: 'CON', producer: 'ERA' });
    for (const [n, member] of ['keep', 'keep', 'gone', 'gone'].entries()) {
      const res = await t.app.inject({
        method: 'PUT',
        url: `/eventstore/events/ERA-${n}`,
        headers: { authorization: basic(era) },
        payload: {
          ProgramId: 'ERA',
          ProgramMemberId: `${member}@example.com`,
          EventType: 'course.completed',
          EventStartUTC: '2026-02-01T00:00:00Z',
        },
      });
      expect(res.statusCode).toBe(200);
    }
    // A full page: the hub reads the next one ahead, which holds gone@'s events.
    const first = await pull(era, undefined, 2);
    expect(first.Events.map((e) => e.EventId)).toEqual(['ERA-0', 'ERA-1']);
    const erased = await t.app.inject({
      method: 'POST',
      url: '/eventstore/erasures',
      headers: { authorization: basic(era) },
      payload: { ProgramMemberId: 'gone@example.com' },
    });
    expect(erased.json()).toEqual({ Erased: 2 });
    const second = await pull(era, first.NextCursor, 2);
    expect(second.Events.map((e) => e.EventId)).toEqual(['ERA-2', 'ERA-3']);
    expect(second.Events.every((e) => (e as { Deleted?: boolean }).Deleted === true)).toBe(true);
    expect(JSON.stringify(second)).not.toContain('gone@example.com');

    const granted = await pull(con, undefined, 1);
    expect(granted.Events.map((e) => e.EventId)).toEqual(['ERA-0']);
    await revokeAccess(t.deps, { consumer: 'CON', producer: 'ERA' });
    const withdrawn = await pull(con, granted.NextCursor, 1);
    expect(withdrawn.Events).toEqual([]);
  });
});
