import type { TestApp } from '../../../test/support/app.ts';
import { Browser } from '../../../test/support/web.ts';
import { createUser, type User } from '../identity/index.ts';
import { createApp } from '../oauth/index.ts';

/** Helpers for the courses tests (not a test file itself). */

export const PASSWORD = 'correct horse battery staple';

/** An app and a client-credentials access token for it (`Authorization: Bearer ...`). */
export async function appWithToken(
  t: TestApp,
  name: string,
): Promise<{ appId: string; authorization: string }> {
  const created = await createApp(t.deps, {
    name,
    redirectUris: [`https://${name.toLowerCase()}.example/cb`],
  });
  const basic = `Basic ${Buffer.from(`${created.app.clientId}:${encodeURIComponent(created.clientSecret)}`).toString('base64')}`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', scope: 'notifications' }).toString(),
  });
  const token = res.json<{ access_token?: string }>().access_token;
  if (!token) throw new Error(`no token: ${res.body}`);
  return { appId: created.app.id, authorization: `Bearer ${token}` };
}

export async function person(t: TestApp, username: string): Promise<User> {
  return createUser(t.deps, {
    username,
    name: `${username} Person`,
    email: `${username}@example.org`,
    password: PASSWORD,
    emailVerified: true,
  });
}

/** A cookie-keeping browser signed in as the user. */
export async function signedIn(t: TestApp, user: User): Promise<Browser> {
  const browser = new Browser(t.app);
  const res = await browser.submit('/login', { email: user.email, password: PASSWORD });
  if (res.statusCode !== 303 && res.statusCode !== 302) throw new Error(`sign-in failed: ${res.statusCode}`);
  return browser;
}

export async function eventsOfType(t: TestApp, type: string) {
  const res = await t.deps.pool.query<{ payload: Record<string, unknown> }>(
    'select payload from domain_events where type = $1 order by seq',
    [type],
  );
  return res.rows.map((r) => r.payload);
}
