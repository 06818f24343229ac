import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { appWithToken, eventsOfType } from './courses.testing.ts';

// App tokens come from the hub's OpenID provider, which keeps its own time: this file runs on the system clock.
let t: TestApp;
let p2pu: { appId: string; authorization: string };
let other: { appId: string; authorization: string };

const SOGTA = {
  title: 'The study of geographic and temporal art as encountered in urban environments',
  shortcode: 'SOGTA',
  'signup-url': 'https://mooc.example/sogta/signup',
  'course-style': 'MOOC',
  tags: ['art', 'geo-art'],
  description: 'Walk the city and look at it as a gallery.',
  language: 'en',
};

beforeAll(async () => {
  t = await buildTestApp();
  p2pu = await appWithToken(t, 'Mooc');
  other = await appWithToken(t, 'Other');
  const fillers = [
    ['Geography of rivers', ['geography'], 'Rivers and the art of mapping them.'],
    ['Art history 101', ['art'], 'From caves to canvases.'],
    ['Urban gardening', ['garden'], 'A geographic tour of rooftops; some art.'],
    ['Temporal logic', ['logic'], 'Time and reasoning.'],
  ] as const;
  for (const [title, tags, description] of fillers) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses',
      headers: { authorization: other.authorization },
      payload: { title, tags, description, course_style: 'self-paced', language: 'en' },
    });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
});

/** The story's course, published by the Mooc app. Idempotent, so each case that searches for it asks first. */
async function publishSogta() {
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/courses/SOGTA',
    headers: { authorization: p2pu.authorization },
    payload: SOGTA,
  });
  expect([200, 201]).toContain(res.statusCode);
  return res.json();
}

describe('the course register', () => {
  it('publishes SOGTA by PUT with the story fields, idempotently', async () => {
    // An app of its own, so this case creates (and then removes) its course whatever ran before it.
    const mooc = await appWithToken(t, 'Publisher');
    const first = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/courses/SOGTA',
      headers: { authorization: mooc.authorization },
      payload: SOGTA,
    });
    expect(first.statusCode).toBe(201);
    const course = first.json();
    expect(course).toMatchObject({
      shortcode: 'SOGTA',
      signup_url: 'https://mooc.example/sogta/signup',
      course_style: 'MOOC',
      tags: ['art', 'geo-art'],
      owner: { app_id: mooc.appId },
    });
    expect(course.url).toBe(`http://hub.test/courses/${course.path}`);
    const again = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/courses/SOGTA',
      headers: { authorization: mooc.authorization },
      payload: { ...SOGTA, language: 'en-GB' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(course.id);
    expect(again.json().language).toBe('en-GB');
    const published = await eventsOfType(t, 'course.published');
    const mine = published.filter((p) => (p.course as { id: string }).id === course.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      course: { id: course.id, path: course.path, title: SOGTA.title, url: course.url },
      app_ids: [mooc.appId],
    });
    expect((await eventsOfType(t, 'course.updated')).length).toBeGreaterThan(0);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/courses/${course.id}`,
      headers: { authorization: mooc.authorization },
    });
    expect(removed.statusCode).toBe(204);
  });

  it('finds SOGTA first when someone searches for "geographic art"', async () => {
    await publishSogta();
    const res = await t.app.inject({ url: '/api/v1/courses?q=geographic%20art' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.fuzzy).toBe(false);
    expect(body.data[0].shortcode).toBe('SOGTA');
    expect(body.facets.style).toEqual(expect.arrayContaining([{ value: 'MOOC', count: 1 }]));
  });

  it('finds SOGTA through a misspelling with the trigram fallback', async () => {
    await publishSogta();
    const res = await t.app.inject({ url: '/api/v1/courses?q=geografic%20temporl' });
    expect(res.statusCode).toBe(200);
    expect(res.json().fuzzy).toBe(true);
    expect(res.json().data[0].shortcode).toBe('SOGTA');
  });

  it('filters by tag, style and language and pages with a cursor without repeats', async () => {
    await publishSogta();
    const byTag = await t.app.inject({ url: '/api/v1/courses?tags=geo-art' });
    expect(byTag.json().data.map((c: { shortcode: string }) => c.shortcode)).toEqual(['SOGTA']);
    const byStyle = await t.app.inject({ url: '/api/v1/courses?style=self-paced&language=en' });
    expect(byStyle.json().data).toHaveLength(4);
    const seen: string[] = [];
    let url = '/api/v1/courses?limit=2&q=art';
    for (let i = 0; i < 5 && url; i++) {
      const page = await t.app.inject({ url });
      const body = page.json();
      seen.push(...body.data.map((c: { id: string }) => c.id));
      url = body.next_cursor ? `/api/v1/courses?limit=2&q=art&cursor=${body.next_cursor}` : '';
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(4);
  });

  it('refuses a bad cursor, a bad signup URL and an unknown course with clear 4xx', async () => {
    const cursor = await t.app.inject({ url: '/api/v1/courses?q=art&cursor=nonsense' });
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().detail).toContain('cursor');
    const badUrl = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses',
      headers: { authorization: p2pu.authorization },
      payload: { title: 'X', signup_url: 'javascript:alert(1)' },
    });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().detail).toContain('signup_url');
    const missing = await t.app.inject({ url: '/api/v1/courses/no-such-course' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('courses.not_found');
  });

  it("refuses another app's change or deletion and changes nothing", async () => {
    await publishSogta();
    const sogta = (await t.app.inject({ url: '/api/v1/courses?q=SOGTA' })).json().data[0];
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/courses/${sogta.id}`,
      headers: { authorization: other.authorization },
      payload: { title: 'Hijacked' },
    });
    expect(patch.statusCode).toBe(403);
    expect(patch.json().code).toBe('courses.not_owner');
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/courses/${sogta.id}`,
      headers: { authorization: other.authorization },
    });
    expect(del.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'DELETE', url: `/api/v1/courses/${sogta.id}` });
    expect(anonymous.statusCode).toBe(401);
    const still = await t.app.inject({ url: `/api/v1/courses/${sogta.id}` });
    expect(still.json().title).toBe(SOGTA.title);
  });

  it('lets the owner update and delete its course, with events', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses',
      headers: { authorization: p2pu.authorization },
      payload: { title: 'Short lived', path: 'short-lived' },
    });
    expect(created.statusCode).toBe(201);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/courses/short-lived',
      headers: { authorization: p2pu.authorization },
      payload: { description: 'Now with words' },
    });
    expect(patched.json(), patched.body).toMatchObject({ description: 'Now with words' });
    const del = await t.app.inject({
      method: 'DELETE',
      url: `http://hub.test/api/v1/courses/short-lived`,
      headers: { authorization: p2pu.authorization },
    });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/courses/short-lived' })).statusCode).toBe(404);
    const deleted = await eventsOfType(t, 'course.deleted');
    expect(deleted.at(-1)).toMatchObject({ course: { path: 'short-lived' }, app_ids: [p2pu.appId] });
  });
});

