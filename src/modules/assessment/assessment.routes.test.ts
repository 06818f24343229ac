import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import type { Browser } from '../../../test/support/web.ts';
import { signedIn } from '../courses/courses.testing.ts';
import type { Course } from '../courses/index.ts';
import type { User } from '../identity/index.ts';
import { courseWith, people, RUBRIC } from './assessment.testing.ts';

let t: TestApp;
let teacher: User;
let students: User[];
let course: Course;
let prof: Browser;
let ana: Browser;

async function call(b: Browser, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: {
      cookie: b.cookieHeader(),
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return {
    status: res.statusCode,
    body: res.body ? (res.json() as Record<string, unknown>) : {},
    type: res.headers['content-type'],
  };
}

beforeAll(async () => {
  t = await buildTestApp();
  [teacher] = (await people(t, 'tutor', 1)) as [User];
  students = await people(t, 'ana', 3);
  course = await courseWith(t, teacher, students);
  prof = await signedIn(t, teacher);
  ana = await signedIn(t, students[0] as User);
}, 120_000);
afterAll(() => t.close());

describe('/api/v1 assessment routes', () => {
  it('lets an instructor create an activity and a student submit, with problem+json refusals that change nothing', async () => {
    const created = await call(prof, 'POST', `/api/v1/courses/${course.id}/assessment/activities`, {
      title: 'Lab report',
      rubric: RUBRIC,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(created.body).toMatchObject({
      title: 'Lab report',
      reviewers_per_submission: 3,
      anonymity: 'double',
      current_phase: null,
    });

    const byStudent = await call(ana, 'POST', `/api/v1/courses/${course.id}/assessment/activities`, {
      title: 'Mine',
      rubric: RUBRIC,
    });
    expect(byStudent.status).toBe(403);
    expect(byStudent.type).toContain('application/problem+json');
    expect(byStudent.body.code).toBe('assessment.not_instructor');
    const badRubric = await call(prof, 'POST', `/api/v1/courses/${course.id}/assessment/activities`, {
      title: 'Bad',
      rubric: [{ title: 'x', min: 5, max: 1 }],
    });
    expect(badRubric.status).toBe(400);
    const unknownField = await call(prof, 'POST', `/api/v1/courses/${course.id}/assessment/activities`, {
      title: 'x',
      rubric: RUBRIC,
      k: 3,
    });
    expect(unknownField.status).toBe(400);
    const list = await call(ana, 'GET', `/api/v1/courses/${course.id}/assessment/activities`);
    expect((list.body.data as unknown[]).length).toBe(1);

    const early = await call(ana, 'PUT', `/api/v1/assessment/activities/${id}/submission`, {
      content: 'Too early',
      submit: true,
    });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('assessment.phase_closed');
    const opened = await call(prof, 'POST', `/api/v1/assessment/activities/${id}/phases/Create`, {
      action: 'open',
    });
    expect(opened.body.current_phase).toBe('Create');
    const draft = await call(ana, 'PUT', `/api/v1/assessment/activities/${id}/submission`, {
      content: '<i>Draft</i>',
    });
    expect(draft.body).toMatchObject({ status: 'draft', content_create: 'Draft' });
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');
    const file = await call(ana, 'POST', `/api/v1/assessment/activities/${id}/submission/files`, {
      name: 'report.pdf',
      content_type: 'application/pdf',
      data_base64: pdf,
    });
    expect(file.status).toBe(201);
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/v1/assessment/activities/${id}/files/${file.body.id}`,
      headers: { cookie: ana.cookieHeader() },
    });
    expect(download.headers['content-disposition']).toContain('attachment');
    const submitted = await call(ana, 'PUT', `/api/v1/assessment/activities/${id}/submission`, {
      content: 'Final',
      submit: true,
    });
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      content_create: 'Final',
      files: [{ name: 'report.pdf' }],
    });
    const again = await call(ana, 'PUT', `/api/v1/assessment/activities/${id}/submission`, {
      content: 'Changed',
      submit: true,
    });
    expect(again.status).toBe(409);
    expect(
      (await call(ana, 'GET', `/api/v1/assessment/activities/${id}/submission`)).body.content_create,
    ).toBe('Final');

    expect((await call(ana, 'GET', `/api/v1/assessment/activities/${id}/grades`)).status).toBe(403);
    expect((await call(prof, 'GET', `/api/v1/assessment/activities/${id}/grades`)).status).toBe(200);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/assessment/activities/${id}` });
    expect(anonymous.statusCode).toBe(401);
    expect((await call(ana, 'GET', '/api/v1/assessment/activities/999999')).status).toBe(404);
  });
});
