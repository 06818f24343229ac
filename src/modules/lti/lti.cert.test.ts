import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { LTI } from './lti.claims.ts';
import { FakePlatform, LaunchDriver, ROLES } from './lti.testing.ts';

let hub: TestApp;
let platform: FakePlatform;
let lti: LaunchDriver;
let platformId: string;
const clock = new ManualClock(new Date());
const learner = { sub: 'learner-1', name: 'Lin Learner', roles: [ROLES.learner] };
const teacher = { sub: 'teacher-1', name: 'Ada Teacher', roles: [ROLES.instructor] };

beforeAll(async () => {
  hub = await buildTestApp({ clock });
  clock.set(new Date());
  platform = await FakePlatform.start();
  lti = new LaunchDriver(hub, platform);
  platformId = await lti.register({ auto_create_courses: true });
  // One valid launch so the context is linked and the platform's keys are cached.
  expect((await lti.launch(platform.claimsFor(teacher))).res.statusCode).toBe(303);
});
// The platform signs with the real time; the hub's clock only moves when a test moves it.
beforeEach(() => clock.set(new Date()));
afterAll(async () => {
  await platform.close();
  await hub.close();
});

function without(claims: Record<string, unknown>, name: string) {
  const copy = { ...claims };
  delete copy[name];
  return copy;
}

/** A refused launch: the status, the person's HTML page with the code, and nothing created. */
async function expectRefused(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('text/html');
  expect(res.body).toContain(code);
  expect(res.body).toContain('The link from your LMS did not work');
}

