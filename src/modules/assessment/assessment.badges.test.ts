import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Browser } from '../../../test/support/web.ts';
import { recordingDeps, seedBadge, seedSystem } from '../badges/badges.testing.ts';
import { signedIn } from '../courses/courses.testing.ts';
import type { Course } from '../courses/index.ts';
import type { User } from '../identity/index.ts';
import { as, courseWith, people, RUBRIC } from './assessment.testing.ts';
import {
  createActivity,
  myReviews,
  onGraded,
  saveReview,
  saveWork,
  setBadgeRule,
  setInstructorGrade,
  setPhase,
} from './index.ts';

/**
 * The badge rule over the real database: set through the native API, awarded by the `assessment.graded` job
 * through the badges module, once per (activity, student) whatever grade versions follow.
 */
let t: TestApp;
let teacher: User;
let other: User;
let students: User[];
let course: Course;
let otherCourse: Course;
let prof: Browser;
let otherProf: Browser;
let badgeId: number;

async function call(b: Browser, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: {
      cookie: b.cookieHeader(),
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown>) : {} };
}

async function awardsOf(id: number) {
  const { rows } = await t.deps.pool.query<{ email: string; badge_id: number }>(
    'select i.email, i.badge_id from badge_instances i where i.badge_id = $1 order by i.email',
    [id],
  );
  return rows;
}

async function ruleRows(activityId: number) {
  const { rows } = await t.deps.pool.query('select * from assessment_badge_rules where activity_id = $1', [
    activityId,
  ]);
  return rows;
}

beforeAll(async () => {
  t = await buildTestApp();
  [teacher, other] = (await people(t, 'brteacher', 2)) as [User, User];
  students = await people(t, 'brstudent', 3);
  course = await courseWith(t, teacher, students, 'Debate');
  otherCourse = await courseWith(t, other, [], 'Another course');
  // The teacher is also a hub administrator, who may award every badge; `other` may award none.
  await t.deps.pool.query('update users set admin = true where id = $1', [teacher.id]);
  prof = await signedIn(t, teacher);
  otherProf = await signedIn(t, other);
  await seedSystem(t, 'debate');
  const badge = await seedBadge(t, { system: 'debate' }, 'good-debater');
  badgeId = badge.row.id;
}, 120_000);
afterAll(() => t.close());

async function activityWithReviews(title: string): Promise<number> {
  const a = await createActivity(t.deps, as(teacher), course.id, {
    title,
    rubric: RUBRIC,
    reviewersPerSubmission: 2,
  });
  await setPhase(t.deps, as(teacher), a.id, 'Create', 'open');
  for (const s of students)
    await saveWork(t.deps, as(s), a.id, { content: `By ${s.username}`, submit: true });
  await setPhase(t.deps, as(teacher), a.id, 'Assess', 'open');
  for (const s of students)
    for (const task of await myReviews(t.deps, as(s), a.id))
      await saveReview(t.deps, as(s), a.id, task.id, {
        scores: { quality: 7 },
        comment: 'Fine',
        submit: true,
      });
  await setPhase(t.deps, as(teacher), a.id, 'Reflect', 'open');
  await t.runJobs();
  return a.id;
}

