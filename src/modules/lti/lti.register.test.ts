import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { FakePlatform } from './lti.testing.ts';

let hub: TestApp;
let platform: FakePlatform;
let admin: string;

beforeAll(async () => {
  hub = await buildTestApp();
  admin = await hub.operatorToken();
  platform = await FakePlatform.start();
});
afterAll(async () => {
  await platform.close();
  await hub.close();
});

async function registrationUrl(): Promise<URL> {
  const res = await hub.app.inject({
    method: 'POST',
    url: '/api/v1/lti/registration-urls',
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(res.statusCode).toBe(201);
  return new URL(res.json().url as string);
}

async function open(url: URL, registrationToken = 'reg-token-1') {
  url.searchParams.set('openid_configuration', `${platform.url}/openid-configuration`);
  url.searchParams.set('registration_token', registrationToken);
  return hub.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
}

describe('LTI Dynamic Registration', () => {
  it('registers the tool with the platform and stores the platform, then asks the LMS frame to close', async () => {
    const res = await open(await registrationUrl());
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-mode="close"');
    const sent = platform.registrations.at(-1);
    expect(sent?.auth).toBe('Bearer reg-token-1');
    expect(sent?.body).toMatchObject({
      initiate_login_uri: 'http://hub.test/lti/login',
      redirect_uris: ['http://hub.test/lti/launch'],
      jwks_uri: 'http://hub.test/lti/jwks',
      token_endpoint_auth_method: 'private_key_jwt',
      'https://purl.imsglobal.org/spec/lti-tool-configuration': {
        domain: 'hub.test',
        target_link_uri: 'http://hub.test/lti/launch',
      },
    });
    const list = await hub.app.inject({
      method: 'GET',
      url: '/api/v1/lti/platforms',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(list.json().data).toMatchObject([
      {
        name: `fakelms at ${new URL(platform.url).host}`,
        issuer: platform.issuer,
        client_id: 'dyn-client-1',
        deployment_ids: ['dyn-deployment-1'],
        auth_endpoint: platform.authEndpoint,
        jwks_url: platform.jwksUrl,
        auto_create_courses: false,
      },
    ]);
  });

  it('refuses without a hub-signed registration URL, and when the platform refuses the registration token', async () => {
    const before = platform.registrations.length;
    const forged = await open(new URL('http://hub.test/lti/register?hub_token=eyJhbGciOiJIUzI1NiJ9.e30.x'));
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('lti.registration_failed');
    expect(platform.registrations).toHaveLength(before);
    const badToken = await open(await registrationUrl(), 'wrong');
    expect(badToken.statusCode).toBe(400);
    expect(badToken.body).toContain('lti.registration_failed');
    const list = await hub.app.inject({
      method: 'GET',
      url: '/api/v1/lti/platforms',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(list.json().data).toHaveLength(1);
  });
});
