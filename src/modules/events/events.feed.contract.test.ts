import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { jsonOf, schemaErrors } from '../../../test/support/contract.ts';
import { Feed } from './events.schemas.ts';
import { createProgram } from './index.ts';

// GET /api/v1/events sends the page PostgreSQL built as JSON text (events.feed.repository.ts) without the
// response schema's serialiser: real pages in every variant are checked against Feed here.
let t: TestApp;
let auth = { authorization: '' };
beforeAll(async () => {
  t = await buildTestApp();
  const key = await createProgram(t.deps, { id: 'CON', name: 'Contract' });
  auth = { authorization: `Basic ${Buffer.from(`${key.user_id}:${key.api_key}`).toString('base64')}` };
});
afterAll(() => t.close());

const feed = async (query = '') => {
  const r = await t.app.inject({ url: `/api/v1/events${query}`, headers: auth });
  expect(r.statusCode).toBe(200);
  return jsonOf(r.payload) as { data: Record<string, unknown>[]; next_cursor: string; has_more: boolean };
};
const put = async (id: string, payload: Record<string, unknown>) => {
  const r = await t.app.inject({ method: 'PUT', url: `/api/v1/events/${id}`, headers: auth, payload });
  expect(r.statusCode).toBe(200);
};

describe('event feed pages keep Feed', () => {
  it('an empty feed keeps the schema', async () => {
    const empty = await feed('?program=CON&type=nothing.here');
    expect(schemaErrors(Feed, empty)).toEqual([]);
    expect(empty).toMatchObject({ data: [], has_more: false });
  });

  it('puts with every optional field, with none, an update, and an erasure tombstone keep it, paged', async () => {
    await put('CON-full', {
      program_id: 'CON',
      member_id: 'ann@example.com',
      type: 'course.completed',
      start_at: '2026-04-01T09:00:00Z',
      end_at: '2026-04-01T10:00:00.5Z',
      data: { course: { id: 'c9', tags: ['a'] }, score: 93.5, passed: true, note: null },
      reference_event_id: 'CON-other',
    });
    await put('CON-bare', {
      program_id: 'CON',
      member_id: 'bob@example.com',
      type: 'course.started',
      start_at: '2026-04-02T09:00:00+02:00',
    });
    await put('CON-bare', {
      program_id: 'CON',
      member_id: 'bob@example.com',
      type: 'course.started',
      start_at: '2026-04-02T10:00:00+02:00',
    });
    const erased = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/erasures',
      headers: auth,
      payload: { member_id: 'ann@example.com' },
    });
    expect(erased.json()).toEqual({ erased: 1 });
    const all = await feed('?program=CON');
    expect(schemaErrors(Feed, all)).toEqual([]);
    const tombstone = all.data.find((c) => c.kind === 'erased');
    expect(tombstone).toMatchObject({ event_id: 'CON-full', kind: 'erased' });
    const updated = all.data.filter((c) => c.event_id === 'CON-bare');
    expect(updated.map((c) => c.revision)).toEqual([1, 2]);
    const page = await feed('?program=CON&limit=1');
    expect(schemaErrors(Feed, page)).toEqual([]);
    expect(page.has_more).toBe(true);
    const rest = await feed(`?program=CON&limit=1&cursor=${encodeURIComponent(page.next_cursor)}`);
    expect(schemaErrors(Feed, rest)).toEqual([]);
    expect(rest.data).toHaveLength(1);
  });
});
