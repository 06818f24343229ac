import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser, linkIn, mailsTo } from '../../../test/support/web.ts';
import { person } from '../../modules/courses/courses.testing.ts';
import { createInstitution, signRequest } from '../../modules/courses/index.ts';
import { basic, curl } from './openlearning.testing.ts';

// signed_request carries real Unix time (issued_at from Python's time.time()), so this file uses the system clock.
const SCRIPT = fileURLToPath(new URL('./signed_request.py', import.meta.url));
let t: TestApp;
let secret: string;
let ssoAuth: string;

function python(userId: string, fullName: string): string {
  return execFileSync('python3', [SCRIPT, secret, userId, fullName], { encoding: 'utf8' }).trim();
}

const login = (signedRequest: string) =>
  t.app.inject({
    url: `/openlearning/courseLogin/courses/sso101?signed_request=${encodeURIComponent(signedRequest)}`,
  });

beforeAll(async () => {
  t = await buildTestApp();
  const created = await createInstitution(t.deps, { path: 'ssoInstitute', name: 'SSO Institute' });
  secret = created.sharedSecret;
  const auth = basic(created.apiUsername, created.apiPassword);
  ssoAuth = auth;
  await curl(t, auth, '/openlearning/api/provision/course/sso101', { title: 'SSO 101' });
  await curl(t, auth, '/openlearning/api/provision/class/sso101', { title: 'Cohort A', type: 'invite-only' });
  await person(t, 'outsider');
  const invite = await curl(t, auth, '/openlearning/api/institution/invite', {
    institution: 'ssoInstitute',
    emailAddressList: 'jayne@example.com,Jayne Doe',
    enrollCohorts: '["ssoInstitute/courses/sso101/cohorts/CohortA"]',
  });
  expect(invite.json().pendingEnrolledEmails).toEqual(['jayne@example.com']);
});
afterAll(async () => {
  await t.close();
});

