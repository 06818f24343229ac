import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, formOf } from '../../../test/support/web.ts';
import type { User } from '../identity/index.ts';
import { createClass } from './courses.classes.ts';
import { appWithToken, person, signedIn } from './courses.testing.ts';
import { type Course, createCourse } from './courses.usecases.ts';

// The course pages for people: readable URLs, the course page's facts and related courses, the sign-up
// form's errors on the page, and the register's count, facets and paging.
let t: TestApp;
let mooc: { appId: string; authorization: string };
let sogta: { id: string; path: string; url: string };
let organiser: User;
let learner: User;
let userCourse: Course;

async function put(authorization: string, code: string, payload: object) {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/courses/${code}`,
    headers: { authorization },
    payload,
  });
  expect([200, 201]).toContain(res.statusCode);
  return res.json<{ id: string; path: string; url: string }>();
}

const html = (url: string, cookie = '') =>
  t.app.inject({ url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });

beforeAll(async () => {
  t = await buildTestApp({ logLevel: 'error' });
  mooc = await appWithToken(t, 'Mooc');
  const other = await appWithToken(t, 'Other');
  organiser = await person(t, 'olga');
  learner = await person(t, 'lena');
  sogta = await put(mooc.authorization, 'SOGTA', {
    title: 'The study of geographic and temporal art as encountered in urban environments',
    description: 'Walk the city **weekly** and look at it as a gallery.\n\n<script>alert(1)</script>',
    tags: ['art', 'geo-art'],
    'course-style': 'MOOC',
    language: 'en',
    start_date: '2027-03-01T00:00:00Z',
    end_date: '2027-05-31T00:00:00Z',
  });
  await put(mooc.authorization, 'ART101', { title: 'Art 101 by Mooc', tags: ['art'] });
  await put(other.authorization, 'ART101', { title: 'Art 101 by Other', tags: ['painting'] });
  await put(other.authorization, 'RIVERS', { title: 'Geography of rivers', tags: ['geography'] });
  userCourse = await createCourse(
    t.deps,
    { kind: 'user', userId: organiser.id, admin: false },
    {
      title: 'Sketching the street',
      tags: ['art', 'drawing'],
      description: 'Pencils out.',
    },
  );
  const owner = { kind: 'user', userId: organiser.id, admin: false } as const;
  await createClass(t.deps, owner, userCourse, {
    title: 'Evening class',
    type: 'requires-activation-code',
    activationCode: 'OPEN-SESAME',
  });
  await createClass(t.deps, owner, userCourse, { title: 'Full class', type: 'closed' });
  for (let i = 0; i < 23; i++)
    await put(other.authorization, `BULK${i}`, { title: `Bulk course ${i}`, tags: ['bulk'], language: 'fr' });
});
afterAll(async () => {
  await t.close();
});

describe('course URLs', () => {
  it('serves a course at its shortcode and sends the old path and other cases there with a 301', async () => {
    const page = await html('/courses/SOGTA');
    expect(page.statusCode).toBe(200);
    for (const old of [`/courses/${sogta.path}`, '/courses/sogta', '/courses/Sogta']) {
      const res = await html(old);
      expect(res.statusCode, old).toBe(301);
      expect(res.headers.location).toBe('/courses/SOGTA');
    }
    const withQuery = await html(`/courses/${sogta.path}?joined=1`);
    expect(withQuery.headers.location).toBe('/courses/SOGTA?joined=1');
  });

  it('keeps the API and its course url unchanged', async () => {
    const res = await t.app.inject({
      url: `/api/v1/courses/${sogta.id}`,
      headers: { authorization: mooc.authorization },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toBe(`http://hub.test/courses/${sogta.path}`);
  });

  it('offers a choice when two owners use one shortcode, and keeps each course at its path', async () => {
    const res = await html('/courses/art101');
    expect(res.statusCode).toBe(300);
    const links = [...res.body.matchAll(/<a href="(\/courses\/[^"]+)">Art 101 by (\w+)/g)];
    expect(links.map((l) => l[2]).sort()).toEqual(['Mooc', 'Other']);
    for (const [, href] of links) expect((await html(href ?? '')).statusCode).toBe(200);
  });

  it('keeps a course without a shortcode at its path and answers 404 for an unknown one', async () => {
    expect((await html(`/courses/${userCourse.path}`)).statusCode).toBe(200);
    const missing = await html('/courses/no-such-course');
    expect(missing.statusCode).toBe(404);
  });
});