describe('the register search, one statement per request', () => {
  async function publish(payload: Record<string, unknown>) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses',
      headers: { authorization: other.authorization },
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; path: string };
  }

  it('ranks a title match above a tag match above a description match', async () => {
    const inDescription = await publish({ title: 'Brewing basics', description: 'All about zymurgy.' });
    const inTitle = await publish({ title: 'Zymurgy for beginners', description: 'Beer.' });
    const inTags = await publish({ title: 'Home fermentation', tags: ['zymurgy'] });
    const res = await t.app.inject({ url: '/api/v1/courses?q=zymurgy' });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().data.map((c: { id: string }) => c.id)).toEqual([
      inTitle.id,
      inTags.id,
      inDescription.id,
    ]);
  });

  it('returns each course exactly as reading it does, and no facets when asked not to', async () => {
    const created = await publish({
      title: 'Quaternion gymnastics',
      category: 'Maths',
      tags: ['maths', 'rotation'],
      course_style: 'cohort',
      signup_url: 'https://mooc.example/q/signup',
      language: 'fr',
      start_date: '2027-01-04T09:30:00.250Z',
      end_date: '2027-03-01T17:00:00.000Z',
    });
    const found = await t.app.inject({ url: '/api/v1/courses?q=quaternion&facets=false' });
    expect(found.json().facets).toBeNull();
    const read = await t.app.inject({ url: `/api/v1/courses/${created.id}` });
    expect(found.json().data).toEqual([read.json()]);
  });

  it('counts facets over every match, not only the page', async () => {
    const res = await t.app.inject({ url: '/api/v1/courses?q=art&limit=1' });
    const body = res.json();
    expect(body.data).toHaveLength(1);
    expect(body.next_cursor).toEqual(expect.any(String));
    const styles = body.facets.style as { value: string; count: number }[];
    expect(styles.reduce((n, s) => n + s.count, 0)).toBeGreaterThan(1);
    expect(body.facets.tags).toEqual(expect.arrayContaining([{ value: 'art', count: expect.any(Number) }]));
  });

  it('lists the register newest first and pages through all of it without repeats or gaps', async () => {
    await publish({ title: 'Hidden draft', published: false });
    await publish({ title: 'Gone offline', status: 'offline' });
    const listed = await t.deps.pool.query<{ id: string }>(
      `select id from courses where published and status = 'online' order by created_at desc, id desc`,
    );
    const seen: string[] = [];
    let url = '/api/v1/courses?limit=3&facets=false';
    for (let i = 0; i < 50 && url; i++) {
      const page = (await t.app.inject({ url })).json();
      seen.push(...page.data.map((c: { id: string }) => c.id));
      url = page.next_cursor ? `/api/v1/courses?limit=3&facets=false&cursor=${page.next_cursor}` : '';
    }
    expect(seen).toEqual(listed.rows.map((r) => r.id));
    const misused = (await t.app.inject({ url: '/api/v1/courses?limit=1' })).json().next_cursor;
    const wrongMode = await t.app.inject({ url: `/api/v1/courses?q=art&cursor=${misused}` });
    expect(wrongMode.statusCode).toBe(400);
  });

  it('answers a misspelling with the closest titles and their facets, on one page', async () => {
    const res = await t.app.inject({ url: '/api/v1/courses?q=quaternoin%20gymnastix' });
    const body = res.json();
    expect(body.fuzzy).toBe(true);
    expect(body.data[0].title).toBe('Quaternion gymnastics');
    expect(body.next_cursor).toBeNull();
    expect(body.facets.language).toEqual([{ value: 'fr', count: 1 }]);
    const nothing = await t.app.inject({ url: '/api/v1/courses?q=xqzv%20wwkj' });
    expect(nothing.json()).toMatchObject({ data: [], fuzzy: false, next_cursor: null });
  });
});
