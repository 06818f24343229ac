import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Tx } from '../../db/client.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { activityWorld, COURSE, countActivities } from './activity.testing.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof activityWorld>>;
const clock = new ManualClock('2026-03-01T10:00:00Z');
const OTHER_COURSE = 'https://mooc.example/courses/other';

interface Item {
  id: string;
  verb: string;
  actor: string | null;
  object: string;
  published: string;
}

beforeAll(async () => {
  t = await buildTestApp({ clock });
  w = await activityWorld(t);
  const alice = w.profile('alice');
  // alice as actor (course as object / target / course), an anonymous one about the course, one elsewhere.
  const seed: Record<string, unknown>[] = [
    { actor: alice, verb: 'join', object: COURSE },
    { actor: alice, verb: 'post', object: `${COURSE}/comments/1`, target: `${COURSE}/discussions/1` },
    { verb: 'post', object: `${COURSE}/comments/2`, course: COURSE, message: 'A new comment was posted' },
    { actor: alice, verb: 'like', object: 'https://elsewhere.example/thing', target: COURSE },
    { verb: 'post', object: `${OTHER_COURSE}/comments/1`, course: OTHER_COURSE },
  ];
  for (const payload of seed) {
    clock.advance(1000);
    const res = await w.publish(w.appToken, payload);
    if (res.statusCode !== 201) throw new Error(`seed answered ${res.statusCode}: ${res.body}`);
  }
});
afterAll(async () => {
  await t.close();
});

const data = (res: { json: () => { data: Item[] } }) => res.json().data;

describe('reading by noun', () => {
  it('returns every activity a person did, newest first, by profile URL (any case, trailing slash)', async () => {
    const res = await w.feed({ noun: w.profile('alice') });
    expect(res.statusCode).toBe(200);
    expect(data(res).map((a) => a.verb)).toEqual(['like', 'post', 'join']);
    const published = data(res).map((a) => a.published);
    expect([...published].sort().reverse()).toEqual(published);
    const variant = await w.feed({ noun: `${w.profile('ALICE')}/` });
    expect(data(variant).map((a) => a.id)).toEqual(data(res).map((a) => a.id));
  });

  it('returns every activity involving a course, as object, target or course', async () => {
    const res = await w.feed({ noun: COURSE });
    expect(data(res).map((a) => a.object)).toEqual([
      'https://elsewhere.example/thing',
      `${COURSE}/comments/2`,
      COURSE,
    ]);
    const other = await w.feed({ noun: OTHER_COURSE });
    expect(data(other)).toHaveLength(1);
  });

  it('answers an unknown noun (or unknown person) with an empty feed, not an error', async () => {
    for (const noun of ['https://nobody.example/never', w.profile('nobody')]) {
      const res = await w.feed({ noun });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ data: [], next_cursor: null });
    }
  });

  it('refuses a noun that is not a URL, a bad cursor and an oversize limit with 400', async () => {
    const notUrl = await w.feed({ noun: 'alice' });
    expect(notUrl.statusCode).toBe(400);
    expect(notUrl.json().code).toBe('activity.invalid_noun');
    const cursor = await w.feed({ noun: COURSE, cursor: 'zzz' });
    expect(cursor.json().code).toBe('request.invalid_cursor');
    const limit = await w.feed({ noun: COURSE, limit: '1000' });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().detail).toContain('limit');
  });

  it('filters by verb, app and time', async () => {
    expect(data(await w.feed({ noun: COURSE, verb: 'post' })).map((a) => a.verb)).toEqual(['post']);
    expect(data(await w.feed({ noun: COURSE, app: w.client.id }))).toHaveLength(3);
    expect(data(await w.feed({ noun: COURSE, app: '00000000-0000-4000-8000-000000000000' }))).toHaveLength(0);
    const all = data(await w.feed({ noun: w.profile('alice') }));
    const middle = all[1]?.published ?? '';
    const since = data(await w.feed({ noun: w.profile('alice'), since: middle }));
    expect(since.map((a) => a.verb)).toEqual(['like', 'post']);
    const until = data(await w.feed({ noun: w.profile('alice'), until: middle }));
    expect(until.map((a) => a.verb)).toEqual(['join']);
  });
});

