import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { jsonOf, schemaErrors } from '../../../test/support/contract.ts';
import { FeedPage } from './activity.schemas.ts';
import { activityWorld, COURSE } from './activity.testing.ts';

// GET /api/v1/activities (JSON) sends the page PostgreSQL built (activity.feed.repository.ts) without the
// response schema's serialiser: real pages in every variant are checked against FeedPage here.
let t: TestApp;
let w: Awaited<ReturnType<typeof activityWorld>>;
beforeAll(async () => {
  t = await buildTestApp();
  w = await activityWorld(t);
});
afterAll(() => t.close());

const page = async (query: Record<string, string>) => {
  const r = await w.feed(query);
  expect(r.statusCode).toBe(200);
  return jsonOf(r.payload) as { noun: string; data: Record<string, unknown>[]; next_cursor: string | null };
};

describe('activity feed pages keep FeedPage', () => {
  it('the feed of a noun nobody mentioned keeps the schema', async () => {
    const empty = await page({ noun: 'https://nowhere.example/nothing' });
    expect(schemaErrors(FeedPage, empty)).toEqual([]);
    expect(empty).toEqual({ noun: 'https://nowhere.example/nothing', data: [], next_cursor: null });
  });

  it('activities with every optional field, with none, and an updated one keep it, paged', async () => {
    const full = await w.put(w.appToken, 'contract-1', {
      actor: w.profile('alice'),
      verb: 'post',
      object: `${COURSE}/comments/1`,
      object_name: 'A comment on “week 1” — with <markup> & quotes "\\"',
      target: `${COURSE}/discussions/7`,
      course: COURSE,
      verb_url: `${COURSE}/comments/1#reply`,
      message: 'Alice posted a comment',
      published: '2026-03-01T10:00:00.250Z',
    });
    expect(full.statusCode).toBeLessThan(300);
    const bare = await w.publish(w.appToken, { verb: 'announce', object: COURSE });
    expect(bare.statusCode).toBe(201);
    const updated = await w.put(w.appToken, 'contract-1', {
      actor: w.profile('alice'),
      verb: 'post',
      object: `${COURSE}/comments/1`,
      course: COURSE,
      object_name: 'Week 1 comment, edited',
      message: 'Alice edited her comment',
    });
    expect(updated.statusCode).toBeLessThan(300);
    const all = await page({ noun: COURSE });
    expect(schemaErrors(FeedPage, all)).toEqual([]);
    expect(all.data).toHaveLength(2);
    expect(all.data.find((a) => a.app_activity_id === 'contract-1')).toMatchObject({
      actor: w.profile('alice'),
      object_name: 'Week 1 comment, edited',
      message: 'Alice edited her comment',
    });
    expect(all.data.find((a) => a.verb === 'announce')).toMatchObject({
      actor: null,
      object_name: null,
      target: null,
      verb_url: null,
      message: null,
    });
    const first = await page({ noun: COURSE, limit: '1' });
    expect(schemaErrors(FeedPage, first)).toEqual([]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await page({ noun: COURSE, limit: '1', cursor: String(first.next_cursor) });
    expect(schemaErrors(FeedPage, second)).toEqual([]);
    expect(second.data).toHaveLength(1);
    const titled = await page({ noun: `${COURSE}/comments/1` });
    expect(titled.data[0]?.object_name).toBe('Week 1 comment, edited');
    const person = await page({ noun: w.profile('alice'), verb: 'post' });
    expect(schemaErrors(FeedPage, person)).toEqual([]);
    expect(person.data).toHaveLength(1);
  });
});
