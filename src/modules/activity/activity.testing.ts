import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../../test/support/app.ts';
import { oauthWorld, PASSWORD } from '../../../test/support/oidc.ts';
import { createUser } from '../identity/index.ts';

/** Test helpers for the activity tests (not a test file itself). */

export const COURSE = 'https://mooc.example/courses/sogta';

/**
 * alice and bob, the MOOC app (owned by bob), the app's own token (client credentials) and alice's user
 * token carrying her `activities:publish` grant to the app.
 */
export async function activityWorld(t: TestApp) {
  const w = await oauthWorld(t);
  const cc = await w.token({ grant_type: 'client_credentials', scope: 'activities:publish' });
  if (cc.statusCode !== 200) throw new Error(`client credentials answered ${cc.statusCode}: ${cc.body}`);
  const appToken = cc.json<{ access_token: string }>().access_token;
  const alice = await w.userToken('alice', 'openid profile activities:publish');
  const profile = (username: string) => `${t.config.publicUrl}/u/${username}`;

  function send(
    method: 'POST' | 'PUT',
    token: string,
    payload: Record<string, unknown>,
    url = '/api/v1/activities',
  ): Promise<LightMyRequestResponse> {
    return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
  }

  const person = (username: string, name: string) =>
    createUser(t.deps, {
      username,
      name,
      email: `${username}@example.org`,
      password: PASSWORD,
      emailVerified: true,
    });

  return {
    ...w,
    person,
    appToken,
    aliceToken: alice.body.access_token,
    aliceBrowser: alice.browser,
    profile,
    publish: (token: string, payload: Record<string, unknown>) => send('POST', token, payload),
    put: (token: string, id: string, payload: Record<string, unknown>) =>
      send('PUT', token, payload, `/api/v1/activities/${id}`),
    feed: (query: Record<string, string>, headers: Record<string, string> = {}) =>
      t.app.inject({ url: `/api/v1/activities?${new URLSearchParams(query).toString()}`, headers }),
  };
}

export async function countActivities(t: TestApp): Promise<{ activities: number; nouns: number }> {
  const res = await t.deps.pool.query<{ a: number; n: number }>(
    'select (select count(*)::int from activities) as a, (select count(*)::int from activity_nouns) as n',
  );
  return { activities: res.rows[0]?.a ?? 0, nouns: res.rows[0]?.n ?? 0 };
}
