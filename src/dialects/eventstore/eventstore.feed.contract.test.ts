import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { jsonOf, schemaErrors } from '../../../test/support/contract.ts';
import { createProgram } from '../../modules/events/index.ts';
import { SeedFeed } from './eventstore.schemas.ts';
import { basic, event, type ProgramKey, putEvent } from './eventstore.testing.ts';

// GET /eventstore/events sends the page PostgreSQL built as JSON text in the seed's shape without the
// response schema's serialiser: real pages in every variant are checked against SeedFeed here.
let t: TestApp;
let key: ProgramKey;
beforeAll(async () => {
  t = await buildTestApp();
  key = await createProgram(t.deps, { id: 'FOO', name: 'Foo' });
});
afterAll(() => t.close());

const pull = async (query = '') => {
  const r = await t.app.inject({ url: `/eventstore/events${query}`, headers: { authorization: basic(key) } });
  expect(r.statusCode).toBe(200);
  return jsonOf(r.payload) as { Events: Record<string, unknown>[]; NextCursor: string; HasMore: boolean };
};

describe('Event Store pulls keep SeedFeed', () => {
  it('an empty pull keeps the schema', async () => {
    const empty = await pull('?type=nothing.here');
    expect(schemaErrors(SeedFeed, empty)).toEqual([]);
    expect(empty).toMatchObject({ Events: [], HasMore: false });
  });

  it('full and bare events, an update and an erasure tombstone keep it, paged', async () => {
    const full = event({ ReferenceEventId: 'FOO-ref', EventData: { nested: { list: [1, 'two', null] } } });
    expect((await putEvent(t, 'FOO-full', full, key)).statusCode).toBe(200);
    const bare = { ProgramId: 'FOO', ProgramMemberId: 'bare@example.com', EventType: 'course.started' };
    const barePut = await putEvent(t, 'FOO-bare', { ...bare, EventStartUTC: '2026-03-02T10:00:00Z' }, key);
    expect(barePut.statusCode).toBe(200);
    await putEvent(t, 'FOO-bare', { ...bare, EventStartUTC: '2026-03-02T11:00:00Z' }, key);
    const erased = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/erasures',
      headers: { authorization: basic(key) },
      payload: { member_id: 'joebob@example.com' },
    });
    expect(erased.statusCode).toBe(200);
    const all = await pull();
    expect(schemaErrors(SeedFeed, all)).toEqual([]);
    expect(all.Events.find((e) => e.Deleted === true)).toMatchObject({ EventId: 'FOO-full' });
    expect(all.Events.filter((e) => e.EventId === 'FOO-bare').map((e) => e.Revision)).toEqual([1, 2]);
    const page = await pull('?limit=1');
    expect(schemaErrors(SeedFeed, page)).toEqual([]);
    expect(page.HasMore).toBe(true);
    const next = await pull(`?limit=1&since=${encodeURIComponent(page.NextCursor)}`);
    expect(schemaErrors(SeedFeed, next)).toEqual([]);
    expect(next.Events).toHaveLength(1);
  });
});
