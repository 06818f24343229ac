import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Principal } from '../../http/principal.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { as, courseWith, people, RUBRIC } from '../../modules/assessment/assessment.testing.ts';
import {
  createActivity,
  myFeedback,
  myReviews,
  rateReview,
  reviseWork,
  saveReview,
  saveWork,
  setInstructorGrade,
  setPhase,
} from '../../modules/assessment/index.ts';
import type { Course } from '../../modules/courses/index.ts';
import type { User } from '../../modules/identity/index.ts';
import { createPlatform, setPlatformEnabled } from '../../modules/platforms/index.ts';
import { b64, jwksServer, platformToken, rsaKey } from './peerscholar.testing.ts';

const operator: Principal = { kind: 'operator', tokenId: 'test', admin: true };
const clock = new ManualClock(new Date());
const key1 = rsaKey('p1-key');
const key2 = rsaKey('p2-key');
const key2b = rsaKey('p2-key-rotated');
let t: TestApp;
let jwks: Awaited<ReturnType<typeof jwksServer>>;
let teacher: User;
let students: User[];
let courseA: Course;
let courseB: Course;
let platform1: string;
let activityId: number;

async function get(url: string, token: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}
const p1 = () => platformToken(key1, { now: clock.now() });
const p2 = () => platformToken(key2, { now: clock.now() });

beforeAll(async () => {
  t = await buildTestApp({ clock });
  jwks = await jwksServer([key2]);
  [teacher] = (await people(t, 'teacher', 1)) as [User];
  students = await people(t, 'pupil', 4);
  courseA = await courseWith(t, teacher, students, 'Course A');
  courseB = await courseWith(t, teacher, [], 'Course B');
  platform1 = (
    await createPlatform(t.deps, operator, {
      name: 'Moodle',
      publicKeys: [{ pem: key1.publicPem, kid: key1.kid }],
      courseIds: [courseA.id],
    })
  ).id;
  await createPlatform(t.deps, operator, { name: 'Canvas', jwksUrl: jwks.url, courseIds: [courseB.id] });

  // An activity with 4 students, k = 2: student i's work gets scores by reviewer order (see below).
  const a = await createActivity(t.deps, as(teacher), courseA.id, {
    title: 'Essay',
    rubric: RUBRIC,
    reviewersPerSubmission: 2,
  });
  activityId = a.id;
  await setPhase(t.deps, as(teacher), activityId, 'Create', 'open');
  for (const [i, s] of students.entries())
    await saveWork(t.deps, as(s), activityId, { content: `Work ${i}`, submit: true });
  await setPhase(t.deps, as(teacher), activityId, 'Assess', 'open');
  for (const s of students)
    for (const task of await myReviews(t.deps, as(s), activityId)) {
      await saveReview(t.deps, as(s), activityId, task.id, {
        scores: { quality: 8 },
        comment: 'ok',
        submit: true,
      });
    }
  await setPhase(t.deps, as(teacher), activityId, 'Reflect', 'open');
  for (const [i, s] of students.entries()) {
    for (const f of await myFeedback(t.deps, as(s), activityId))
      await rateReview(t.deps, as(s), activityId, f.id, 3);
    await reviseWork(t.deps, as(s), activityId, { content: `Work ${i} revised` });
  }
  await t.runJobs();
  await setInstructorGrade(t.deps, as(teacher), activityId, students[0]?.id ?? '', { instructor: 90 });
}, 180_000);
afterAll(async () => {
  await jwks.close();
  await t.close();
});