describe('the JSON page', () => {
  it('lists each activity exactly as publishing answered it (nulls, timestamps, escaping)', async () => {
    clock.advance(1000);
    const noun = 'https://mooc.example/courses/shape';
    const full = await w.publish(w.appToken, {
      actor: w.profile('alice'),
      verb: 'Post',
      object: `${noun}/c/1`,
      target: `${noun}/d/1`,
      course: noun,
      verb_url: `${noun}/c/1#reply`,
      message: 'Quotes " and \\ back\\slash, tab\tand ünïcødé ✓ 🎓',
      published: '2026-03-01T09:59:58.5+01:00',
    });
    expect(full.statusCode).toBe(201);
    clock.advance(1000);
    const bare = await w.publish(w.appToken, { verb: 'like', object: noun });
    expect(bare.statusCode).toBe(201);
    const res = await w.feed({ noun });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ noun, data: [bare.json(), full.json()], next_cursor: null });
    expect(res.json().data[1].published).toBe('2026-03-01T08:59:58.500Z');
  });
});

describe('paging', () => {
  it('walks a feed page by page without losing or repeating an activity, even with equal timestamps', async () => {
    const noun = 'https://mooc.example/courses/paged';
    const published = clock.now().toISOString();
    for (let i = 0; i < 23; i++) {
      // Same publish time for all: the id breaks ties.
      const res = await w.publish(w.appToken, {
        verb: 'post',
        object: `${noun}/c/${i}`,
        course: noun,
        published,
      });
      expect(res.statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const res = await w.feed({ noun, limit: '5', ...(cursor ? { cursor } : {}) });
      const body = res.json<{ data: Item[]; next_cursor: string | null }>();
      seen.push(...body.data.map((a) => a.object));
      if (!body.next_cursor) break;
      cursor = body.next_cursor;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
  });
});

describe('concurrent reads', () => {
  it('answers many reads at once (shared statements) exactly as each read alone', async () => {
    const nouns = ['https://mooc.example/courses/busy-1', 'https://mooc.example/courses/busy-2'];
    const published = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        w.publish(w.appToken, {
          ...(i % 3 === 0 ? { actor: w.profile('alice') } : {}),
          verb: i % 4 < 2 ? 'post' : 'like',
          object: `${nouns[i % 2]}/c/${i}`,
          course: nouns[i % 2],
          published: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 1000).toISOString(),
        }),
      ),
    );
    expect(published.map((r) => r.statusCode)).toEqual(Array(30).fill(201));
    const first = await w.feed({ noun: nouns[0] as string, limit: '4' });
    const cursor = first.json<{ next_cursor: string }>().next_cursor;
    const queries: Record<string, string>[] = [
      ...nouns.flatMap((noun): Record<string, string>[] => [
        { noun },
        { noun, limit: '3' },
        { noun, verb: 'like' },
        { noun, verb: 'post', limit: '2' },
        { noun, since: '2026-02-01T00:00:10Z' },
        { noun, app: w.client.id },
      ]),
      { noun: nouns[0] as string, limit: '4', cursor },
      { noun: w.profile('alice') },
      { noun: 'https://mooc.example/courses/nobody' },
    ];
    // Each query as JSON and as AS2 (which reads rows, through statements of its own).
    const as2 = { accept: 'application/activity+json' };
    const read = (query: Record<string, string>, format: 'json' | 'as2') =>
      w.feed(query, format === 'as2' ? as2 : {});
    const alone = new Map<string, string>();
    for (const query of queries) {
      for (const format of ['json', 'as2'] as const) {
        alone.set(`${format} ${JSON.stringify(query)}`, (await read(query, format)).body);
      }
    }
    // Every query five times over in both formats, all at once: more than one statement's worth, identical
    // ones among them.
    const all = queries.flatMap((query) =>
      Array.from({ length: 10 }, (_, k) => ({
        query,
        format: k % 2 === 0 ? ('json' as const) : ('as2' as const),
      })),
    );
    const together = await Promise.all(all.map(({ query, format }) => read(query, format)));
    expect(together.map((r) => r.statusCode)).toEqual(Array(all.length).fill(200));
    expect(together.map((r) => r.body)).toEqual(
      all.map(({ query, format }) => alone.get(`${format} ${JSON.stringify(query)}`)),
    );
    expect(
      JSON.parse(alone.get(`as2 ${JSON.stringify({ noun: nouns[0], limit: '3' })}`) ?? '{}'),
    ).toMatchObject({
      type: 'OrderedCollectionPage',
      orderedItems: [{}, {}, {}],
    });
  });
});