describe('signed_request sign-in', () => {
  it("accepts the seed's Python example (Python 3): creates the invited account, enrols it and signs it in", async () => {
    const res = await login(python('jayne@example.com', 'Jayne Doe'));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/courses/sso101');
    const cookie = res.cookies.find((c) => c.name === 'lh_session');
    expect(cookie?.value).toBeTruthy();
    const me = await t.app.inject({
      method: 'POST',
      url: '/api/v1/courses/sso101/members',
      headers: { cookie: `lh_session=${cookie?.value}` },
      payload: {},
    });
    expect(me.statusCode).toBe(200);
    const user = await t.deps.pool.query('select name from users where email = $1', ['jayne@example.com']);
    expect(user.rows[0]?.name).toBe('Jayne Doe');
    const again = await login(python('jayne@example.com', 'Jayne Doe'));
    expect(again.statusCode).toBe(303);
  });

  it('accepts standard base64 without padding', async () => {
    const payload = JSON.stringify({
      issued_at: Math.floor(Date.now() / 1000),
      user_id: 'jayne@example.com',
    });
    const signed = signRequest(secret, payload, 'base64').signedRequest.replace(/=/g, '');
    expect((await login(signed)).statusCode).toBe(303);
  });

  it('refuses a tampered, an expired and a malformed signed_request with 401 in the dialect shape', async () => {
    const good = python('jayne@example.com', 'Jayne Doe');
    const [sig, payload] = good.split('.');
    const forged = Buffer.from(
      JSON.stringify({ issued_at: Math.floor(Date.now() / 1000), user_id: 'someone@example.com' }),
    ).toString('base64url');
    const old = JSON.stringify({
      issued_at: Math.floor(Date.now() / 1000) - 2 * 86_400,
      user_id: 'jayne@example.com',
    });
    for (const [signed, why] of [
      [`${sig}.${forged}`, 'does not match'],
      [signRequest(secret, old).signedRequest, 'expired'],
      [
        signRequest('not the secret', JSON.stringify({ issued_at: 1, user_id: 'x' })).signedRequest,
        'does not match',
      ],
      ['garbage', 'signature.payload'],
      [`${sig}.${payload}!`, 'base64'],
    ] as const) {
      const res = await login(signed);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ success: false, code: 'courses.bad_signed_request' });
      expect(res.json().error).toContain(why);
    }
  });

  it('refuses an address that was not invited and an existing account the institution does not manage', async () => {
    const stranger = await login(python('stranger@example.com', 'Who'));
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().code).toBe('courses.sso_refused');
    const outsider = await login(python('outsider@example.org', 'Out Sider'));
    expect(outsider.statusCode).toBe(403);
    expect(outsider.cookies.find((c) => c.name === 'lh_session')).toBeUndefined();
    const users = await t.deps.pool.query("select 1 from users where email = 'stranger@example.com'");
    expect(users.rows).toHaveLength(0);
  });

  it('offers referenceHMAC and testHMAC that agree with the Python implementation', async () => {
    const fromPython = python('jayne@example.com', 'Jayne Doe');
    const payloadJson = Buffer.from(fromPython.split('.')[1] ?? '', 'base64url').toString('utf8');
    const reference = await t.app.inject({
      url: `/openlearning/api/login/referenceHMAC/?payload=${encodeURIComponent(payloadJson)}&secret=${encodeURIComponent(secret)}`,
    });
    expect(reference.statusCode).toBe(200);
    expect(reference.json().signed_request).toBe(fromPython);
    const test = await t.app.inject({
      url: `/openlearning/api/login/testHMAC/?signed_request=${encodeURIComponent(fromPython)}&secret=${encodeURIComponent(secret)}`,
    });
    expect(test.json()).toMatchObject({ success: true, payload: { user_id: 'jayne@example.com' } });
    const wrong = await t.app.inject({
      url: `/openlearning/api/login/testHMAC?signed_request=${encodeURIComponent(fromPython)}&secret=nope`,
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().success).toBe(false);
  });

  it("does not let an institution's sign-in claim other institutions' invitations before the person verifies", async () => {
    const email = 'kaylee@example.com';
    const other = await createInstitution(t.deps, { path: 'otherInstitute', name: 'Other Institute' });
    const otherAuth = basic(other.apiUsername, other.apiPassword);
    await curl(t, otherAuth, '/openlearning/api/provision/course/other101', { title: 'Other 101' });
    await curl(t, otherAuth, '/openlearning/api/provision/class/other101', {
      title: 'Cohort B',
      type: 'invite-only',
    });
    for (const [auth, institution, cohort] of [
      [otherAuth, 'otherInstitute', 'otherInstitute/courses/other101/cohorts/CohortB'],
      [ssoAuth, 'ssoInstitute', 'ssoInstitute/courses/sso101/cohorts/CohortA'],
    ] as const) {
      const invite = await curl(t, auth, '/openlearning/api/institution/invite', {
        institution,
        emailAddressList: `${email},Kaylee Frye`,
        enrollCohorts: JSON.stringify([cohort]),
      });
      expect(invite.json().pendingEnrolledEmails).toEqual([email]);
    }
    const enrolledAtOther = async () =>
      (
        await curl(
          t,
          otherAuth,
          '/openlearning/api/institution/enrolments?institution=otherInstitute&search=Kaylee',
        )
      ).json().enrolments as unknown[];

    // The signing institution vouches for its own course: the account is created and enrolled there...
    expect((await login(python(email, 'Kaylee Frye'))).statusCode).toBe(303);
    await t.runJobs();
    const user = await t.deps.pool.query('select email_verified_at from users where email = $1', [email]);
    expect(user.rows[0]?.email_verified_at).toBeNull();
    // ...but another institution's invitation waits until the person proves the address to the hub.
    expect(await enrolledAtOther()).toEqual([]);
    const mails = await mailsTo(t.deps.pool, email);
    const verify = await new Browser(t.app).get(linkIn(mails.at(-1)?.text ?? '', '/verify-email'));
    expect(verify.statusCode).toBe(200);
    await t.runJobs();
    expect(await enrolledAtOther()).toEqual([expect.objectContaining({ email })]);
  });
});