describe('the peerScholar Platform API, endpoint by endpoint', () => {
  let courseId = 0;

  it('GET /v1/courses lists the platform’s courses with paging as strings and UNIX timestamps', async () => {
    const res = await get('/peerscholar/v1/courses', await p1());
    expect(res.status).toBe(200);
    expect(res.body.paging).toEqual({ per_page: '100', current_page: '1', total_pages: '1' });
    const data = res.body.data as Record<string, unknown>[];
    expect(data).toHaveLength(1);
    const c = data[0] ?? {};
    expect(Number.isInteger(c.id)).toBe(true);
    expect(c).toMatchObject({
      title: 'Course A',
      description: '',
      subject: '',
      startDate: null,
      endDate: null,
    });
    expect(Object.keys(c).sort()).toEqual([
      'code',
      'createdDate',
      'description',
      'endDate',
      'id',
      'nickname',
      'startDate',
      'subject',
      'title',
    ]);
    expect(c.createdDate).toBe(Math.floor(courseA.createdAt.getTime() / 1000));
    courseId = Number(c.id);
  });

  it('GET /v1/course/{id} answers one course, and another platform’s course as not found', async () => {
    const mine = await get(`/peerscholar/v1/course/${courseId}`, await p1());
    expect(mine.status).toBe(200);
    expect((mine.body.data as { id: number }).id).toBe(courseId);
    const theirs = await get(`/peerscholar/v1/course/${courseId}`, await p2());
    expect(theirs).toEqual({ status: 404, body: { error: 'true', message: 'No such course.' } });
    const listB = await get('/peerscholar/v1/courses', await p2());
    expect((listB.body.data as { title: string }[]).map((c) => c.title)).toEqual(['Course B']);
    for (const path of ['members', 'notifications', 'report']) {
      expect((await get(`/peerscholar/v1/course/${courseId}/${path}`, await p2())).status).toBe(404);
    }
    expect((await get(`/peerscholar/v1/activity/${activityId}`, await p2())).status).toBe(404);
    expect((await get(`/peerscholar/v1/activity/${activityId}/report`, await p2())).status).toBe(404);
    expect((await get('/peerscholar/v1/course/abc', await p1())).status).toBe(404);
  });

  it('GET /v1/course/{id}/members gives role titles, 1/0 status and string account ids, paged by pp/cp', async () => {
    const res = await get(`/peerscholar/v1/course/${courseId}/members?pp=2&cp=2`, await p1());
    expect(res.status).toBe(200);
    expect(res.body.paging).toEqual({ per_page: '2', current_page: '2', total_pages: '2' });
    const m = (res.body.data as Record<string, unknown>[])[0] ?? {};
    expect(m).toMatchObject({ role: 'Student', status: 1, enabled: 1, accessed: null });
    expect(typeof m.account_id).toBe('string');
    expect(Number.isInteger(m.id)).toBe(true);
    for (const q of ['pp=0', 'pp=abc', 'cp=-1', 'cp=3&pp=2', 'cp=1&cp=2']) {
      const bad = await get(`/peerscholar/v1/course/${courseId}/members?${q}`, await p1());
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('true');
    }
  });

  it('caps pp at 500', async () => {
    const res = await get(`/peerscholar/v1/course/${courseId}/members?pp=1000`, await p1());
    expect(res.body.paging).toEqual({ per_page: '500', current_page: '1', total_pages: '1' });
  });

  it('POST /v1/course/{id}/notifications stores the notification (wrapped or bare) and announces it to members', async () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const post = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/peerscholar/v1/course/${courseId}/notifications`,
        headers: { authorization: `Bearer ${token}` },
        payload: payload as object,
      });
    const token = await p1();
    const wrapped = await post({
      data: {
        course_id: String(courseId),
        startDate: now,
        endDate: now + 3600,
        content: 'Quiz moved to Friday',
      },
    });
    expect(wrapped.statusCode).toBe(200);
    const created = wrapped.json<{ data: Record<string, unknown> }>().data;
    expect(created).toMatchObject({
      course_id: String(courseId),
      activity_id: null,
      account_id: null,
      startDate: now,
      endDate: now + 3600,
      content: 'Quiz moved to Friday',
    });
    expect(Number.isInteger(created.id)).toBe(true);
    expect(
      (await post({ startDate: String(now), endDate: String(now + 60), content: 'Bare object' })).statusCode,
    ).toBe(200);
    const before = await t.deps.pool.query('select count(*)::int as n from course_notifications');
    for (const bad of [
      { startDate: now, endDate: now - 1, content: 'ends before it starts' },
      { startDate: now, endDate: now + 1, content: 'x'.repeat(10_001) },
      { startDate: 'tomorrow', endDate: now + 1, content: 'bad date' },
      { startDate: now, endDate: now + 1 },
      { course_id: '999', startDate: now, endDate: now + 1, content: 'wrong course' },
    ]) {
      const res = await post(bad);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'true' });
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: `/peerscholar/v1/course/${courseId}/notifications`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"data": {',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: 'true' });
    const after = await t.deps.pool.query('select count(*)::int as n from course_notifications');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const listed = await get(`/peerscholar/v1/course/${courseId}/notifications`, token);
    expect((listed.body.data as { content: string }[]).map((n) => n.content)).toEqual([
      'Bare object',
      'Quiz moved to Friday',
    ]);
    const announced = await t.deps.pool.query<{ n: number }>(
      'select count(*)::int as n from announcements where course_id = $1',
      [courseA.id],
    );
    expect(announced.rows[0]?.n).toBeGreaterThanOrEqual(2);
  });

  it('GET /v1/activity/{id} and /schedule use integer ids, 1/0 flags and the phase names', async () => {
    const token = await p1();
    const a = await get(`/peerscholar/v1/activity/${activityId}`, token);
    expect(a.status).toBe(200);
    const data = a.body.data as Record<string, unknown>;
    expect(data).toMatchObject({
      id: activityId,
      course_id: String(courseId),
      title: 'Essay',
      type: 'Standard',
      visible: 1,
    });
    expect((data.schedule as number[]).length).toBe(3);
    const s = await get(`/peerscholar/v1/activity/${activityId}/schedule`, token);
    expect(s.body.paging).toEqual({ per_page: '100', current_page: '1', total_pages: '1' });
    const phases = s.body.data as Record<string, unknown>[];
    expect(phases.map((p) => p.phase)).toEqual(['Create', 'Assess', 'Reflect']);
    expect(phases[0]).toMatchObject({ activity_id: activityId, manual: 1, order: 1, enabled: 1 });
    expect(typeof phases[0]?.startDate).toBe('number');
    expect((await get('/peerscholar/v1/activity/999999/schedule', token)).status).toBe(404);
  });

  it('GET /v1/activity/{id}/report selects fields with incl or type, in every spelling the seed allows', async () => {
    const token = await p1();
    const dflt = await get(`/peerscholar/v1/activity/${activityId}/report`, token);
    const rows = dflt.body.data as Record<string, unknown>[];
    expect(rows).toHaveLength(4);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['account_id', 'activity_id', 'grade_overall']);
    expect(rows[0]?.activity_id).toBe(String(activityId));
    for (const q of [
      'incl=[grade_instuctor,grade_peer_mean,grade_peer_median,grade_peer_mode,content_create,content_revise]',
      'incl=grade_instuctor,grade_peer_mean,grade_peer_median,grade_peer_mode,content_create,content_revise',
      'type=grade_instuctor&type=grade_peer_mean&incl=grade_peer_median&incl=grade_peer_mode&incl=content_create&incl=content_revise',
    ]) {
      const res = await get(`/peerscholar/v1/activity/${activityId}/report?${q}`, token);
      expect(res.status).toBe(200);
      for (const r of res.body.data as Record<string, unknown>[]) {
        // Every review gave 8/10; each work got 2 reviews.
        expect(r).toMatchObject({ grade_peer_mean: 80, grade_peer_median: 80, grade_peer_mode: 80 });
        expect(String(r.content_create)).toMatch(/^Work \d$/);
        expect(String(r.content_revise)).toMatch(/^Work \d revised$/);
        expect(r).not.toHaveProperty('grade_overall');
      }
      expect(
        (res.body.data as Record<string, unknown>[]).filter((r) => r.grade_instuctor === 90),
      ).toHaveLength(1);
    }
    const both = await get(
      `/peerscholar/v1/activity/${activityId}/report?incl=grade_instructor,grade_self_create,grade_self_reflect`,
      token,
    );
    expect(Object.keys((both.body.data as Record<string, unknown>[])[0] ?? {}).sort()).toEqual([
      'account_id',
      'activity_id',
      'grade_instructor',
      'grade_self_create',
      'grade_self_reflect',
    ]);
    const unknown = await get(`/peerscholar/v1/activity/${activityId}/report?incl=grade_secret`, token);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'true', message: expect.stringContaining('grade_secret') });
    const course = await get(`/peerscholar/v1/course/${courseId}/report?incl=[grade_overall]`, token);
    expect(course.body.data).toHaveLength(4);
  });

  it('answers unknown endpoints 404 and wrong methods 405 in the seed’s error shape', async () => {
    const token = await p1();
    expect(await get('/peerscholar/v1/nothing', token)).toEqual({
      status: 404,
      body: { error: 'true', message: 'No such endpoint: GET /peerscholar/v1/nothing' },
    });
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/peerscholar/v1/course/${courseId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.json()).toMatchObject({ error: 'true' });
  });
});

describe('platform JWTs', () => {
  const nowS = () => Math.floor(clock.now().getTime() / 1000);
  const expect401 = async (token: string, message: RegExp) => {
    const res = await get('/peerscholar/v1/courses', token);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('true');
    expect(String(res.body.message)).toMatch(message);
  };

  it('refuses a missing or malformed bearer token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/peerscholar/v1/courses' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'true' });
    await expect401('not-a-jwt', /not a JWT/);
  });

  it('refuses alg none, HS256 (also signed with the public key) and RS512', async () => {
    const claims = {
      iss: 'http://hub.test/peerscholar',
      aud: 'http://hub.test/peerscholar',
      iat: nowS(),
      exp: nowS() + 60,
    };
    await expect401(`${b64({ alg: 'none', kid: key1.kid })}.${b64(claims)}.`, /only RS256/);
    const head = `${b64({ alg: 'HS256', typ: 'jwt', kid: key1.kid })}.${b64(claims)}`;
    const forged = createHmac('sha256', key1.publicPem).update(head).digest('base64url');
    await expect401(`${head}.${forged}`, /only RS256/);
    await expect401(`${b64({ alg: 'RS512', kid: key1.kid })}.${b64(claims)}.c2ln`, /only RS256/);
  });

  it('refuses expired, future, overlong, wrong-audience, wrong-issuer and unknown-kid tokens', async () => {
    await expect401(
      await platformToken(key1, { now: clock.now(), iat: nowS() - 7200, lifetime: 3600 }),
      /expired|too long ago/,
    );
    await expect401(await platformToken(key1, { now: clock.now(), iat: nowS() + 600 }), /iat/);
    await expect401(await platformToken(key1, { now: clock.now(), lifetime: 86_400 }), /lifetime/);
    await expect401(
      await platformToken(key1, { now: clock.now(), aud: 'https://app.peerscholar.com' }),
      /aud/,
    );
    await expect401(await platformToken(key1, { now: clock.now(), iss: 'https://evil.example' }), /iss/);
    await expect401(await platformToken(key1, { now: clock.now(), kid: 'who-knows' }), /who-knows/);
    // The right kid, the wrong private key.
    await expect401(await platformToken({ ...key2, kid: key1.kid }, { now: clock.now() }), /signature/);
  });

  it('accepts a small clock skew and a token without kid (trying the active keys)', async () => {
    expect(
      (
        await get(
          '/peerscholar/v1/courses',
          await platformToken(key1, { now: clock.now(), iat: nowS() + 30 }),
        )
      ).status,
    ).toBe(200);
    const noKid = await get(
      '/peerscholar/v1/courses',
      await platformToken(key2, { now: clock.now(), kid: null }),
    );
    expect(noKid.status).toBe(200);
    expect((noKid.body.data as { title: string }[])[0]?.title).toBe('Course B');
  });

  it('follows a JWKS key rotation, refetching for a new kid', async () => {
    expect((await get('/peerscholar/v1/courses', await p2())).status).toBe(200);
    jwks.set([key2b]);
    clock.advance(31_000);
    const rotated = await get('/peerscholar/v1/courses', await platformToken(key2b, { now: clock.now() }));
    expect(rotated.status).toBe(200);
    expect((rotated.body.data as { title: string }[])[0]?.title).toBe('Course B');
  });

  it('refuses a platform disabled mid-use on its next request', async () => {
    const token = await p1();
    expect((await get('/peerscholar/v1/courses', token)).status).toBe(200);
    await setPlatformEnabled(t.deps, operator, platform1, false);
    await expect401(token, /disabled/);
    await setPlatformEnabled(t.deps, operator, platform1, true);
    expect((await get('/peerscholar/v1/courses', token)).status).toBe(200);
  });
});
