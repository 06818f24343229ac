import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { oauthWorld } from '../../../test/support/oidc.ts';
import { IMAGE } from '../../dialects/badgekit/badgekit.testing.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof oauthWorld>>;
let appToken = '';
let notifyToken = '';
let aliceToken = '';
let aliceAwardToken = '';
let badgeId = '';

beforeAll(async () => {
  t = await buildTestApp();
  w = await oauthWorld(t);
  const cc = await w.token({ grant_type: 'client_credentials', scope: 'notifications badges:award' });
  appToken = cc.json<{ access_token: string }>().access_token;
  const other = await w.token({ grant_type: 'client_credentials', scope: 'notifications' });
  notifyToken = other.json<{ access_token: string }>().access_token;
  aliceToken = (await w.userToken('alice', 'openid profile')).body.access_token;
  aliceAwardToken = (await w.userToken('alice', 'openid profile badges:award')).body.access_token;
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: Record<string, unknown>) =>
  t.app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload ? { payload } : {}),
  });

describe('native badge API', () => {
  it('lets an app create its participation badge', async () => {
    const r = await call('POST', '/api/v1/badges', appToken, {
      name: 'Participated in SOGTA',
      description: 'Took part',
      criteria_url: 'https://mooc.example/sogta',
      image: IMAGE,
    });
    expect(r.statusCode).toBe(201);
    badgeId = r.json().id;
    expect(r.json()).toMatchObject({
      name: 'Participated in SOGTA',
      app_id: expect.any(String),
      url: expect.stringContaining('/ob/v2/badges/'),
    });
    const list = await call('GET', '/api/v1/badges?limit=1');
    expect(list.json()).toMatchObject({ data: [{ id: badgeId }], next_cursor: null });
  });

  it('refuses a badge from someone who is not an app, and a non-image', async () => {
    expect((await call('POST', '/api/v1/badges', undefined, { name: 'x' })).statusCode).toBe(401);
    const bad = await call('POST', '/api/v1/badges', appToken, {
      name: 'Bad',
      description: 'd',
      criteria_url: 'https://mooc.example/x',
      image: `data:image/png;base64,${Buffer.from('nope').toString('base64')}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().code).toBe('badges.invalid');
  });

  it('refuses an award from an app token without the badges:award scope, changing nothing', async () => {
    for (const token of [notifyToken, aliceToken]) {
      const r = await call('POST', `/api/v1/badges/${badgeId}/awards`, token, { user: 'alice' });
      expect(r.statusCode).toBe(403);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ code: 'badges.scope_required', scope: 'badges:award' });
    }
    expect((await call('GET', '/api/v1/users/alice/badges')).json()).toEqual({ data: [] });
  });

  it('awards the badge to a connected person, who sees it with a verify link', async () => {
    const r = await call('POST', `/api/v1/badges/${badgeId}/awards`, appToken, {
      user: `${t.config.publicUrl}/u/alice`,
    });
    expect(r.statusCode).toBe(201);
    const award = r.json();
    expect(award.verify_url).toMatch(/^http:\/\/hub\.test\/ob\/v2\/assertions\//);
    const mine = await call('GET', '/api/v1/users/alice/badges');
    expect(mine.json().data).toEqual([award]);
    const page = await t.app.inject({ url: '/u/alice' });
    expect(page.body).toContain('Participated in SOGTA');
    expect(page.body).toContain(award.verify_url);
    const events = await t.deps.pool.query<{ payload: Record<string, unknown> }>(
      "select payload from domain_events where type = 'badge.awarded'",
    );
    expect(events.rows[0]?.payload).toMatchObject({
      badge: { id: badgeId, name: 'Participated in SOGTA' },
      assertion: { id: award.id, url: award.assertion_url },
      user: { username: 'alice', email: 'alice@example.org', profile_url: `${t.config.publicUrl}/u/alice` },
      app_ids: [expect.any(String)],
    });
  });

  it('refuses a second award, a person who never connected, and an unknown person', async () => {
    const again = await call('POST', `/api/v1/badges/${badgeId}/awards`, appToken, { user: 'alice' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('badges.already_awarded');
    const bob = await call('POST', `/api/v1/badges/${badgeId}/awards`, appToken, { user: 'bob' });
    expect(bob.statusCode).toBe(403);
    expect(
      (await call('POST', `/api/v1/badges/${badgeId}/awards`, appToken, { user: 'nobody' })).statusCode,
    ).toBe(404);
    expect((await call('GET', '/api/v1/users/bob/badges')).json()).toEqual({ data: [] });
  });

  it('does not let an app acting for alice award someone else, even with the scope', async () => {
    const r = await call('POST', `/api/v1/badges/${badgeId}/awards`, aliceAwardToken, { user: 'bob' });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('badges.forbidden');
  });

  it('lets an app acting for alice, with the scope she granted, award her a badge', async () => {
    const made = await call('POST', '/api/v1/badges', appToken, {
      name: 'Finished week one',
      description: 'Week one done',
      criteria_url: 'https://mooc.example/sogta/1',
      image: IMAGE,
    });
    const r = await call('POST', `/api/v1/badges/${made.json().id}/awards`, aliceAwardToken, {
      user: 'alice',
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().badge.name).toBe('Finished week one');
  });
});