describe('the badge rule of an activity', () => {
  it('awards the badge once, to the student at or above the threshold, when the phase closes', async () => {
    const id = await activityWithReviews('Motion analysis');
    const set = await call(prof, 'PUT', `/api/v1/assessment/activities/${id}/badge-rule`, {
      badge_id: String(badgeId),
      min_grade: 60,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ badge: 'good-debater', min_grade: 60, rule: 'threshold' });
    const [above, below, third] = students as [User, User, User];
    await setInstructorGrade(t.deps, as(teacher), id, above.id, { override: 85 });
    await setInstructorGrade(t.deps, as(teacher), id, below.id, { override: 40 });
    await setInstructorGrade(t.deps, as(teacher), id, third.id, { override: 59.5 });
    await setPhase(t.deps, as(teacher), id, 'Reflect', 'close');
    await t.runJobs();
    expect(await awardsOf(badgeId)).toEqual([{ email: above.email, badge_id: badgeId }]);
    const { rows } = await t.deps.pool.query<{ payload: { user: { id: string } | null } }>(
      "select payload from domain_events where type = 'badge.awarded'",
    );
    expect(rows.map((r) => r.payload.user?.id)).toEqual([above.id]);

    // Version 2 of the awarded student's grade (lower, below the threshold) neither awards again nor revokes.
    await setInstructorGrade(t.deps, as(teacher), id, above.id, { override: 30 });
    await t.runJobs();
    const versions = await t.deps.pool.query(
      "select 1 from domain_events where type = 'assessment.graded' and payload->>'final' = 'true' and payload->'user'->>'id' = $1",
      [above.id],
    );
    expect(versions.rowCount).toBe(2);
    expect(await awardsOf(badgeId)).toHaveLength(1);
    const live = await t.deps.pool.query(
      'select 1 from badge_instances where badge_id = $1 and revoked_at is null',
      [badgeId],
    );
    expect(live.rowCount).toBe(1);

    // A regrade that lifts a student over the threshold awards then, once, however often it is regraded.
    await setInstructorGrade(t.deps, as(teacher), id, below.id, { override: 75 });
    await t.runJobs();
    await setInstructorGrade(t.deps, as(teacher), id, below.id, { override: 80 });
    await t.runJobs();
    expect((await awardsOf(badgeId)).map((r) => r.email)).toEqual([above.email, below.email].sort());
  });

  it('refuses a badge the instructor may not award, another course’s instructor, and a bad threshold', async () => {
    const a = await createActivity(t.deps, as(other), otherCourse.id, {
      title: 'Own',
      rubric: RUBRIC,
    });
    const notAwardable = await call(otherProf, 'PUT', `/api/v1/assessment/activities/${a.id}/badge-rule`, {
      badge_id: String(badgeId),
      min_grade: null,
    });
    expect(notAwardable.status).toBe(403);
    expect(notAwardable.body.code).toBe('badges.forbidden');
    expect(await ruleRows(a.id)).toHaveLength(0);

    const mine = await createActivity(t.deps, as(teacher), course.id, { title: 'Rebuttal', rubric: RUBRIC });
    const foreign = await call(otherProf, 'PUT', `/api/v1/assessment/activities/${mine.id}/badge-rule`, {
      badge_id: String(badgeId),
      min_grade: 50,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('assessment.not_instructor');

    for (const min of [101, -1, 'high']) {
      const bad = await call(prof, 'PUT', `/api/v1/assessment/activities/${mine.id}/badge-rule`, {
        badge_id: String(badgeId),
        min_grade: min,
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('min_grade');
    }
    const unknown = await call(prof, 'PUT', `/api/v1/assessment/activities/${mine.id}/badge-rule`, {
      badge_id: '999999',
      min_grade: null,
    });
    expect(unknown.status).toBe(404);
    expect(await ruleRows(mine.id)).toHaveLength(0);

    const set = await call(prof, 'PUT', `/api/v1/assessment/activities/${mine.id}/badge-rule`, {
      badge_id: badgeId,
      min_grade: null,
    });
    expect(set.body).toMatchObject({ rule: 'completion', min_grade: null });
    expect((await call(prof, 'GET', `/api/v1/assessment/activities/${mine.id}/badge-rule`)).status).toBe(200);
    expect((await call(prof, 'DELETE', `/api/v1/assessment/activities/${mine.id}/badge-rule`)).status).toBe(
      204,
    );
    expect((await call(prof, 'GET', `/api/v1/assessment/activities/${mine.id}/badge-rule`)).status).toBe(204);
  });

  it('lets the instructor set and remove the rule on the activity page (CSRF), refusing a bad grade', async () => {
    const a = await createActivity(t.deps, as(teacher), course.id, {
      title: 'Closing speech',
      rubric: RUBRIC,
    });
    const url = `/assessment/${a.id}`;
    const action = `${url}/badge-rule`;
    expect((await prof.get(url)).body).toContain('No badge is awarded for this activity.');
    const noCsrf = await prof.post(action, { badge_id: String(badgeId), min_grade: '70' });
    expect(noCsrf.statusCode).toBe(403);
    const bad = await prof.submit(
      url,
      { badge_id: String(badgeId), min_grade: '170', action: 'set' },
      action,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('min_grade');
    expect(await ruleRows(a.id)).toHaveLength(0);
    const ok = await prof.submit(url, { badge_id: String(badgeId), min_grade: '70', action: 'set' }, action);
    expect(ok.statusCode).toBe(303);
    expect((await prof.get(url)).body).toContain('at a final grade of 70 or more');
    const cleared = await prof.submit(url, { action: 'clear' }, action);
    expect(cleared.statusCode).toBe(303);
    expect(await ruleRows(a.id)).toHaveLength(0);
    // A student sees no badge form.
    const student = await signedIn(t, students[0] as User);
    expect((await student.get(url)).body).not.toContain('badge-rule');
  });

  it('skips a student whose email is not verified, and awards nothing for a provisional grade', async () => {
    const a = await createActivity(t.deps, as(teacher), course.id, {
      title: 'Cross-examination',
      rubric: RUBRIC,
    });
    const admin = { kind: 'user' as const, userId: teacher.id, admin: true };
    await setBadgeRule(t.deps, admin, a.id, { badgeId, minGrade: null });
    const [unverified] = (await people(t, 'brunverified', 1)) as [User];
    await t.deps.pool.query('update users set email_verified_at = null where id = $1', [unverified.id]);
    const deps = recordingDeps(t);
    const event = (final: boolean, user: User) => ({
      seq: 1,
      id: t.deps.ids.uuid(),
      type: 'assessment.graded' as const,
      subject: `user:${user.id}`,
      occurredAt: new Date(),
      payload: {
        course: { id: course.id, path: course.path, title: course.title, url: course.url },
        activity: { id: a.id, title: 'Cross-examination' },
        user: { id: user.id, username: user.username, email: user.email, profile_url: 'x' },
        grade: 90,
        scale: { min: 0, max: 100 },
        final,
        version: 1,
      },
    });
    expect(await onGraded(deps, event(true, unverified))).toBe('skipped');
    expect(await onGraded(deps, event(false, students[2] as User))).toBe('skipped');
    const claims = await t.deps.pool.query('select 1 from assessment_badge_awards where activity_id = $1', [
      a.id,
    ]);
    expect(claims.rowCount).toBe(0);
  });
});
