import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { MASTER } from '../dialects/badgekit/badgekit.testing.ts';
import { createInstitution } from '../modules/courses/index.ts';
import { createProgram } from '../modules/events/index.ts';

// Defect 1 of issue 15 (and what the fuzz suite found next to it): a NUL reached PostgreSQL (`invalid byte sequence for encoding "UTF8": 0x00`) and
// answered 500 on 97 operations. Each surface now refuses it with a 400 in its own error shape.
let t: TestApp;
let operator: string;
let institutionAuth: string;
let programAuth: string;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(async () => {
  t = await buildTestApp({ env: { BADGEKIT_MASTER_SECRET: MASTER } });
  operator = `Bearer ${await t.operatorToken()}`;
  const institution = await createInstitution(t.deps, { path: 'nulInstitute', name: 'NUL Institute' });
  institutionAuth = basic(institution.apiUsername, institution.apiPassword);
  const key = await createProgram(t.deps, { id: 'NUL', name: 'NUL Program' });
  programAuth = basic(key.user_id, key.api_key);
});
afterAll(async () => {
  await t.close();
});

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.statusCode).toBe(400);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status: 400, code: 'request.nul_byte' });
}

describe('a NUL character anywhere in a request', () => {
  it('is refused with problem+json in a native query value', async () => {
    expectProblem(await t.app.inject({ url: '/api/v1/courses?q=%00' }));
  });

  it('is refused with problem+json in a native path segment, with or without credentials', async () => {
    expectProblem(await t.app.inject({ url: '/api/v1/users/%00' }));
    expectProblem(await t.app.inject({ url: '/api/v1/users/a%00b', headers: { authorization: operator } }));
  });

  it('is refused with problem+json in a JSON string and stores no app', async () => {
    const before = await t.deps.pool.query('select count(*)::int as n from oauth_apps');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers: { authorization: operator, 'content-type': 'application/json' },
      payload: '{"name":"a\\u0000b","redirect_uris":["https://nul.example/cb"]}',
    });
    expectProblem(res);
    const after = await t.deps.pool.query('select count(*)::int as n from oauth_apps');
    expect(after.rows).toEqual(before.rows);
  });

  it('is refused in a JSON object key', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers: { authorization: operator, 'content-type': 'application/json' },
      payload: '{"name":"ok","redirect_uris":["https://nul.example/cb"],"x\\u0000":1}',
    });
    expectProblem(res);
  });

  it('answers a page path with an HTML 400 for a browser', async () => {
    const res = await t.app.inject({ url: '/u/%00', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('request.nul_byte');
  });

  it('is refused on Open Badges documents', async () => {
    expectProblem(await t.app.inject({ url: '/ob/v2/badges/%00' }));
    expectProblem(await t.app.inject({ url: '/ob/v2/assertions/x%00' }));
  });

  it('is refused in the BadgeKit shape on public slugs', async () => {
    for (const url of ['/badgekit/public/assertions/%00', '/badgekit/public/systems/%00/badges/x']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: 'BadRequest', message: expect.stringContaining('NUL') });
    }
  });

  it('is refused in the OpenLearning shape in a query value and a form field', async () => {
    const query = await t.app.inject({
      url: '/openlearning/api/institution/enrolments?institution=%00',
      headers: { authorization: institutionAuth },
    });
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ success: false, code: 'request.nul_byte' });
    const form = await t.app.inject({
      method: 'POST',
      url: '/openlearning/api/institution/invite',
      headers: { authorization: institutionAuth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'institution=nulInstitute&email=a%00@example.org',
    });
    expect(form.statusCode).toBe(400);
    expect(form.json()).toMatchObject({ success: false, code: 'request.nul_byte' });
  });

  it('is refused in the Event Store shape in an event type name and an event body', async () => {
    const type = await t.app.inject({
      url: '/eventstore/event-types/a%00b',
      headers: { authorization: programAuth },
    });
    expect(type.statusCode).toBe(400);
    expect(type.json()).toEqual({ error: { code: 'request.nul_byte', message: expect.any(String) } });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/events/NUL-1',
      headers: { authorization: programAuth, 'content-type': 'application/json' },
      payload:
        '{"ProgramId":"NUL","ProgramMemberId":"a\\u0000","EventType":"t","EventStartUTC":"2026-03-01T10:00:00Z"}',
    });
    expect(put.statusCode).toBe(400);
    expect(put.json()).toMatchObject({ error: { code: 'request.nul_byte' } });
    const stored = await t.deps.pool.query('select count(*)::int as n from stored_events');
    expect(stored.rows[0]).toEqual({ n: 0 });
  });
});

describe('a path the router cannot decode or would cut short (found by the fuzz suite)', () => {
  it('refuses malformed percent-escapes in a native path with problem+json, not the router JSON', async () => {
    for (const segment of ['%zz', '%ff', '%ED%A0%80', '%C0%AE', '%E0%A4%A']) {
      const res = await t.app.inject({
        url: `/api/v1/users/${segment}`,
        headers: { authorization: operator },
      });
      expect(res.statusCode, segment).toBe(400);
      expect(res.headers['content-type'], segment).toMatch(/^application\/problem\+json/);
      expect(res.json(), segment).toMatchObject({ status: 400, code: 'request.bad_url' });
    }
  });

  it('refuses malformed percent-escapes in each dialect in its own shape', async () => {
    const ol = await t.app.inject({
      url: '/openlearning/api/course/status/%zz',
      headers: { authorization: institutionAuth },
    });
    expect(ol.statusCode).toBe(400);
    expect(ol.json()).toMatchObject({ success: false, code: 'request.bad_url' });
    const bk = await t.app.inject({ url: '/badgekit/public/systems/%ff' });
    expect(bk.statusCode).toBe(400);
    expect(bk.json()).toEqual({ code: 'BadRequest', message: expect.any(String) });
    const es = await t.app.inject({
      url: '/eventstore/events/NUL-%zz',
      headers: { authorization: programAuth },
    });
    expect(es.statusCode).toBe(400);
    expect(es.json()).toMatchObject({ error: { code: 'request.bad_url' } });
  });

  it('answers a path parameter longer than 100 characters through the route, in its own shape', async () => {
    const long = 'x'.repeat(300);
    const native = await t.app.inject({
      url: `/api/v1/webhooks/${long}/deliveries/${long}`,
      headers: { authorization: operator },
    });
    expect(native.statusCode).toBeLessThan(500);
    expect(native.headers['content-type']).toMatch(/^application\/problem\+json/);
    const bk = await t.app.inject({ url: `/badgekit/public/systems/${long}` });
    expect(bk.statusCode).toBe(400);
    expect(bk.json()).toMatchObject({ code: 'ValidationError' });
  });
});
