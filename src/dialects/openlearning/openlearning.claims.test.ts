import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { confirmSignupLink, signupLinkFor } from '../../../test/support/signup.ts';
import { Browser, mailsTo } from '../../../test/support/web.ts';
import { createUser } from '../../modules/identity/index.ts';
import {
  basic,
  cliEnv,
  createInstitutionByCli,
  curl,
  type InstitutionCreds,
} from './openlearning.testing.ts';

// Invitations wait for the invited person: claimed once their account has a proven address (sign-up with a
// verified address, or the mailed sign-up link), and the seed's generateAccount.
let t: TestApp;
let school: InstitutionCreds;
let auth: string;
const OL = '/openlearning/api';
const PASSWORD = 'a long enough pass phrase';

beforeAll(async () => {
  t = await buildTestApp();
  school = await createInstitutionByCli(t, 'claimSchool', 'Claim School');
  auth = basic(school.api_username, school.api_password);
  for (const course of ['cohortCourse', 'classCourse']) {
    const created = await curl(t, auth, `${OL}/provision/course/${course}`, { title: `The ${course}` });
    expect(created.statusCode).toBe(200);
    const cls = await curl(t, auth, `${OL}/provision/class/${course}`, {
      title: 'Invited',
      type: 'invite-only',
    });
    expect(cls.statusCode).toBe(200);
  }
}, 120_000);
afterAll(async () => {
  await t.close();
});

async function enrolledIn(email: string, password: string): Promise<string[]> {
  const res = await curl(t, basic(email, password), `${OL}/institution/myCourses?institution=claimSchool`);
  expect(res.statusCode).toBe(200);
  const courses = res.json().courses as { path: string; isEnrolledIn: boolean }[];
  return courses.filter((c) => c.isEnrolledIn).map((c) => c.path.split('/').at(-1) ?? '');
}

async function enrolmentEvents(email: string): Promise<number> {
  const res = await t.deps.pool.query<{ n: string }>(
    `select count(*) as n from domain_events where type = 'enrolment.created' and payload->'user'->>'email' = $1`,
    [email],
  );
  return Number(res.rows[0]?.n);
}

async function inviteBoth(email: string, extra: Record<string, string> = {}) {
  const institution = await curl(t, auth, `${OL}/institution/invite`, {
    institution: 'claimSchool',
    emailAddressList: `${email},Pat Pending,Year 1`,
    enrollCohorts: JSON.stringify(['claimSchool/courses/cohortCourse/Cohorts/Invited']),
    ...extra,
  });
  expect(institution.statusCode, institution.body).toBe(200);
  return institution;
}

describe('invitations are claimed when the invited person has a proven address', () => {
  it('enrols nobody while a sign-up waits for its link, then everything once when the link is used', async () => {
    const email = 'pat@example.net';
    expect((await inviteBoth(email)).json().pendingEnrolledEmails).toEqual([email]);
    const classInvite = await curl(t, auth, `${OL}/class/invite/courses/classCourse/Cohorts/Invited`, {
      emailAddressList: email,
    });
    expect(classInvite.json().pendingEnrolledEmails).toEqual([email]);

    // Anyone can fill in the sign-up form with any address: until the mailed link is used there is no account,
    // and the invitations stay pending.
    const browser = new Browser(t.app);
    const signup = await browser.submit('/signup', {
      name: 'Pat',
      username: 'pat',
      email,
      password: PASSWORD,
    });
    expect(signup.statusCode).toBe(200);
    const link = await signupLinkFor(t, email);
    const pending = await curl(t, auth, `${OL}/institution/enrolments?institution=claimSchool&search=Pat`);
    expect(pending.json().enrolments).toEqual([]);

    // An account whose address is not proven (made by an operator or SSO) cannot join an invite-only class.
    await curl(t, auth, `${OL}/class/invite/courses/classCourse/Cohorts/Invited`, {
      emailAddressList: 'una@example.net',
    });
    await createUser(t.deps, { name: 'Una', username: 'una', email: 'una@example.net', password: PASSWORD });
    const una = new Browser(t.app);
    expect((await una.submit('/login', { email: 'una@example.net', password: PASSWORD })).statusCode).toBe(
      303,
    );
    const classes = await t.app.inject({ url: '/api/v1/courses/classCourse/classes' });
    const join = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses/classCourse/members',
      headers: { cookie: una.cookieHeader() },
      payload: { class_id: classes.json().data[0].id },
    });
    expect(join.statusCode).toBe(403);
    expect(join.json().code).toBe('courses.email_unverified');

    const confirmed = await confirmSignupLink(browser, link);
    expect(confirmed.statusCode).toBe(303);
    await t.runJobs();
    expect((await enrolledIn(email, PASSWORD)).sort()).toEqual(['classCourse', 'cohortCourse']);
    expect(await enrolmentEvents(email)).toBe(2);
    const joined = await curl(t, auth, `${OL}/institution/enrolments?institution=claimSchool&search=Pat`);
    expect(joined.json().enrolments).toEqual([
      expect.objectContaining({ email, username: 'pat', profileUrl: 'http://hub.test/u/pat' }),
    ]);

    // A redelivered event (a retried job) claims nothing twice.
    await t.deps.pool.query(
      `select graphile_worker.add_job('courses.claim_invitations', json_build_object('id', id))
         from domain_events where type = 'user.email_verified' and subject like 'user:%'`,
    );
    await t.runJobs();
    expect(await enrolmentEvents(email)).toBe(2);
    const again = await inviteBoth(email);
    expect(again.json().alreadyEnrolledStudents).toEqual([expect.objectContaining({ email })]);
  });

  it('claims at sign-up when the account starts with a verified address (an operator vouches)', async () => {
    const email = 'vouched@example.net';
    await inviteBoth(email);
    const created = await runCli(
      [
        'users',
        'create',
        '--username',
        'vouched',
        '--name',
        'Vouched',
        '--email',
        email,
        '--password',
        PASSWORD,
      ],
      cliEnv(t),
    );
    expect(created.code, created.stderr).toBe(0);
    await t.runJobs();
    expect(await enrolledIn(email, PASSWORD)).toEqual(['cohortCourse']);
    expect(await enrolmentEvents(email)).toBe(1);
  }, 60_000);
});

