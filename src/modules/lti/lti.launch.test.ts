import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { FakePlatform, LaunchDriver, ROLES } from './lti.testing.ts';

let hub: TestApp;
let platform: FakePlatform;
let lti: LaunchDriver;
let platformId: string;

const instructor = {
  sub: 'teacher-1',
  name: 'Ada Teacher',
  email: 'ada@school.test',
  roles: [ROLES.instructor],
};
const learner = { sub: 'learner-1', name: 'Lin Learner', email: 'lin@school.test', roles: [ROLES.learner] };

beforeAll(async () => {
  hub = await buildTestApp();
  platform = await FakePlatform.start();
  lti = new LaunchDriver(hub, platform);
  platformId = await lti.register({ auto_create_courses: true });
});
afterAll(async () => {
  await platform.close();
  await hub.close();
});

/** Follows the platform's OIDC auth endpoint over real HTTP and returns its auto-posted form. */
async function throughPlatform(authUrl: URL) {
  const html = await (await fetch(authUrl)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  const action = /action="([^"]+)"/.exec(html)?.[1] ?? '';
  return { action, id_token: field('id_token'), state: field('state') };
}

async function courseRow(path: string) {
  const { rows } = await hub.deps.pool.query<{ id: string; title: string }>(
    'select id, title from courses where path = $1',
    [path],
  );
  return rows[0];
}

async function role(userId: string) {
  const { rows } = await hub.deps.pool.query<{ role: string; status: string }>(
    'select role, status from course_memberships where user_id = $1',
    [userId],
  );
  return rows;
}

