import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { jsonOf, schemaErrors } from '../../../test/support/contract.ts';
import { Browser } from '../../../test/support/web.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { FeedPage } from './activity.schemas.ts';
import { activityWorld, COURSE, countActivities } from './activity.testing.ts';

// The object's title (`object_name`, AS2 `name`): accepted natively and as AS2, stored, returned in the
// JSON feed and as AS2, and shown as the link text of the sentence on the profile page.
let t: TestApp;
let w: Awaited<ReturnType<typeof activityWorld>>;
const clock = new ManualClock('2026-03-01T10:00:00Z');

beforeAll(async () => {
  t = await buildTestApp({ clock });
  w = await activityWorld(t);
});
afterAll(() => t.close());

const SKETCHES = `${COURSE}/sketches/2`;
const sketches = (extra: Record<string, unknown> = {}) => ({
  actor: w.profile('alice'),
  verb: 'post',
  object: SKETCHES,
  object_name: '  Week 2 sketches  ',
  course: COURSE,
  ...extra,
});

async function storedName(object: string): Promise<(string | null)[]> {
  const res = await t.deps.pool.query<{ object_name: string | null }>(
    'select object_name from activities where object = $1 order by created_at',
    [object],
  );
  return res.rows.map((r) => r.object_name);
}

const as2Feed = async (noun: string) => {
  const res = await w.feed({ noun }, { accept: 'application/activity+json' });
  expect(res.statusCode).toBe(200);
  return res.json<{ orderedItems: { object: unknown; summary?: string; 'learnhub:verb': string }[] }>();
};

function sendAs2(method: 'POST' | 'PUT', body: Record<string, unknown>, id?: string) {
  return t.app.inject({
    method,
    url: id ? `/api/v1/activities/${id}` : '/api/v1/activities',
    headers: { authorization: `Bearer ${w.appToken}`, 'content-type': 'application/activity+json' },
    payload: JSON.stringify(body),
  });
}

describe('an activity with a title', () => {
  it('is stored trimmed and shown in the JSON feed, as the AS2 object name and on the profile page', async () => {
    const res = await w.publish(w.appToken, sketches());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ object: SKETCHES, object_name: 'Week 2 sketches' });
    expect(await storedName(SKETCHES)).toEqual(['Week 2 sketches']);

    const feed = await w.feed({ noun: SKETCHES });
    const page = jsonOf(feed.payload) as { data: Record<string, unknown>[] };
    expect(schemaErrors(FeedPage, page)).toEqual([]);
    expect(page.data[0]).toMatchObject({ object: SKETCHES, object_name: 'Week 2 sketches' });

    const as2 = await as2Feed(SKETCHES);
    expect(as2.orderedItems[0]?.object).toEqual({
      type: 'Object',
      id: SKETCHES,
      name: 'Week 2 sketches',
      url: SKETCHES,
    });

    const profile = await new Browser(t.app).get('/u/alice');
    expect(profile.statusCode).toBe(200);
    expect(profile.body).toContain(`posted “<a href="${SKETCHES}">Week 2 sketches</a>”`);
    expect(profile.body).not.toContain('mooc.example/courses/sogta/sketches/2</a>');
  });

  it('escapes the title on the page and keeps it as text in the feed', async () => {
    const object = `${COURSE}/sketches/evil`;
    const res = await w.publish(
      w.appToken,
      sketches({ object, object_name: '<img src=x onerror=alert(1)>' }),
    );
    expect(res.statusCode).toBe(201);
    const profile = await new Browser(t.app).get('/u/alice');
    expect(profile.body).not.toContain('<img src=x');
    expect(profile.body).toContain('&lt;img src=x onerror=alert(1)>');
    const page = jsonOf((await w.feed({ noun: object })).payload) as { data: Record<string, unknown>[] };
    expect(page.data[0]?.object_name).toBe('<img src=x onerror=alert(1)>');
  });

  it('is null in the feed and a plain URL in AS2 when the app gave none (or only spaces)', async () => {
    const object = `${COURSE}/untitled/1`;
    expect((await w.publish(w.appToken, sketches({ object, object_name: '   ' }))).statusCode).toBe(201);
    expect((await w.publish(w.appToken, { verb: 'post', object })).statusCode).toBe(201);
    const page = jsonOf((await w.feed({ noun: object })).payload) as { data: Record<string, unknown>[] };
    expect(schemaErrors(FeedPage, page)).toEqual([]);
    expect(page.data.map((a) => a.object_name)).toEqual([null, null]);
    expect((await as2Feed(object)).orderedItems.map((i) => i.object)).toEqual([object, object]);
  });
});

