import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createProgram, grantAccess } from '../../modules/events/index.ts';
import { basic, event, type ProgramKey, putEvent } from './eventstore.testing.ts';

let t: TestApp;
let foo: ProgramKey;
let bar: ProgramKey;

async function put(id: string, body: unknown, key = foo) {
  return putEvent(t, id, body, key);
}

beforeAll(async () => {
  t = await buildTestApp();
  foo = await createProgram(t.deps, { id: 'FOO', name: 'Foo Academy' });
  bar = await createProgram(t.deps, { id: 'BAR', name: 'Bar Badges' });
});
afterAll(async () => {
  await t.close();
});

describe('Event Store: batch, grants, erasure', () => {
  it('stores a batch with a result per item, each all-or-nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/eventstore/events:batch',
      headers: { authorization: basic(foo) },
      payload: {
        Events: [
          { EventId: 'FOO-b1', ...event() },
          { EventId: 'FOO-b2', ...event({ EventEndUTC: '2020-01-01T00:00:00Z' }) },
          { EventId: 'BAR-b3', ...event({ ProgramId: 'BAR' }) },
          'not an object',
          { EventId: 'FOO-b1', ...event({ EventData: { v: 2 } }) },
          { EventId: 'FOO-b1', ...event({ EventData: { v: 2 } }) },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    const results = res.json().Results;
    expect(results.map((r: { Status: number }) => r.Status)).toEqual([200, 400, 403, 400, 200, 200]);
    expect(results[0]).toMatchObject({ EventId: 'FOO-b1', Revision: 1, Changed: true });
    expect(results[1].Error.code).toBe('events.end_before_start');
    expect(results[4]).toMatchObject({ Revision: 2, Changed: true });
    expect(results[5]).toMatchObject({ Revision: 2, Changed: false });
    const b2 = await t.app.inject({
      url: '/eventstore/events/FOO-b2',
      headers: { authorization: basic(foo) },
    });
    expect(b2.statusCode).toBe(404);
  });

  it('refuses a batch of more than 1,000 events', async () => {
    const events = Array.from({ length: 1001 }, (_, i) => ({ EventId: `FOO-big${i}`, ...event() }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/eventstore/events:batch',
      headers: { authorization: basic(foo) },
      payload: { Events: events },
    });
    expect(res.statusCode).toBe(400);
  });

  it("lets a consumer read a producer's events only after a grant, and only the granted types", async () => {
    expect((await put('FOO-ABC123', event())).statusCode).toBe(200);
    expect((await put('FOO-q1', event({ EventType: 'foo.quiz', EventData: { score: 7 } }))).statusCode).toBe(
      200,
    );
    const before = await t.app.inject({
      url: '/eventstore/events/FOO-ABC123',
      headers: { authorization: basic(bar) },
    });
    expect(before.statusCode).toBe(403);
    const feedBefore = await t.app.inject({
      url: '/eventstore/events?program=FOO',
      headers: { authorization: basic(bar) },
    });
    expect(feedBefore.statusCode).toBe(403);
    await grantAccess(t.deps, { consumer: 'BAR', producer: 'FOO', types: ['foo.quiz'] });
    const typed = await t.app.inject({
      url: '/eventstore/events?program=FOO',
      headers: { authorization: basic(bar) },
    });
    expect(typed.statusCode).toBe(200);
    const types = new Set(typed.json().Events.map((e: { EventType: string }) => e.EventType));
    expect([...types]).toEqual(['foo.quiz']);
    const hidden = await t.app.inject({
      url: '/eventstore/events/FOO-ABC123',
      headers: { authorization: basic(bar) },
    });
    expect(hidden.statusCode).toBe(404);
    await grantAccess(t.deps, { consumer: 'BAR', producer: 'FOO' });
    const all = await t.app.inject({
      url: '/eventstore/events/FOO-ABC123',
      headers: { authorization: basic(bar) },
    });
    expect(all.statusCode).toBe(200);
  });

  it("erases every event of a member across the caller's programs and leaves tombstones in the feed", async () => {
    await put('FOO-er1', event({ ProgramMemberId: 'gone@example.com' }));
    await put('FOO-er1', event({ ProgramMemberId: 'gone@example.com', EventData: { v: 2 } }));
    await put('BAR-er2', event({ ProgramId: 'BAR', ProgramMemberId: 'gone@example.com' }), bar);
    const res = await t.app.inject({
      method: 'POST',
      url: '/eventstore/erasures',
      headers: { authorization: basic(foo) },
      payload: { ProgramMemberId: 'gone@example.com' },
    });
    expect(res.json()).toEqual({ Erased: 1 });
    const gone = await t.app.inject({
      url: '/eventstore/events/FOO-er1',
      headers: { authorization: basic(foo) },
    });
    expect(gone.statusCode).toBe(404);
    const kept = await t.app.inject({
      url: '/eventstore/events/BAR-er2',
      headers: { authorization: basic(bar) },
    });
    expect(kept.statusCode).toBe(200);
    const feed = await t.app.inject({
      url: '/eventstore/events?program=FOO&limit=1000',
      headers: { authorization: basic(foo) },
    });
    const er1 = feed.json().Events.filter((e: { EventId: string }) => e.EventId === 'FOO-er1');
    expect(er1).toEqual([
      expect.objectContaining({ Deleted: true, Revision: 3, ProgramMemberId: null, EventData: null }),
    ]);
    const member = await t.app.inject({
      url: `/eventstore/events?member=${encodeURIComponent('gone@example.com')}`,
      headers: { authorization: basic(foo) },
    });
    expect(member.json().Events).toEqual([]);
  });
});