describe('the course page', () => {
  it('renders the description as sanitised Markdown with dates, organiser, language, style and tags', async () => {
    const body = (await html('/courses/SOGTA')).body;
    expect(body).toContain('<strong>weekly</strong>');
    expect(body).not.toContain('**weekly**');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('1 March 2027');
    expect(body).toContain('31 May 2027');
    expect(body).toMatch(/Organiser<\/dt><dd>.*Mooc/s);
    expect(body).toContain('href="/courses?language=en"');
    expect(body).toContain('href="/courses?style=MOOC"');
    expect(body).toContain('href="/courses?tags=geo-art"');
  });

  it('links the organiser of a user-owned course to their profile', async () => {
    const body = (await html(`/courses/${userCourse.path}`)).body;
    expect(body).toContain('href="/u/olga"');
  });

  it('lists related courses by shared tag or organiser, without the course itself, at most six', async () => {
    const body = (await html('/courses/SOGTA')).body;
    const related = body.slice(body.indexOf('id="related-heading"'));
    expect(related).toContain('Sketching the street');
    expect(related).toContain('Art 101 by Mooc');
    expect(related).not.toContain('The study of geographic');
    expect(related).not.toContain('Geography of rivers');
    expect([...related.matchAll(/<li>/g)].length).toBeLessThanOrEqual(6);
  });

  it('finds shortcodes and related courses through their indexes (EXPLAIN)', async () => {
    const client = await t.deps.pool.connect();
    try {
      await client.query('begin');
      // The test table is tiny; without this the planner rightly prefers a scan, which says nothing.
      await client.query('set local enable_seqscan = off');
      const plan = async (sql: string, values: unknown[]) =>
        (await client.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, values)).rows
          .map((r) => r['QUERY PLAN'])
          .join('\n');
      expect(await plan('select id from courses where lower(shortcode) = lower($1)', ['sogta'])).toContain(
        'courses_shortcode_lower_idx',
      );
      expect(
        await plan(
          `select id from courses where tags && $1::text[] and id <> $2 and published and status = 'online' limit 200`,
          [['art'], sogta.id],
        ),
      ).toContain('courses_tags_idx');
      await client.query('rollback');
    } finally {
      client.release();
    }
  });
});

describe('class sign-up on the course page', () => {
  const page = () => `/courses/${userCourse.path}`;

  it('sends a visitor to sign in and back', async () => {
    const res = await new Browser(t.app).post(`${page()}/join`, { class_id: '' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/login?return_to=${encodeURIComponent(page())}`);
  });

  it('keeps a wrong activation code on the page, next to the field, with 403 and the values kept', async () => {
    const browser = await signedIn(t, learner);
    const form = formOf((await browser.get(page())).body, `${page()}/join`);
    const classId = /name="class_id" value="([^"]+)"/.exec((await browser.get(page())).body)?.[1] ?? '';
    const res = await browser.post(form.action, {
      ...form.hidden,
      class_id: classId,
      activation_code: 'WRONG-ONE',
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('id="activation_code-error"');
    expect(res.body).toContain('That activation code is not right');
    expect(res.body).toContain('value="WRONG-ONE"');
    expect(res.body).toMatch(new RegExp(`value="${classId}" checked`));
    expect(res.body).toContain('<h1>Sketching the street</h1>');
    expect(res.body).not.toContain('Error code');
    const members = await t.deps.pool.query('select 1 from course_memberships where course_id = $1', [
      userCourse.id,
    ]);
    expect(members.rowCount).toBe(0);

    const right = await browser.post(form.action, {
      ...form.hidden,
      class_id: classId,
      activation_code: 'OPEN-SESAME',
    });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe(`${page()}?joined=1`);
    const again = await browser.post(form.action, {
      ...form.hidden,
      class_id: classId,
      activation_code: 'OPEN-SESAME',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('You had already joined this course.');
  });

  it('refuses a closed (full) class and a forged class next to the class choice', async () => {
    const browser = await signedIn(t, await person(t, 'cleo'));
    const form = formOf((await browser.get(page())).body, `${page()}/join`);
    const closed = await t.deps.pool.query<{ id: string }>(
      `select id from course_classes where course_id = $1 and type = 'closed'`,
      [userCourse.id],
    );
    const full = await browser.post(form.action, { ...form.hidden, class_id: closed.rows[0]?.id ?? '' });
    expect(full.statusCode).toBe(403);
    expect(full.body).toContain('id="class_id-error"');
    expect(full.body).toContain('closed or full');
    const forged = await browser.post(form.action, {
      ...form.hidden,
      class_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('Choose one of the classes listed.');
  });

  it('answers a form without its CSRF token on the page with 403, changing nothing', async () => {
    const browser = await signedIn(t, await person(t, 'carl'));
    const res = await browser.post(`${page()}/join`, { class_id: '', activation_code: 'OPEN-SESAME' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('The form was out of date');
    expect(res.body).toContain('value="OPEN-SESAME"');
  });
});

describe('the register page', () => {
  it('keeps the query, counts every match and shows facets as a sidebar and a disclosure', async () => {
    const res = await html('/courses?q=geographic+art');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('value="geographic art"');
    expect(res.body).toMatch(/id="result-count"[^>]*>\d+ courses? match “geographic art”/);
    expect(res.body).toContain('class="facets-side"');
    expect(res.body).toContain('<details class="facets-mobile">');
  });

  it('pages twenty at a time with a count of all matches, and back to the first page', async () => {
    const first = await html('/courses?tags=bulk');
    expect(first.body).toContain('>23 courses<');
    const next = /href="([^"]+)" rel="next"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(next).toContain('cursor=');
    const second = await html(next);
    expect(second.statusCode).toBe(200);
    expect([...second.body.matchAll(/<li><h2><a href=/g)].length).toBe(3);
    expect(second.body).toContain('href="/courses?tags=bulk">← First page');
  });

  it('answers a forged page link with 400 and the first page, and a too-long query with 400 next to the box', async () => {
    const forged = await html('/courses?tags=bulk&cursor=not-a-cursor');
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('That page link is damaged');
    expect(forged.body).toContain('>23 courses<');
    const long = await html(`/courses?q=${'a'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('id="q-error"');
    expect(long.body).toContain(`value="${'a'.repeat(201)}"`);
  });

  it('ignores unknown parameters and links courses at their readable URLs', async () => {
    const res = await html('/courses?q=geographic&utm_source=mail');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/courses/SOGTA"');
  });
});
