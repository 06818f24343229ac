import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { installErrorHandlers } from '../http/errors.ts';
import { createCourse, getCourseById, joinCourse } from '../modules/courses/index.ts';
import { messagingWorld } from '../modules/messaging/messaging.testing.ts';

// The site shell: one URL answers a browser with a page and a program with its wire shape; the header knows
// who is signed in; the home page is a landing page or a dashboard.
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let t: TestApp;
let w: Awaited<ReturnType<typeof messagingWorld>>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await messagingWorld(t);
});
afterAll(async () => {
  await t.close();
});

function get(url: string, options: { accept?: string; cookie?: string } = {}) {
  return t.app.inject({
    method: 'GET',
    url,
    headers: {
      ...(options.accept ? { accept: options.accept } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
  });
}

describe('errors, negotiated', () => {
  it('answers an unknown page address with an HTML 404 for a browser and problem+json for a program', async () => {
    const page = await get('/courses/x/nothing-here', { accept: HTML });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Page not found');
    expect(page.body).toContain('href="/courses"');
    expect(page.body).toContain('route.not_found');

    const api = await get('/courses/x/nothing-here', { accept: 'application/json' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.json()).toMatchObject({ status: 404, code: 'route.not_found' });
  });

  it('sends a signed-out browser to sign in and back, and tells a program 401', async () => {
    const page = await get('/admin/mail?limit=5', { accept: HTML });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/login?return_to=${encodeURIComponent('/admin/mail?limit=5')}`);

    const api = await get('/admin/mail?limit=5');
    expect(api.statusCode).toBe(401);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('shows a signed-in learner a 403 page on an admin page, with a way home, and a program 403 problem', async () => {
    const alice = await w.signIn('alice');
    const cookie = alice.cookieHeader();
    const page = await get('/admin/mail', { accept: HTML, cookie });
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('You do not have access to this page');
    expect(page.body).toContain('href="/"');

    const api = await get('/admin/mail', { cookie });
    expect(api.statusCode).toBe(403);
    expect(api.json()).toMatchObject({ status: 403 });
  });

  it('answers a wrong method on a page with an HTML 405 keeping the Allow header', async () => {
    const page = await get('/logout', { accept: HTML });
    expect(page.statusCode).toBe(405);
    expect(page.headers.allow).toContain('POST');
    expect(page.body).toContain('does not work that way');
  });

  it('keeps the wire shapes of the API and the dialects even for a browser', async () => {
    for (const url of ['/api/v1/nothing', '/api/v1/admin/mail']) {
      const res = await get(url, { accept: HTML });
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    const eventstore = await get('/eventstore/nothing', { accept: HTML });
    expect(eventstore.statusCode).toBe(404);
    expect(eventstore.headers['content-type']).not.toMatch(/text\/html/);
    const peerscholar = await get('/peerscholar/v1/nothing', { accept: HTML });
    expect(peerscholar.headers['content-type']).not.toMatch(/text\/html/);
    const ob = await get('/ob/v2/assertions/nothing', { accept: 'application/ld+json, text/html;q=0.5' });
    expect(ob.headers['content-type']).not.toMatch(/text\/html/);
  });

  it('hides the cause of a 500 from the page', async () => {
    const app = Fastify();
    installErrorHandlers(app);
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    const res = await app.inject({ method: 'GET', url: '/boom', headers: { accept: HTML } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Something went wrong on our side');
    expect(res.body).not.toContain('hunter2');
    await app.close();
  });
});

describe('icons, manifest, guides and the API reference', () => {
  it('serves a favicon.ico, an SVG icon and a manifest that the layout links', async () => {
    const ico = await get('/favicon.ico', { accept: 'image/avif,image/webp,*/*' });
    expect(ico.statusCode).toBe(200);
    expect(ico.headers['content-type']).toBe('image/x-icon');
    expect([...ico.rawPayload.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    const svg = await get('/icon.svg');
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const manifest = await get('/manifest.webmanifest');
    expect(manifest.json()).toMatchObject({ name: 'Learnhub', start_url: '/' });
    const page = await get('/login', { accept: HTML });
    for (const href of ['/favicon.ico', '/icon.svg', '/manifest.webmanifest']) {
      expect(page.body).toContain(`href="${href}"`);
    }
  });

  it('serves the guides as pages, linking guides to each other', async () => {
    const index = await get('/guides', { accept: HTML });
    expect(index.body).toContain('href="/guides/webhooks"');
    const guide = await get('/guides/oauth', { accept: HTML });
    expect(guide.statusCode).toBe(200);
    expect(guide.body).toContain('<h1>');
    const missing = await get('/guides/nope', { accept: HTML });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('href="/guides"');
  });

  it('gives the Swagger UI a logo that links back to the site', async () => {
    const init = await get('/docs/static/swagger-initializer.js');
    expect(init.body).toContain("img.href = '/'");
  });
});

describe('the header and the home page', () => {
  it('shows a visitor Courses, Sign in and Create account, and no account links, on a 404 too', async () => {
    for (const url of ['/', '/nothing-here']) {
      const page = await get(url, { accept: HTML });
      expect(page.body, url).toContain('href="/login"');
      expect(page.body, url).toContain('href="/signup"');
      expect(page.body, url).toContain('href="/courses"');
      expect(page.body, url).not.toContain('href="/inbox"');
      expect(page.body, url).not.toMatch(/>Account</);
    }
    const landing = await get('/', { accept: HTML });
    expect(landing.body).toContain('action="/courses"');
    expect(landing.body).toContain('name="q"');
    expect(landing.body).toContain('class="skip-link"');
  });

  it('shows a signed-in person their name, Inbox with the unread count and a sign-out form', async () => {
    const sent = await w.send({
      user_profile: 'http://hub.test/u/alice',
      subject: 'Week 1',
      content: 'Hello',
    });
    expect(sent.statusCode).toBe(201);
    const alice = await w.signIn('alice');
    const page = await get('/courses', { accept: HTML, cookie: alice.cookieHeader() });
    expect(page.body).toMatch(
      /href="\/inbox"[^>]*>Inbox<span class="count">\d+<span class="visually-hidden"> unread/,
    );
    expect(page.body).toContain('alice');
    expect(page.body).toContain('action="/logout"');
    expect(page.body).not.toContain('href="/signup"');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it("shows a signed-in person's dashboard: their course and class, messages and where to find more", async () => {
    const alice = await w.signIn('alice');
    const { rows } = await t.deps.pool.query<{ id: string }>("select id from users where username = 'alice'");
    const aliceId = rows[0]?.id ?? '';
    const bobId = (await t.deps.pool.query<{ id: string }>("select id from users where username = 'bob'"))
      .rows[0]?.id;
    const course = await createCourse(
      t.deps,
      { kind: 'user', userId: bobId ?? '', admin: false },
      { title: 'Open education basics', path: 'oeb' },
    );
    await joinCourse(t.deps, { kind: 'user', userId: aliceId, admin: false }, course, {});
    expect(await getCourseById(t.deps, course.id)).toBeDefined();

    const home = await get('/', { accept: HTML, cookie: alice.cookieHeader() });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Welcome back, Alice Adams');
    expect(home.body).toContain('Open education basics');
    expect(home.body).toContain('Week 1');
    expect(home.body).toContain('Latest badges');
    expect(home.body).toContain('Recent activity around you');

    const bob = await w.signIn('bob');
    const bobHome = await get('/', { accept: HTML, cookie: bob.cookieHeader() });
    expect(bobHome.body).toContain('Courses you run');
  });
});