describe('PUT with a title', () => {
  it('treats a changed title as a change and the same title again as a no-op', async () => {
    const object = `${COURSE}/sketches/put`;
    const first = await w.put(w.appToken, 'titled-1', sketches({ object }));
    expect(first.statusCode).toBe(201);
    clock.advance(60_000);
    const same = await w.put(w.appToken, 'titled-1', sketches({ object }));
    expect(same.statusCode).toBe(200);
    expect(same.json().updated).toBe(first.json().updated);

    clock.advance(60_000);
    const renamed = await w.put(
      w.appToken,
      'titled-1',
      sketches({ object, object_name: 'Week 2 sketches, v2' }),
    );
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: first.json().id, object_name: 'Week 2 sketches, v2' });
    expect(renamed.json().updated).not.toBe(first.json().updated);

    clock.advance(60_000);
    const dropped = await w.put(w.appToken, 'titled-1', sketches({ object, object_name: undefined }));
    expect(dropped.statusCode).toBe(200);
    expect(dropped.json().object_name).toBeNull();
    expect(dropped.json().updated).not.toBe(renamed.json().updated);
    expect(await storedName(object)).toEqual([null]);
  });

  it('leaves an untitled activity unchanged by a repeated untitled PUT (hash as before titles)', async () => {
    const body = { verb: 'post', object: `${COURSE}/plain/1` };
    const first = await w.put(w.appToken, 'untitled-1', body);
    clock.advance(60_000);
    const again = await w.put(w.appToken, 'untitled-1', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().updated).toBe(first.json().updated);
  });
});

describe('a bad title', () => {
  it.each([
    ['too long', 'x'.repeat(201), 'request.invalid'],
    ['a NUL character', 'Week\u00002', 'request.nul_byte'],
    ['a line break', 'Week 2\nsketches', 'activity.invalid_name'],
    ['an escape character', 'Week 2 \u001b[31msketches', 'activity.invalid_name'],
    ['a number', 42, 'request.invalid'],
    ['null', null, 'request.invalid'],
  ])('(%s) is refused with 400 naming object_name, and nothing is stored', async (_what, name, code) => {
    const before = await countActivities(t);
    for (const res of [
      await w.publish(w.appToken, sketches({ object_name: name })),
      await w.put(w.appToken, 'bad-title', sketches({ object_name: name })),
    ]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code });
      expect(res.json().detail).toContain('object_name');
    }
    expect(await countActivities(t)).toEqual(before);
  });

  it('of exactly 200 characters is accepted', async () => {
    const name = 'é'.repeat(200);
    const res = await w.publish(w.appToken, sketches({ object: `${COURSE}/long/1`, object_name: name }));
    expect(res.statusCode).toBe(201);
    expect(res.json().object_name).toBe(name);
  });
});

describe('Activity Streams input', () => {
  it("takes the object's name, the summary and the context into the activity", async () => {
    const object = `${COURSE}/as2/1`;
    const res = await sendAs2('POST', {
      '@context': 'https://www.w3.org/ns/activitystreams',
      type: 'Create',
      'learnhub:verb': 'post',
      actor: { type: 'Person', id: w.profile('alice') },
      object: { type: 'Note', id: object, name: 'Week 3 sketches', summary: 'Three drawings' },
      context: { type: 'Group', id: COURSE },
      url: `${object}#note`,
      summary: 'Alice shared her week 3 sketches',
      published: '2026-03-01T09:00:00Z',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      actor: w.profile('alice'),
      verb: 'post',
      object,
      object_name: 'Week 3 sketches',
      course: COURSE,
      verb_url: `${object}#note`,
      message: 'Alice shared her week 3 sketches',
      published: '2026-03-01T09:00:00.000Z',
    });
    const item = (await as2Feed(object)).orderedItems[0];
    expect(item).toMatchObject({
      'learnhub:verb': 'post',
      object: { id: object, name: 'Week 3 sketches' },
      summary: 'Alice shared her week 3 sketches',
    });
  });

  it('picks a title from nameMap (undetermined, else English, else the first) and the type as verb', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ de: 'Skizzen', und: 'Sketches' }, 'Sketches'],
      [{ fr: 'Croquis', 'en-GB': 'Sketches (en)' }, 'Sketches (en)'],
      [{ fr: 'Croquis', de: 'Skizzen' }, 'Croquis'],
    ];
    for (const [i, [nameMap, expected]] of cases.entries()) {
      const object = `${COURSE}/as2/map-${i}`;
      const res = await sendAs2('PUT', { type: 'Like', object: { id: object, nameMap } }, `as2-map-${i}`);
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ verb: 'like', actor: null, object, object_name: expected });
    }
    const plain = await sendAs2('POST', {
      type: 'View',
      object: { id: `${COURSE}/as2/both`, name: 'Plain', nameMap: { en: 'Mapped' } },
    });
    expect(plain.json().object_name).toBe('Plain');
  });

  it('refuses a bad name naming object.name, and nothing is stored', async () => {
    const before = await countActivities(t);
    const long = await sendAs2('POST', {
      type: 'Create',
      object: { id: `${COURSE}/x`, name: 'y'.repeat(300) },
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'activity.invalid_name' });
    expect(long.json().detail).toContain('object.name');
    const wrong = await sendAs2('POST', { type: 'Create', object: { id: `${COURSE}/x`, name: 7 } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toContain('object.name');
    expect(await countActivities(t)).toEqual(before);
  });
});
