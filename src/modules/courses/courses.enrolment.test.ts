import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { User } from '../identity/index.ts';
import { appWithToken, eventsOfType, person, signedIn } from './courses.testing.ts';
import { isCourseAdmin, listActiveMemberIds, resolveCourseRef } from './index.ts';

let t: TestApp;
let owner: { appId: string; authorization: string };
let stranger: { appId: string; authorization: string };
let ana: User;
let ben: User;
let courseId: string;
const classes: Record<string, string> = {};

async function addClass(body: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/courses/enrol-me/classes',
    headers: { authorization: owner.authorization },
    payload: body,
  });
  return res;
}

beforeAll(async () => {
  t = await buildTestApp();
  owner = await appWithToken(t, 'Owner');
  stranger = await appWithToken(t, 'Stranger');
  ana = await person(t, 'ana');
  ben = await person(t, 'ben');
  const course = await t.app.inject({
    method: 'POST',
    url: '/api/v1/courses',
    headers: { authorization: owner.authorization },
    payload: { title: 'Enrol me', path: 'enrol-me' },
  });
  courseId = course.json().id;
  for (const [key, body] of Object.entries({
    open: { title: 'Open class', type: 'open' },
    code: { title: 'Code class', type: 'requires-activation-code', activation_code: 'My Secret Code' },
    invite: { title: 'Invite class', type: 'invite-only' },
    closed: { title: 'Closed class', type: 'closed' },
  })) {
    const res = await addClass(body);
    expect(res.statusCode).toBe(201);
    classes[key] = res.json().id;
  }
});
afterAll(async () => {
  await t.close();
});

describe('enrolment', () => {
  it('refuses a class type outside the four, a bad price and a bad currency, adding nothing', async () => {
    const type = await addClass({ title: 'Weird', type: 'secret' });
    expect(type.statusCode).toBe(400);
    expect(type.json().detail).toContain('type');
    const price = await addClass({ title: 'Paid', is_billed: true, price: 'twelve', currency: 'USD' });
    expect(price.statusCode).toBe(400);
    expect(price.json().detail).toContain('studentPrice');
    const currency = await addClass({ title: 'Paid', is_billed: true, price: '12.00', currency: 'dollars' });
    expect(currency.statusCode).toBe(400);
    const list = await t.app.inject({ url: '/api/v1/courses/enrol-me/classes' });
    expect(list.json().data).toHaveLength(4);
    expect(JSON.stringify(list.json())).not.toContain('My Secret Code');
  });

  it('lets a signed-in person join an open class, once, with an enrolment.created event', async () => {
    const browser = await signedIn(t, ana);
    const join = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/courses/enrol-me/members',
        headers: { cookie: browser.cookieHeader() },
        payload: { class_id: classes.open },
      });
    const first = await join();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ user_id: ana.id, status: 'active', progress: 0 });
    expect((await join()).statusCode).toBe(200);
    const created = await eventsOfType(t, 'enrolment.created');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      user: { id: ana.id, username: 'ana', email: ana.email, profile_url: 'http://hub.test/u/ana' },
      course: { id: courseId, path: 'enrol-me' },
      app_ids: [owner.appId],
    });
  });

  it('needs the right activation code, an invitation for invite-only, and refuses closed classes', async () => {
    const browser = await signedIn(t, ben);
    const join = (payload: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/courses/enrol-me/members',
        headers: { cookie: browser.cookieHeader() },
        payload,
      });
    const wrong = await join({ class_id: classes.code ?? '', activation_code: 'guess' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('courses.bad_activation_code');
    expect((await join({ class_id: classes.invite ?? '' })).json().code).toBe('courses.invite_only');
    expect((await join({ class_id: classes.closed ?? '' })).json().code).toBe('courses.class_closed');
    const right = await join({ class_id: classes.code ?? '', activation_code: 'My Secret Code' });
    expect(right.statusCode).toBe(201);
  });

  it('lists members to the owning app only, paged by user id', async () => {
    const refused = await t.app.inject({
      url: '/api/v1/courses/enrol-me/members',
      headers: { authorization: stranger.authorization },
    });
    expect(refused.statusCode).toBe(403);
    const first = await t.app.inject({
      url: '/api/v1/courses/enrol-me/members?limit=1',
      headers: { authorization: owner.authorization },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toHaveLength(1);
    const second = await t.app.inject({
      url: `/api/v1/courses/enrol-me/members?limit=1&cursor=${first.json().next_cursor}`,
      headers: { authorization: owner.authorization },
    });
    expect(second.json().data).toHaveLength(1);
    expect(second.json().data[0].user_id).not.toBe(first.json().data[0].user_id);
    const ids = await listActiveMemberIds(t.deps, courseId, { limit: 10 });
    expect(ids).toEqual([ana.id, ben.id].sort());
  });

  it('refuses a forged members cursor that is not a user id with 400 (issue 15, defect 6)', async () => {
    const forged = Buffer.from(JSON.stringify(['not-a-uuid'])).toString('base64url');
    const res = await t.app.inject({
      url: `/api/v1/courses/enrol-me/members?cursor=${forged}`,
      headers: { authorization: owner.authorization },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 'courses.invalid_input' });
  });

  it('records progress and completes once, by the owning app only', async () => {
    const url = `/api/v1/courses/enrol-me/members/${ana.username}/progress`;
    const refused = await t.app.inject({
      method: 'PUT',
      url,
      headers: { authorization: stranger.authorization },
      payload: { progress: 100 },
    });
    expect(refused.statusCode).toBe(403);
    const half = await t.app.inject({
      method: 'PUT',
      url,
      headers: { authorization: owner.authorization },
      payload: { progress: 50 },
    });
    expect(half.json().progress).toBe(50);
    for (let i = 0; i < 2; i++) {
      const done = await t.app.inject({
        method: 'PUT',
        url,
        headers: { authorization: owner.authorization },
        payload: { completed: true },
      });
      expect(done.json().completed_at).not.toBeNull();
    }
    const completed = await eventsOfType(t, 'course.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      user: { id: ana.id },
      course: { id: courseId },
      app_ids: [owner.appId],
    });
  });

  it('lets a member leave, with enrolment.dropped', async () => {
    const browser = await signedIn(t, ben);
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/courses/enrol-me/members/${ben.id}`,
      headers: { cookie: browser.cookieHeader() },
    });
    expect(res.statusCode).toBe(204);
    expect(await eventsOfType(t, 'enrolment.dropped')).toHaveLength(1);
    expect(await listActiveMemberIds(t.deps, courseId, { limit: 10 })).toEqual([ana.id]);
  });

  it('answers the contract: resolveCourseRef by id, path and URL; isCourseAdmin for the owner only', async () => {
    for (const ref of [courseId, 'enrol-me', 'http://hub.test/courses/enrol-me']) {
      expect((await resolveCourseRef(t.deps, ref))?.id).toBe(courseId);
    }
    expect(await resolveCourseRef(t.deps, 'http://elsewhere.test/courses/enrol-me')).toBeUndefined();
    const app = { kind: 'app', appId: owner.appId, scopes: [] } as const;
    const other = { kind: 'app', appId: stranger.appId, scopes: [] } as const;
    expect(await isCourseAdmin(t.deps, courseId, app)).toBe(true);
    expect(await isCourseAdmin(t.deps, courseId, other)).toBe(false);
    expect(await isCourseAdmin(t.deps, courseId, { kind: 'user', userId: ana.id, admin: false })).toBe(false);
  });
});