describe('LTI 1.3 certification: known bad payloads are refused and create nothing', () => {
  let before: Awaited<ReturnType<LaunchDriver['counts']>>;
  const newcomer = { sub: 'never-created', name: 'Nobody', roles: [ROLES.learner] };
  const cases: [
    string,
    () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>,
    number,
    string,
  ][] = [
    [
      'cert: No KID Sent in JWT header',
      async () => (await lti.launch(platform.claimsFor(newcomer), { kid: null })).res,
      401,
      'lti.bad_token',
    ],
    [
      'cert: Incorrect KID in JWT header',
      async () => (await lti.launch(platform.claimsFor(newcomer), { kid: 'imposter-kid' })).res,
      401,
      'lti.bad_token',
    ],
    [
      'cert: Wrong LTI Version',
      async () => (await lti.launch({ ...platform.claimsFor(newcomer), [`${LTI}version`]: '1.2.0' })).res,
      400,
      'lti.bad_request',
    ],
    [
      'cert: No LTI Version',
      async () => (await lti.launch(without(platform.claimsFor(newcomer), `${LTI}version`))).res,
      400,
      'lti.missing_claim',
    ],
    [
      'cert: Invalid LTI message (unknown message_type)',
      async () =>
        (await lti.launch({ ...platform.claimsFor(newcomer), [`${LTI}message_type`]: 'LtiMadeUpRequest' }))
          .res,
      400,
      'lti.bad_request',
    ],
    [
      'cert: message_type Claim Missing',
      async () => (await lti.launch(without(platform.claimsFor(newcomer), `${LTI}message_type`))).res,
      400,
      'lti.missing_claim',
    ],
    [
      'cert: role Claim Missing',
      async () => (await lti.launch(without(platform.claimsFor(newcomer), `${LTI}roles`))).res,
      400,
      'lti.missing_claim',
    ],
    [
      'cert: deployment_id Claim Missing',
      async () => (await lti.launch(without(platform.claimsFor(newcomer), `${LTI}deployment_id`))).res,
      400,
      'lti.missing_claim',
    ],
    [
      'cert: resource_link_id Claim Missing',
      async () => (await lti.launch(without(platform.claimsFor(newcomer), `${LTI}resource_link`))).res,
      400,
      'lti.missing_claim',
    ],
    [
      'cert: user Claim Missing (no sub)',
      async () => (await lti.launch(without(platform.claimsFor(newcomer), 'sub'))).res,
      401,
      'lti.bad_token',
    ],
    [
      'cert: Timestamps Incorrect (issued an hour ago, expired)',
      async () => (await lti.launch(platform.claimsFor(newcomer), { iatOffsetS: -3600 })).res,
      401,
      'lti.bad_token',
    ],
    [
      'unknown deployment_id',
      async () =>
        (await lti.launch({ ...platform.claimsFor(newcomer), [`${LTI}deployment_id`]: 'deployment-x' })).res,
      403,
      'lti.unknown_deployment',
    ],
    [
      'wrong aud',
      async () => (await lti.launch(platform.claimsFor(newcomer), { aud: 'someone-else' })).res,
      401,
      'lti.bad_token',
    ],
    [
      'several aud and no azp',
      async () => (await lti.launch(platform.claimsFor(newcomer), { aud: [platform.clientId, 'other'] })).res,
      401,
      'lti.bad_token',
    ],
    [
      'signed by a key that is not the platform’s (same kid)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return (await lti.launch(platform.claimsFor(newcomer), { key: privateKey })).res;
      },
      401,
      'lti.bad_token',
    ],
    [
      'alg HS256 (not RS256)',
      async () => {
        const started = await lti.login();
        const token = await new SignJWT({ ...platform.claimsFor(newcomer), nonce: started.nonce })
          .setProtectedHeader({ alg: 'HS256', kid: platform.keys.kid })
          .setIssuer(platform.issuer)
          .setAudience(platform.clientId)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-shared-secret-anyone-could-know'));
        return lti.post('/lti/launch', { id_token: token, state: started.state }, started.cookie);
      },
      401,
      'lti.bad_token',
    ],
    [
      'unsigned id_token (alg none)',
      async () => {
        const started = await lti.login();
        const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        const body = {
          ...platform.claimsFor(newcomer),
          nonce: started.nonce,
          iss: platform.issuer,
          aud: platform.clientId,
          iat: now,
          exp: now + 300,
        };
        return lti.post(
          '/lti/launch',
          { id_token: `${enc({ alg: 'none' })}.${enc(body)}.`, state: started.state },
          started.cookie,
        );
      },
      401,
      'lti.bad_token',
    ],
    [
      'id_token missing from the POST',
      async () => lti.post('/lti/launch', { state: (await lti.login()).state }),
      400,
      'lti.bad_request',
    ],
    [
      'stale state (the login is older than ten minutes)',
      async () => {
        const started = await lti.login();
        clock.advance(11 * 60_000);
        const token = await platform.idToken(platform.claimsFor(newcomer), { nonce: started.nonce });
        const res = await lti.post('/lti/launch', { id_token: token, state: started.state }, started.cookie);
        clock.set(new Date());
        return res;
      },
      401,
      'lti.bad_state',
    ],
    [
      'foreign state (no cookie, no storage)',
      async () => (await lti.launch(platform.claimsFor(newcomer), { cookie: false })).res,
      401,
      'lti.bad_state',
    ],
    [
      'state bound to another browser (another login’s cookie)',
      async () => {
        const mine = await lti.login();
        const theirs = await lti.login();
        const token = await platform.idToken(platform.claimsFor(newcomer), { nonce: theirs.nonce });
        return lti.post('/lti/launch', { id_token: token, state: theirs.state }, mine.cookie);
      },
      401,
      'lti.bad_state',
    ],
  ];

  beforeAll(async () => {
    before = await lti.counts();
  });

  for (const [name, run, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      await expectRefused(await run(), status, code);
      expect(await lti.counts()).toEqual(before);
    });
  }

  it('a replayed id_token (same state) is refused, and so is its nonce under a fresh state', async () => {
    const first = await lti.launch(platform.claimsFor(learner));
    expect(first.res.statusCode).toBe(303);
    const again = await lti.post(
      '/lti/launch',
      { id_token: first.token, state: first.started.state },
      first.started.cookie,
    );
    await expectRefused(again, 401, 'lti.bad_state');
    const fresh = await lti.login();
    const nonce = first.started.nonce;
    const replay = await platform.idToken(platform.claimsFor(learner), { nonce });
    await expectRefused(
      await lti.post('/lti/launch', { id_token: replay, state: fresh.state }, fresh.cookie),
      401,
      'lti.replayed',
    );
  });

  it('an unlinked LMS context is refused when auto-create is off, and a learner never creates a course', async () => {
    const counts = await lti.counts();
    await expectRefused(
      (await lti.launch(platform.claimsFor(learner, 'c-new'))).res,
      403,
      'lti.unlinked_context',
    );
    await lti.patch(platformId, { auto_create_courses: false });
    await expectRefused(
      (await lti.launch(platform.claimsFor(teacher, 'c-new'))).res,
      403,
      'lti.unlinked_context',
    );
    await lti.patch(platformId, { auto_create_courses: true });
    expect(await lti.counts()).toEqual(counts);
  });

  it('login refuses an unknown issuer, an unknown deployment and a target outside the hub', async () => {
    await expectRefused(
      (await lti.login({ iss: 'https://unknown.example' })).res,
      400,
      'lti.unknown_platform',
    );
    await expectRefused((await lti.login({ lti_deployment_id: 'nope' })).res, 403, 'lti.unknown_deployment');
    await expectRefused(
      (await lti.login({ target_link_uri: 'https://evil.example/' })).res,
      400,
      'lti.bad_request',
    );
  });
});

describe('platform keys', () => {
  it('refetches the JWKS when the platform signs with a new kid (rotation)', async () => {
    const fetches = platform.jwksFetches;
    await platform.rotateKeys('platform-key-2');
    clock.advance(10_000);
    const res = (await lti.launch(platform.claimsFor(learner))).res;
    expect(res.statusCode).toBe(303);
    expect(platform.jwksFetches).toBe(fetches + 1);
  });

  it('a JWKS that moved (404) or is unreachable gives the person a page and the operator a log line', async () => {
    await lti.patch(platformId, { jwks_url: `${platform.url}/moved-jwks` });
    await expectRefused(
      (await lti.launch(platform.claimsFor(learner))).res,
      502,
      'lti.platform_keys_unavailable',
    );
    await lti.patch(platformId, { jwks_url: 'http://127.0.0.1:9/jwks' });
    await expectRefused(
      (await lti.launch(platform.claimsFor(learner))).res,
      502,
      'lti.platform_keys_unavailable',
    );
    await lti.patch(platformId, { jwks_url: platform.jwksUrl });
  });
});
