import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { User } from '../identity/index.ts';
import { appWithToken, eventsOfType, person, signedIn } from './courses.testing.ts';
import { isCourseAdmin, listActiveMemberIds, resolveCourseRef } from './index.ts';

// Each case makes the course (with its four classes) and the memberships it needs, so any case runs alone.
let t: TestApp;
let owner: { appId: string; authorization: string };
let stranger: { appId: string; authorization: string };
let ana: User;
let ben: User;

interface TestCourse {
  readonly id: string;
  readonly path: string;
  /** Class ids by kind: open, code (activation code "My Secret Code"), invite, closed. */
  readonly classes: Readonly<Record<'open' | 'code' | 'invite' | 'closed', string>>;
}

function addClass(path: string, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/courses/${path}/classes`,
    headers: { authorization: owner.authorization },
    payload: body,
  });
}

async function courseWithClasses(path: string): Promise<TestCourse> {
  const course = await t.app.inject({
    method: 'POST',
    url: '/api/v1/courses',
    headers: { authorization: owner.authorization },
    payload: { title: `Course ${path}`, path },
  });
  expect(course.statusCode).toBe(201);
  const classes: Record<string, string> = {};
  for (const [key, body] of Object.entries({
    open: { title: 'Open class', type: 'open' },
    code: { title: 'Code class', type: 'requires-activation-code', activation_code: 'My Secret Code' },
    invite: { title: 'Invite class', type: 'invite-only' },
    closed: { title: 'Closed class', type: 'closed' },
  })) {
    const res = await addClass(path, body);
    expect(res.statusCode).toBe(201);
    classes[key] = res.json().id;
  }
  const { open = '', code = '', invite = '', closed = '' } = classes;
  return { id: course.json().id, path, classes: { open, code, invite, closed } };
}

async function joinAs(user: User, course: TestCourse, payload: Record<string, string>) {
  const browser = await signedIn(t, user);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/courses/${course.path}/members`,
    headers: { cookie: browser.cookieHeader() },
    payload,
  });
}

/** The events of one type about one course (other cases add their own). */
async function courseEvents(type: string, courseId: string) {
  return (await eventsOfType(t, type)).filter(
    (e) => (e.course as { id?: string } | undefined)?.id === courseId,
  );
}

beforeAll(async () => {
  t = await buildTestApp();
  owner = await appWithToken(t, 'Owner');
  stranger = await appWithToken(t, 'Stranger');
  ana = await person(t, 'ana');
  ben = await person(t, 'ben');
});
afterAll(async () => {
  await t.close();
});

describe('enrolment', () => {
  it('refuses a class type outside the four, a bad price and a bad currency, adding nothing', async () => {
    await courseWithClasses('enrol-refuse');
    const addClass2 = (b: Record<string, unknown>) => addClass('enrol-refuse', b);
    const type = await addClass2({ title: 'Weird', type: 'secret' });
    expect(type.statusCode).toBe(400);
    expect(type.json().detail).toContain('type');
    const price = await addClass2({ title: 'Paid', is_billed: true, price: 'twelve', currency: 'USD' });
    expect(price.statusCode).toBe(400);
    expect(price.json().detail).toContain('studentPrice');
    const currency = await addClass2({ title: 'Paid', is_billed: true, price: '12.00', currency: 'dollars' });
    expect(currency.statusCode).toBe(400);
    const list = await t.app.inject({ url: '/api/v1/courses/enrol-refuse/classes' });
    expect(list.json().data).toHaveLength(4);
    expect(JSON.stringify(list.json())).not.toContain('My Secret Code');
  });

  it('lets a signed-in person join an open class, once, with an enrolment.created event', async () => {
    const course = await courseWithClasses('join-open');
    const join = () => joinAs(ana, course, { class_id: course.classes.open });
    const first = await join();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ user_id: ana.id, status: 'active', progress: 0 });
    expect((await join()).statusCode).toBe(200);
    const created = await courseEvents('enrolment.created', course.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      user: { id: ana.id, username: 'ana', email: ana.email, profile_url: 'http://hub.test/u/ana' },
      course: { id: course.id, path: 'join-open' },
      app_ids: [owner.appId],
    });
  });

  it('needs the right activation code, an invitation for invite-only, and refuses closed classes', async () => {
    const course = await courseWithClasses('join-rules');
    const { classes } = course;
    const join = (payload: Record<string, string>) => joinAs(ben, course, payload);
    const wrong = await join({ class_id: classes.code, activation_code: 'guess' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('courses.bad_activation_code');
    expect((await join({ class_id: classes.invite })).json().code).toBe('courses.invite_only');
    expect((await join({ class_id: classes.closed })).json().code).toBe('courses.class_closed');
    const right = await join({ class_id: classes.code, activation_code: 'My Secret Code' });
    expect(right.statusCode).toBe(201);
  });

  it('lists members to the owning app only, paged by user id', async () => {
    const course = await courseWithClasses('members-list');
    for (const user of [ana, ben]) {
      expect((await joinAs(user, course, { class_id: course.classes.open })).statusCode).toBe(201);
    }
    const refused = await t.app.inject({
      url: '/api/v1/courses/members-list/members',
      headers: { authorization: stranger.authorization },
    });
    expect(refused.statusCode).toBe(403);
    const first = await t.app.inject({
      url: '/api/v1/courses/members-list/members?limit=1',
      headers: { authorization: owner.authorization },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toHaveLength(1);
    const second = await t.app.inject({
      url: `/api/v1/courses/members-list/members?limit=1&cursor=${first.json().next_cursor}`,
      headers: { authorization: owner.authorization },
    });
    expect(second.json().data).toHaveLength(1);
    expect(second.json().data[0].user_id).not.toBe(first.json().data[0].user_id);
    const ids = await listActiveMemberIds(t.deps, course.id, { limit: 10 });
    expect(ids).toEqual([ana.id, ben.id].sort());
  });

  it('refuses a forged members cursor that is not a user id with 400 (issue 15, defect 6)', async () => {
    await courseWithClasses('forged-cursor');
    const forged = Buffer.from(JSON.stringify(['not-a-uuid'])).toString('base64url');
    const res = await t.app.inject({
      url: `/api/v1/courses/forged-cursor/members?cursor=${forged}`,
      headers: { authorization: owner.authorization },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 'courses.invalid_input' });
  });

  it('records progress and completes once, by the owning app only', async () => {
    const course = await courseWithClasses('progress');
    expect((await joinAs(ana, course, { class_id: course.classes.open })).statusCode).toBe(201);
    const url = `/api/v1/courses/progress/members/${ana.username}/progress`;
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
    const completed = await courseEvents('course.completed', course.id);
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      user: { id: ana.id },
      course: { id: course.id },
      app_ids: [owner.appId],
    });
  });

  it('lets a member leave, with enrolment.dropped', async () => {
    const course = await courseWithClasses('leaving');
    for (const user of [ana, ben]) {
      expect((await joinAs(user, course, { class_id: course.classes.open })).statusCode).toBe(201);
    }
    const browser = await signedIn(t, ben);
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/courses/leaving/members/${ben.id}`,
      headers: { cookie: browser.cookieHeader() },
    });
    expect(res.statusCode).toBe(204);
    expect(await courseEvents('enrolment.dropped', course.id)).toHaveLength(1);
    expect(await listActiveMemberIds(t.deps, course.id, { limit: 10 })).toEqual([ana.id]);
  });

  it('answers the contract: resolveCourseRef by id, path and URL; isCourseAdmin for the owner only', async () => {
    const { id: courseId } = await courseWithClasses('enrol-me');
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