describe('Activity Streams 2.0', () => {
  it('serves an OrderedCollectionPage of activities with actor, object, published and the app as generator', async () => {
    const res = await w.feed({ noun: COURSE, limit: '2' }, { accept: 'application/activity+json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/activity\+json/);
    const page = res.json();
    const context = Array.isArray(page['@context']) ? page['@context'] : [page['@context']];
    expect(context[0]).toBe('https://www.w3.org/ns/activitystreams');
    expect(page.type).toBe('OrderedCollectionPage');
    expect(page.id).toMatch(/^http:\/\/hub\.test\/api\/v1\/activities\?/);
    expect(page.partOf).toContain(encodeURIComponent(COURSE));
    expect(page.next).toContain('cursor=');
    expect(page.orderedItems).toHaveLength(2);
    for (const item of page.orderedItems) {
      expect(item.id).toMatch(/^urn:uuid:/);
      expect(typeof item.type).toBe('string');
      expect(item.actor).toMatchObject({ id: expect.any(String), type: expect.any(String) });
      expect(item.object).toMatch(/^https:\/\//);
      expect(Number.isNaN(Date.parse(item.published))).toBe(false);
      expect(item.generator).toMatchObject({ type: 'Application', name: 'MOOC' });
    }
    const [like, anonymous] = page.orderedItems;
    expect(like).toMatchObject({
      type: 'Like',
      'learnhub:verb': 'like',
      actor: { type: 'Person', id: w.profile('alice') },
      target: COURSE,
    });
    // No actor: the app itself did it.
    expect(anonymous).toMatchObject({ type: 'Create', 'learnhub:verb': 'post', context: COURSE });
    expect(anonymous.actor).toEqual(anonymous.generator);
    expect(anonymous.summary).toBe('A new comment was posted');
    const next = await t.app.inject({
      url: page.next.replace('http://hub.test', ''),
      headers: { accept: 'application/activity+json' },
    });
    expect(next.json().orderedItems).toHaveLength(1);
  });

  it('keeps a verb AS2 has no type for as a generic Activity with learnhub:verb', async () => {
    await w.publish(w.appToken, { verb: 'complete', object: 'https://mooc.example/courses/as2' });
    const res = await w.feed(
      { noun: 'https://mooc.example/courses/as2' },
      { accept: 'application/activity+json' },
    );
    expect(res.json().orderedItems[0]).toMatchObject({ type: 'Activity', 'learnhub:verb': 'complete' });
  });
});

describe("the hub's own events", () => {
  it('adds an activity for an enrolment, a completion and a badge, once per event however often it runs', async () => {
    const user = { id: w.bob.id, username: 'bob', email: 'bob@example.org', profile_url: w.profile('bob') };
    const course = { id: 'c1', path: 'c1', url: 'https://hub.test/courses/c1', title: 'Geo art' };
    const badge = { id: '1', slug: 'b1', name: 'Participant', url: 'https://hub.test/badges/b1' };
    const subject = `user:${w.bob.id}`;
    const appends: ((tx: Tx) => Promise<{ id: string }>)[] = [
      (tx: Tx) =>
        appendDomainEvent(tx, t.deps, {
          type: 'enrolment.created',
          subject,
          payload: { user, course, role: 'Student' },
        }),
      (tx: Tx) =>
        appendDomainEvent(tx, t.deps, {
          type: 'course.completed',
          subject,
          payload: { user, course, completed_at: '2026-01-01T00:00:00.000Z' },
        }),
      (tx: Tx) =>
        appendDomainEvent(tx, t.deps, {
          type: 'badge.awarded',
          subject,
          payload: {
            user,
            badge,
            assertion: { id: 'a1', url: 'https://hub.test/a1' },
            recipient_email_hash: 'sha256$0',
          },
        }),
    ];
    const events = [];
    for (const append of appends) {
      clock.advance(1000);
      events.push(await t.deps.db.transaction(append));
    }
    await t.runJobs();
    const feed = data(await w.feed({ noun: w.profile('bob') }));
    expect(feed.map((a) => a.verb)).toEqual(['earn', 'complete', 'join']);
    expect(feed[0]).toMatchObject({ actor: w.profile('bob'), object: 'https://hub.test/badges/b1' });
    const before = await countActivities(t);
    // Replaying the consumer for the same events adds nothing.
    const { enqueue } = await import('../../jobs/enqueue.ts');
    for (const event of events) await enqueue(t.deps.db, 'activity.from_domain_events', { id: event.id });
    await t.runJobs();
    expect(await countActivities(t)).toEqual(before);
    // A badge names no course (badge.awarded carries none), so the course's feed has the other two.
    const byCourse = data(await w.feed({ noun: course.url }));
    expect(byCourse.map((a) => a.verb)).toEqual(['complete', 'join']);
  });
});
