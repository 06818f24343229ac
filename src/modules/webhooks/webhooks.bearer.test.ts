import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createApp } from '../oauth/index.ts';

// An app's own OAuth access token (client credentials from the hub's /oidc/token) as the principal. The
// OpenID provider keeps its own time, so this file runs on the system clock.
let t: TestApp;
let basic: string;
let appId: string;

beforeAll(async () => {
  t = await buildTestApp();
  const created = await createApp(t.deps, {
    name: 'Bearer app',
    redirectUris: ['https://bearer.example/cb'],
  });
  appId = created.app.id;
  basic = `Basic ${Buffer.from(`${created.app.clientId}:${encodeURIComponent(created.clientSecret)}`).toString('base64')}`;
});
afterAll(async () => {
  await t.close();
});

describe('webhooks with an app access token', () => {
  it('accepts a client-credentials bearer token as the app itself', async () => {
    const token = await t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', scope: 'notifications' }).toString(),
    });
    expect(token.statusCode).toBe(200);
    const authorization = `Bearer ${token.json<{ access_token: string }>().access_token}`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: { authorization },
      payload: { url: 'https://bearer.example/hooks', event_types: ['user.created'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().app_id).toBe(appId);
    const list = await t.app.inject({ url: '/api/v1/webhooks', headers: { authorization } });
    expect(list.json().data).toHaveLength(1);
  });
});