describe('LTI 1.3 launch (1EdTech certification: valid launches)', () => {
  it('cert: Valid Instructor Launch — login redirects to the platform, the posted id_token creates the course and signs the teacher in', async () => {
    platform.launchClaims = platform.claimsFor(instructor);
    const started = await lti.login();
    expect(started.res.statusCode).toBe(302);
    const auth = started.auth;
    if (!auth) throw new Error('no redirect');
    expect(`${auth.origin}${auth.pathname}`).toBe(platform.authEndpoint);
    expect(Object.fromEntries(auth.searchParams)).toMatchObject({
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: 'http://hub.test/lti/launch',
      login_hint: 'hint-1',
    });
    expect(started.rawCookie).toMatchObject({ sameSite: 'None', secure: true, httpOnly: true });

    const form = await throughPlatform(auth);
    expect(form.action).toBe('http://hub.test/lti/launch');
    const res = await lti.post('/lti/launch', { id_token: form.id_token, state: form.state }, started.cookie);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/courses\/biology-101/);
    expect(res.cookies.find((c) => c.name === 'lh_session')).toBeDefined();
    const course = await courseRow(location.slice('/courses/'.length));
    expect(course?.title).toBe('Biology 101');
    const { rows } = await hub.deps.pool.query<{ user_id: string; linked_by: string }>(
      'select user_id, linked_by from lti_accounts where sub = $1',
      [instructor.sub],
    );
    expect(rows[0]?.linked_by).toBe('created');
    expect(await role(rows[0]?.user_id ?? '')).toEqual([{ role: 'Instructor', status: 'active' }]);
  });

  it('cert: Valid Student Launch — joins the linked course as Student; a second launch reuses the same account', async () => {
    const first = await lti.launch(platform.claimsFor(learner));
    expect(first.res.statusCode).toBe(303);
    const before = await lti.counts();
    const again = await lti.launch(platform.claimsFor(learner));
    expect(again.res.statusCode).toBe(303);
    expect(again.res.headers.location).toBe(first.res.headers.location);
    expect(await lti.counts()).toEqual(before);
    const { rows } = await hub.deps.pool.query<{ user_id: string }>(
      'select user_id from lti_accounts where sub = $1',
      [learner.sub],
    );
    expect(rows).toHaveLength(1);
    expect(await role(rows[0]?.user_id ?? '')).toEqual([{ role: 'Student', status: 'active' }]);
  });

  it('maps TeachingAssistant to Grader and follows a role change on the next launch', async () => {
    const ta = { sub: 'ta-1', name: 'Tam Assistant', roles: [ROLES.instructor, ROLES.ta] };
    expect((await lti.launch(platform.claimsFor(ta))).res.statusCode).toBe(303);
    const { rows } = await hub.deps.pool.query<{ user_id: string }>(
      'select user_id from lti_accounts where sub = $1',
      ['ta-1'],
    );
    const userId = rows[0]?.user_id ?? '';
    expect(await role(userId)).toEqual([{ role: 'Grader', status: 'active' }]);
    await lti.launch(platform.claimsFor({ ...ta, roles: [ROLES.contentDeveloper] }));
    expect(await role(userId)).toEqual([{ role: 'Builder', status: 'active' }]);
  });

  it('cert: Launch Learner with no PII — an account with a placeholder address that can receive no mail', async () => {
    const res = (await lti.launch(platform.claimsFor({ sub: 'anon-77', roles: [ROLES.learner] }))).res;
    expect(res.statusCode).toBe(303);
    const { rows } = await hub.deps.pool.query<{ email: string }>(
      'select u.email from users u join lti_accounts a on a.user_id = u.id where a.sub = $1',
      ['anon-77'],
    );
    expect(rows[0]?.email).toMatch(/^lti-[0-9a-f]{32}@lti\.invalid$/);
  });

  it('launches into the course named by the launch path, also at /openlearning/lti/<launch path>', async () => {
    const location = String((await lti.launch(platform.claimsFor(learner))).res.headers.location);
    const path = location.slice('/courses/'.length);
    const other = platform.claimsFor({ ...learner }, 'c-ol');
    const res = (await lti.launch(other, { url: `/openlearning/lti/${path}` })).res;
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/courses/${path}`);
    const viaLti = (await lti.launch(platform.claimsFor(learner, 'c-ol2'), { url: `/lti/launch/${path}` }))
      .res;
    expect(viaLti.headers.location).toBe(`/courses/${path}`);
  });

  it('links an LMS person to the hub account with the same verified email only when the registration allows it', async () => {
    await hub.deps.pool.query(
      `insert into users (id, username, name, email, email_verified_at, password_hash, created_at, updated_at)
       values (gen_random_uuid(), 'existing-kim', 'Kim', 'kim@school.test', now(), 'x', now(), now())`,
    );
    const kim = { sub: 'kim-lms', name: 'Kim', email: 'kim@school.test', roles: [ROLES.learner] };
    const before = await lti.counts();
    const refused = (await lti.launch(platform.claimsFor(kim))).res;
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('lti.account_conflict');
    expect(await lti.counts()).toEqual(before);

    await lti.patch(platformId, { link_by_email: true });
    const linked = (await lti.launch(platform.claimsFor(kim))).res;
    expect(linked.statusCode).toBe(303);
    const after = await lti.counts();
    expect(after.users).toBe(before.users);
    const { rows } = await hub.deps.pool.query<{ linked_by: string; username: string }>(
      'select a.linked_by, u.username from lti_accounts a join users u on u.id = a.user_id where a.sub = $1',
      ['kim-lms'],
    );
    expect(rows[0]).toEqual({ linked_by: 'email', username: 'existing-kim' });
    await lti.patch(platformId, { link_by_email: false });
  });

  it('falls back to the platform storage (lti.put_data / lti.get_data) when the state cookie does not come back', async () => {
    const started = await lti.login({ lti_storage_target: '_parent' });
    expect(started.res.statusCode).toBe(200);
    expect(started.res.body).toContain('data-mode="put"');
    expect(started.res.headers['x-frame-options']).toBeUndefined();
    const token = await platform.idToken(platform.claimsFor(learner), { nonce: started.nonce });
    const check = await lti.post('/lti/launch', { id_token: token, state: started.state });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('data-mode="get"');
    const wrong = await lti.post('/lti/launch', {
      id_token: token,
      state: started.state,
      lti_storage_state: 'not-it',
    });
    expect(wrong.statusCode).toBe(401);
    const started2 = await lti.login({ lti_storage_target: '_parent' });
    const token2 = await platform.idToken(platform.claimsFor(learner), { nonce: started2.nonce });
    const done = await lti.post('/lti/launch', {
      id_token: token2,
      state: started2.state,
      lti_storage_state: started2.state,
    });
    expect(done.statusCode).toBe(303);
  });
});
