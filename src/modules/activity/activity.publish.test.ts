import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { revokeConnection } from '../oauth/index.ts';
import { activityWorld, COURSE, countActivities } from './activity.testing.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof activityWorld>>;
const clock = new ManualClock('2026-03-01T10:00:00Z');

beforeAll(async () => {
  t = await buildTestApp({ clock });
  w = await activityWorld(t);
});
afterAll(async () => {
  await t.close();
});

const comment = (extra: Record<string, unknown> = {}) => ({
  verb: 'post',
  object: `${COURSE}/comments/1`,
  target: `${COURSE}/discussions/7`,
  course: COURSE,
  verb_url: `${COURSE}/comments/1#reply`,
  message: 'Alice posted a comment in the MOOC SOGTA',
  ...extra,
});

describe('publishing for a person', () => {
  it('publishes with the person as actor when the app holds their activities:publish grant', async () => {
    const res = await w.publish(w.appToken, comment({ actor: w.profile('alice') }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      actor: w.profile('alice'),
      actor_id: w.alice.id,
      app_id: w.client.id,
      verb: 'post',
      object: `${COURSE}/comments/1`,
      course: COURSE,
      published: '2026-03-01T10:00:00.000Z',
    });
    // The user's own token may publish for that user, named by id too.
    const own = await w.publish(w.aliceToken, comment({ actor: w.alice.id }));
    expect(own.statusCode).toBe(201);
    expect(own.json().actor).toBe(w.profile('alice'));
  });

  it('refuses with 403 activity.not_permitted and stores nothing when the person never granted the app', async () => {
    const before = await countActivities(t);
    const res = await w.publish(w.appToken, comment({ actor: w.profile('bob') }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'activity.not_permitted' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await countActivities(t)).toEqual(before);
  });

  it('refuses an app_user token publishing for someone else, even someone who granted the app', async () => {
    const bob = await w.userToken('bob', 'openid activities:publish');
    const before = await countActivities(t);
    const res = await w.publish(bob.body.access_token, comment({ actor: w.profile('alice') }));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('activity.not_permitted');
    expect(await countActivities(t)).toEqual(before);
  });

  it('stops publishing for a person the moment they revoke the grant', async () => {
    const carol = await w.person('carol', 'Carol Chen');
    await w.userToken('carol', 'openid activities:publish');
    expect((await w.publish(w.appToken, comment({ actor: w.profile('carol') }))).statusCode).toBe(201);
    await revokeConnection(t.deps, carol.id, w.client.id);
    const before = await countActivities(t);
    const res = await w.publish(w.appToken, comment({ actor: w.profile('carol') }));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('activity.not_permitted');
    expect(await countActivities(t)).toEqual(before);
  });

  it('applies the rule to each of many concurrent publishes (written together): only permitted ones are stored', async () => {
    await w.person('erin', 'Erin Example'); // never granted the app anything
    const before = await countActivities(t);
    const actors = [w.profile('alice'), w.profile('erin'), undefined];
    const results = await Promise.all(
      Array.from({ length: 45 }, (_, i) =>
        w.publish(w.appToken, comment({ object: `${COURSE}/concurrent/${i}`, actor: actors[i % 3] })),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(
      Array.from({ length: 45 }, (_, i) => (i % 3 === 1 ? 403 : 201)),
    );
    const after = await countActivities(t);
    expect(after.activities - before.activities).toBe(30);
    const stored = await t.deps.pool.query<{ object: string; actor_url: string | null }>(
      `select object, actor_url from activities where object like $1 order by object`,
      [`${COURSE}/concurrent/%`],
    );
    expect(stored.rows).toHaveLength(30);
    expect(stored.rows.some((r) => r.actor_url === w.profile('erin'))).toBe(false);
    for (const res of results.filter((r) => r.statusCode === 201)) {
      const feed = await w.feed({ noun: res.json<{ object: string }>().object });
      expect(feed.json<{ data: { id: string }[] }>().data.map((a) => a.id)).toEqual([res.json().id]);
    }
  });

  it('answers 404 for an actor who is not a user here', async () => {
    const res = await w.publish(w.appToken, comment({ actor: w.profile('nobody') }));
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('activity.actor_not_found');
  });

  it('publishes anonymously, attributed to the app, when there is no actor', async () => {
    const res = await w.publish(
      w.appToken,
      comment({ message: 'A new comment was posted in the MOOC SOGTA' }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ actor: null, actor_id: null, app_id: w.client.id });
  });

  it('refuses publishing without credentials (401) and by a signed-in person rather than an app (403)', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/activities', payload: comment() });
    expect(none.statusCode).toBe(401);
    const asUser = await w.aliceBrowser.get('/account');
    expect(asUser.statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/activities',
      headers: { cookie: w.aliceBrowser.cookieHeader() },
      payload: comment(),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('bad input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing verb', { object: `${COURSE}/x` }, 'verb'],
    ['a missing object', { verb: 'post' }, 'object'],
    ['an object that is not a URL', { verb: 'post', object: 'not a url' }, 'object'],
    ['a non-http object', { verb: 'post', object: 'javascript:alert(1)' }, 'object'],
    ['an invalid target', { verb: 'post', object: COURSE, target: 'ftp://x/y' }, 'target'],
    ['an invalid verb_url', { verb: 'post', object: COURSE, verb_url: '/relative' }, 'verb_url'],
    ['an oversize message', { verb: 'post', object: COURSE, message: 'x'.repeat(1001) }, 'message'],
    ['a verb with spaces', { verb: 'did a thing', object: COURSE }, 'verb'],
    ['an unknown field', { verb: 'post', object: COURSE, colour: 'red' }, 'colour'],
    [
      'a publish time that is not RFC 3339',
      { verb: 'post', object: COURSE, published: 'yesterday' },
      'published',
    ],
    [
      'a publish time in the future',
      { verb: 'post', object: COURSE, published: '2027-01-01T00:00:00Z' },
      'published',
    ],
  ];
  for (const [what, payload, field] of cases) {
    it(`refuses ${what} with 400 naming ${field} and stores nothing`, async () => {
      const before = await countActivities(t);
      const res = await w.publish(w.appToken, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().detail).toContain(field);
      expect(await countActivities(t)).toEqual(before);
      const put = await w.put(w.appToken, 'bad-1', payload);
      expect(put.statusCode).toBe(400);
      expect(await countActivities(t)).toEqual(before);
    });
  }
});

describe('PUT by the app’s own id', () => {
  it('creates (201), repeats as a no-op (200, same activity), and updates on different content', async () => {
    const first = await w.put(w.appToken, 'comment-42', comment({ actor: w.profile('alice') }));
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expect(created.app_activity_id).toBe('comment-42');
    const before = await countActivities(t);

    clock.advance(60_000);
    const again = await w.put(w.appToken, 'comment-42', comment({ actor: w.profile('alice') }));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(created);
    expect(await countActivities(t)).toEqual(before);

    const changed = await w.put(
      w.appToken,
      'comment-42',
      comment({ actor: w.profile('alice'), message: 'Alice edited her comment', target: undefined }),
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      id: created.id,
      message: 'Alice edited her comment',
      target: null,
      published: created.published,
    });
    // The old target no longer lists it; the activity is still one row.
    const byTarget = await w.feed({ noun: `${COURSE}/discussions/7` });
    expect(byTarget.json().data.map((a: { id: string }) => a.id)).not.toContain(created.id);
    expect((await countActivities(t)).activities).toBe(before.activities);
  });

  it('applies the permission rule to updates too: changing the actor to someone without a grant is refused', async () => {
    await w.person('dave', 'Dave Diaz');
    const res = await w.put(w.appToken, 'comment-42', comment({ actor: w.profile('dave') }));
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('activity.not_permitted');
  });
});