describe("the seed's generateAccount", () => {
  it('is ignored for an institution without the feature: no account, an invitation', async () => {
    const before = await t.deps.pool.query('select id from users');
    const res = await inviteBoth('ignored@example.net', { generateAccount: 'true' });
    expect(res.json().pendingEnrolledEmails).toEqual(['ignored@example.net']);
    expect((await t.deps.pool.query('select id from users')).rowCount).toBe(before.rowCount);
    await t.runJobs();
    const [mail] = await mailsTo(t.deps.pool, 'ignored@example.net');
    expect(mail?.text).toContain('/signup');
  });

  it('creates the account, mails its password and enrols it once, when the institution has the feature', async () => {
    const on = await runCli(['institutions', 'generate-accounts', '--path', 'claimSchool', 'on'], cliEnv(t));
    expect(on.code, on.stderr).toBe(0);
    const email = 'generated@example.net';
    const res = await inviteBoth(email, { generateAccount: 'true' });
    expect(res.json()).toMatchObject({
      success: true,
      pendingEnrolledEmails: [email],
      autoEnrolledStudents: [],
      unprocessedEmails: [],
    });
    const users = await t.deps.pool.query<{
      name: string;
      email_verified_at: Date | null;
      password_hash: string;
    }>('select name, email_verified_at, password_hash from users where email = $1', [email]);
    expect(users.rows).toHaveLength(1);
    expect(users.rows[0]).toMatchObject({ name: 'Pat Pending', email_verified_at: null });
    await t.runJobs();
    const mail = (await mailsTo(t.deps.pool, email)).find((m) => m.subject.includes('Your account'));
    const password = /\n {4}(\S+)\n/.exec(mail?.text ?? '')?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(users.rows[0]?.password_hash).not.toContain(password);
    expect(await enrolledIn(email, password)).toEqual(['cohortCourse']);
    expect(await enrolmentEvents(email)).toBe(1);
    // The address itself is not proven by the institution's list: identity asks the person to confirm it.
    expect((await mailsTo(t.deps.pool, email)).map((m) => m.subject)).toEqual(
      expect.arrayContaining([expect.stringContaining('Confirm your email')]),
    );
    const again = await inviteBoth(email, { generateAccount: 'true' });
    expect(again.json().alreadyEnrolledStudents).toEqual([expect.objectContaining({ email })]);
    expect((await t.deps.pool.query('select id from users where email = $1', [email])).rowCount).toBe(1);
  }, 60_000);

  it('refuses a generateAccount that is neither true nor false, and invites nobody', async () => {
    const res = await curl(t, auth, `${OL}/institution/invite`, {
      institution: 'claimSchool',
      emailAddressList: 'maybe@example.net',
      generateAccount: 'maybe',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ success: false, error: expect.stringContaining('generateAccount') });
    const members = await t.deps.pool.query('select id from institution_members where email = $1', [
      'maybe@example.net',
    ]);
    expect(members.rowCount).toBe(0);
  });
});
