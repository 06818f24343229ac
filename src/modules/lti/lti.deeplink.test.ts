import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { DL, LTI } from './lti.claims.ts';
import { FakePlatform, LaunchDriver, ROLES } from './lti.testing.ts';

let hub: TestApp;
let platform: FakePlatform;
let lti: LaunchDriver;
const teacher = { sub: 'teacher-1', name: 'Ada Teacher', roles: [ROLES.instructor] };

beforeAll(async () => {
  hub = await buildTestApp();
  platform = await FakePlatform.start();
  lti = new LaunchDriver(hub, platform);
  await lti.register({ auto_create_courses: true });
  expect((await lti.launch(platform.claimsFor(teacher))).res.statusCode).toBe(303);
});
afterAll(async () => {
  await platform.close();
  await hub.close();
});

function deepLinkingClaims(roles: string[]) {
  const claims = platform.claimsFor({ ...teacher, roles });
  delete claims[`${LTI}resource_link`];
  claims[`${LTI}message_type`] = 'LtiDeepLinkingRequest';
  claims[`${DL}deep_linking_settings`] = {
    deep_link_return_url: `${platform.url}/deep-link-return`,
    accept_types: ['ltiResourceLink'],
    accept_presentation_document_targets: ['iframe', 'window'],
    accept_multiple: false,
    data: 'opaque-platform-data',
  };
  return claims;
}

describe('Deep Linking 2.0', () => {
  it('an instructor picks the linked course and the hub answers with a signed LtiDeepLinkingResponse', async () => {
    const picker = (await lti.launch(deepLinkingClaims([ROLES.instructor]))).res;
    expect(picker.statusCode).toBe(200);
    expect(picker.body).toContain('Biology 101');
    const dl = /name="dl" value="([^"]+)"/.exec(picker.body)?.[1] ?? '';
    const course = /name="course" value="([^"]+)"/.exec(picker.body)?.[1] ?? '';
    const answer = await lti.post('/lti/deep-link', { dl, course });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain(`action="${platform.url}/deep-link-return"`);
    const jwt = /name="JWT" value="([^"]+)"/.exec(answer.body)?.[1] ?? '';

    const jwks = (await hub.app.inject({ method: 'GET', url: '/lti/jwks' })).json() as JSONWebKeySet;
    const local = createLocalJWKSet(jwks);
    const { payload, protectedHeader } = await jwtVerify(jwt, local, {
      algorithms: ['RS256'],
      issuer: platform.clientId,
      audience: platform.issuer,
    });
    expect(protectedHeader.kid).toBe(jwks.keys[0]?.kid);
    expect(payload).toMatchObject({
      [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: platform.deploymentId,
      [`${DL}data`]: 'opaque-platform-data',
    });
    expect(typeof payload.nonce).toBe('string');
    const items = payload[`${DL}content_items`] as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: 'ltiResourceLink',
      title: 'Biology 101',
      custom: { hub_course: course },
      lineItem: { scoreMaximum: 100 },
    });
    expect(String(items[0]?.url)).toMatch(/^http:\/\/hub\.test\/lti\/launch\/biology-101/);
  });

  it('refuses a learner deep-linking request, an altered choice form, and a course the teacher does not manage', async () => {
    const before = await lti.counts();
    const learner = (await lti.launch(deepLinkingClaims([ROLES.learner]))).res;
    expect(learner.statusCode).toBe(400);
    expect(await lti.counts()).toEqual(before);
    const { rows } = await hub.deps.pool.query<{ role: string }>('select role from course_memberships');
    expect(rows).toEqual([{ role: 'Instructor' }]);
    expect(learner.body).toContain('lti.bad_request');
    const altered = await lti.post('/lti/deep-link', { dl: 'eyJhbGciOiJIUzI1NiJ9.e30.forged', course: 'x' });
    expect(altered.statusCode).toBe(401);
    expect(altered.body).toContain('lti.bad_state');
    await hub.deps.pool.query(
      `insert into courses (id, path, title, search, created_at, updated_at)
       values (gen_random_uuid(), 'someone-elses', 'Not yours', to_tsvector('simple', 'x'), now(), now())`,
    );
    const picker = (await lti.launch(deepLinkingClaims([ROLES.instructor]))).res;
    const dl = /name="dl" value="([^"]+)"/.exec(picker.body)?.[1] ?? '';
    const other = await lti.post('/lti/deep-link', { dl, other: 'someone-elses' });
    expect(other.statusCode).toBe(400);
    expect(other.body).not.toContain('name="JWT"');
  });
});
