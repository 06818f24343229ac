import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { PASSWORD, person } from '../../modules/courses/courses.testing.ts';
import type { User } from '../../modules/identity/index.ts';
import {
  basic,
  cliEnv,
  createInstitutionByCli,
  curl,
  type InstitutionCreds,
} from './openlearning.testing.ts';

let t: TestApp;
let mine: InstitutionCreds;
let theirs: InstitutionCreds;
let auth: string;
let student: User;
let adminUser: User;
const OL = '/openlearning/api';

beforeAll(async () => {
  t = await buildTestApp();
  [mine, theirs] = await Promise.all([
    createInstitutionByCli(t, 'myInstitute', 'My Institute'),
    createInstitutionByCli(t, 'otherInstitute', 'Other Institute'),
  ]);
  auth = basic(mine.api_username, mine.api_password);
  student = await person(t, 'stu');
  adminUser = await person(t, 'admina');
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe('OpenLearning provisioning, as the seed curls it', () => {
  it('prints an institution, its shared secret and a USERNAME:PASSWORD credential from the CLI', async () => {
    expect(mine.institution.path).toBe('myInstitute');
    expect(mine.shared_secret.length).toBeGreaterThan(30);
    expect(mine.api_username).toMatch(/^ol_/);
    const stored = await t.deps.pool.query('select * from institutions where path = $1', ['myInstitute']);
    expect(JSON.stringify(stored.rows)).not.toContain(mine.shared_secret);
    const keys = await t.deps.pool.query('select * from institution_keys');
    expect(JSON.stringify(keys.rows)).not.toContain(mine.api_password);
    const added = await runCli(
      ['institutions', 'admins', 'add', '--path', 'myInstitute', '--email', adminUser.email],
      cliEnv(t),
    );
    expect(added.code).toBe(0);
    const unknown = await runCli(
      ['institutions', 'admins', 'add', '--path', 'nope', '--email', adminUser.email],
      cliEnv(t),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No such institution');
  }, 60_000);

  it('provisions a course and a class, with the documented shapes', async () => {
    const course = await curl(t, auth, `${OL}/provision/course/myNewCourse`, {
      title: 'How to Draw Horses',
      category: 'Art',
    });
    expect(course.statusCode).toBe(200);
    expect(course.json()).toEqual({
      success: true,
      path: 'courses/myNewCourse',
      url: 'http://hub.test/courses/myNewCourse',
    });
    const cls = await curl(t, auth, `${OL}/provision/class/myNewCourse`, {
      title: 'First Class',
      type: 'open',
    });
    expect(cls.json()).toEqual({
      success: true,
      class: { path: 'courses/myNewCourse/Cohorts/FirstClass', title: 'First Class', type: 'open' },
    });
    const paid = await curl(t, auth, `${OL}/provision/class/courses/myNewCourse`, {
      title: 'Paid Class',
      type: 'requires-activation-code',
      isBilled: 'true',
      studentPrice: '12.00',
      currency: 'AUD',
      activationCode: 'My Secret Code',
      startDate: '2026-02-01T09:00:00Z',
    });
    expect(paid.statusCode).toBe(200);
    const viaGet = await curl(t, auth, `${OL}/provision/course/viaGet?title=Made%20by%20GET`);
    expect(viaGet.json().path).toBe('courses/viaGet');
  });

  it('changes status, admins and class properties, and lists classes', async () => {
    const status = await curl(t, auth, `${OL}/course/status/courses/myNewCourse`, { status: 'offline' });
    expect(status.json()).toEqual({ success: true, status: 'offline' });
    const add = await curl(t, auth, `${OL}/course/admins/myNewCourse`, { email_address: adminUser.email });
    expect(add.json()).toEqual({ success: true });
    const admins = await curl(t, auth, `${OL}/course/admins/myNewCourse`);
    expect(admins.json()).toEqual({ admins: [adminUser.email], success: true });
    const change = await curl(t, auth, `${OL}/class/courses/myNewCourse/Cohorts/FirstClass`, {
      title: 'First Class',
      type: 'invite-only',
    });
    expect(change.json()).toEqual({
      success: true,
      class: { path: 'courses/myNewCourse/Cohorts/FirstClass', title: 'First Class', type: 'invite-only' },
    });
    const classes = await curl(t, auth, `${OL}/course/classes/myNewCourse`);
    expect(classes.json()).toEqual({
      classes: [
        {
          path: 'courses/myNewCourse/Cohorts/FirstClass',
          title: 'First Class',
          url: 'http://hub.test/courses/myNewCourse/Cohorts/FirstClass',
        },
        {
          path: 'courses/myNewCourse/Cohorts/PaidClass',
          title: 'Paid Class',
          url: 'http://hub.test/courses/myNewCourse/Cohorts/PaidClass',
        },
      ],
      success: true,
    });
    await curl(t, auth, `${OL}/course/status/myNewCourse`, { status: 'online' });
  });

  it('lets a hub account that administers the institution use its email and password', async () => {
    const res = await curl(t, basic(adminUser.email, PASSWORD), `${OL}/course/classes/myNewCourse`);
    expect(res.statusCode).toBe(200);
    expect(res.json().classes).toHaveLength(2);
    // As the admin of one institution they act for it: the course they provision is the institution's.
    const made = await curl(t, basic(adminUser.email, PASSWORD), `${OL}/provision/course/adminMade`, {
      title: 'Admin made',
    });
    expect(made.statusCode).toBe(200);
    const byKey = await curl(t, auth, `${OL}/course/status/adminMade`, { status: 'offline' });
    expect(byKey.json()).toEqual({ success: true, status: 'offline' });
    const stranger = await curl(t, basic(student.email, PASSWORD), `${OL}/course/status/adminMade`, {
      status: 'online',
    });
    expect(stranger.statusCode).toBe(403);
  });

  it('invites students: the four lists, malformed lines set aside, nobody invited twice', async () => {
    const list = [
      `${student.email}`,
      'new.person@example.com,Foo Bar,A Group,Group 1',
      'bademail.com',
      '',
    ].join('\n');
    const first = await curl(t, auth, `${OL}/institution/invite`, {
      institution: 'myInstitute',
      emailAddressList: list,
      enrollCohorts: JSON.stringify(['myInstitute/courses/myNewCourse/cohorts/FirstClass']),
    });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.success).toBe(true);
    expect(body.autoEnrolledStudents).toEqual([
      { email: student.email, user: expect.objectContaining({ id: student.id, username: 'stu' }) },
    ]);
    expect(body.pendingEnrolledEmails).toEqual(['new.person@example.com']);
    expect(body.unprocessedEmails).toEqual(['bademail.com']);
    expect(body.alreadyEnrolledStudents).toEqual([]);
    await t.runJobs();
    const again = await curl(t, auth, `${OL}/institution/invite`, {
      institution: 'myInstitute',
      emailAddressList: list,
    });
    expect(again.json().alreadyEnrolledStudents).toEqual([expect.objectContaining({ email: student.email })]);
    expect(again.json().pendingEnrolledEmails).toEqual(['new.person@example.com']);
    await t.runJobs();
    const mails = await t.deps.pool.query(
      'select * from outbox where \'new.person@example.com\' = any("to")',
    );
    expect(mails.rows).toHaveLength(1);
    const enrolments = await curl(t, auth, `${OL}/institution/enrolments?institution=myInstitute&search=stu`);
    expect(enrolments.json().enrolments).toEqual([
      expect.objectContaining({ email: student.email, username: 'stu' }),
    ]);
  });

  it("shows a student their institution courses with progress (the student's own credentials)", async () => {
    const res = await curl(
      t,
      basic(student.email, PASSWORD),
      `${OL}/institution/myCourses?institution=myInstitute`,
    );
    expect(res.statusCode).toBe(200);
    const courses = res.json().courses as { path: string; isEnrolledIn: boolean; progress: number }[];
    expect(courses.find((c) => c.path === 'myInstitute/courses/myNewCourse')).toMatchObject({
      name: 'How to Draw Horses',
      isOpen: 'open',
      url: 'http://hub.test/courses/myNewCourse',
      isEnrolledIn: true,
      progress: 0,
    });
    expect(courses.find((c) => c.path === 'myInstitute/courses/viaGet')?.isEnrolledIn).toBe(false);
  });

  it('imports identifiers and invites into a class', async () => {
    const imported = await curl(t, auth, `${OL}/institution/importInformation`, {
      institution: 'myInstitute',
      emailAddressList: `${student.email},S123,stu-at-school\nnot an email`,
    });
    expect(imported.json()).toMatchObject({
      success: true,
      importedEmails: [student.email],
      unprocessedEmails: ['not an email'],
    });
    const invited = await curl(t, auth, `${OL}/class/invite/courses/myNewCourse/Cohorts/PaidClass`, {
      emailAddressList: 'later@example.com',
    });
    expect(invited.json()).toMatchObject({ success: true, pendingEnrolledEmails: ['later@example.com'] });
    const progress = await curl(t, auth, invited.json().job.url.replace('http://hub.test', ''));
    expect(progress.json()).toMatchObject({ success: true, job: { status: 'done', kind: 'class_invite' } });
  });
});

describe('OpenLearning bad input, each in the dialect shape and changing nothing', () => {
  it('refuses wrong Basic credentials and none at all with 401', async () => {
    for (const authorization of [
      basic(mine.api_username, 'wrong'),
      basic(student.email, 'wrong password!'),
      '',
    ]) {
      const res = await curl(t, authorization, `${OL}/course/classes/myNewCourse`);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ success: false, code: 'courses.invalid_credentials' });
      expect(res.headers['www-authenticate']).toContain('Basic');
    }
  });

  it('answers unknown course and class paths with 404', async () => {
    const course = await curl(t, auth, `${OL}/provision/class/noSuchCourse`, { title: 'X', type: 'open' });
    expect(course.statusCode).toBe(404);
    expect(course.json()).toMatchObject({ success: false, code: 'courses.not_found' });
    const cls = await curl(t, auth, `${OL}/class/courses/myNewCourse/Cohorts/Nope`, { title: 'X' });
    expect(cls.statusCode).toBe(404);
    expect(cls.json().code).toBe('courses.class_not_found');
    const route = await curl(t, auth, `${OL}/nothing/here`);
    expect(route.statusCode).toBe(404);
    expect(route.json().success).toBe(false);
  });

  it('refuses a class type outside the four, a bad price and a bad currency', async () => {
    const cases = [
      [{ title: 'Bad', type: 'secret' }, 'type'],
      [{ title: 'Bad', isBilled: 'true', studentPrice: 'twelve', currency: 'USD' }, 'studentPrice'],
      [{ title: 'Bad', isBilled: 'true', studentPrice: '12.00', currency: 'Dollars' }, 'currency'],
      [{ title: 'Bad', isBilled: 'maybe' }, 'isBilled'],
    ] as const;
    for (const [form, field] of cases) {
      const res = await curl(t, auth, `${OL}/provision/class/myNewCourse`, form);
      expect(res.statusCode).toBe(400);
      expect(res.json().success).toBe(false);
      expect(res.json().error).toContain(field);
    }
    const classes = await curl(t, auth, `${OL}/course/classes/myNewCourse`);
    expect(classes.json().classes).toHaveLength(2);
  });

  it("refuses another institution's courses, classes and portal", async () => {
    const other = basic(theirs.api_username, theirs.api_password);
    const status = await curl(t, other, `${OL}/course/status/myNewCourse`, { status: 'offline' });
    expect(status.statusCode).toBe(403);
    expect(status.json()).toMatchObject({ success: false, code: 'courses.not_owner' });
    const cls = await curl(t, other, `${OL}/provision/class/myNewCourse`, { title: 'Sneaky', type: 'open' });
    expect(cls.statusCode).toBe(403);
    const enrolments = await curl(t, other, `${OL}/institution/enrolments?institution=myInstitute`);
    expect(enrolments.statusCode).toBe(403);
    const invite = await curl(t, other, `${OL}/institution/invite`, {
      institution: 'otherInstitute',
      emailAddressList: 'x@example.com',
      enrollCohorts: '["myInstitute/courses/myNewCourse/cohorts/FirstClass"]',
    });
    expect(invite.statusCode).toBe(403);
    const badJson = await curl(t, other, `${OL}/institution/invite`, {
      institution: 'otherInstitute',
      emailAddressList: 'x@example.com',
      enrollCohorts: '[not json',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error).toContain('enrollCohorts');
    const members = await t.deps.pool.query(
      "select * from institution_members where email = 'x@example.com'",
    );
    expect(members.rows).toHaveLength(0);
    const still = await curl(t, auth, `${OL}/course/classes/myNewCourse`);
    expect(still.json().classes).toHaveLength(2);
  });
});
