import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type User } from '../../src/modules/identity/index.ts';
import { createApp } from '../../src/modules/oauth/index.ts';
import { buildTestApp, type TestApp } from '../support/app.ts';
import { Browser } from '../support/web.ts';

// One meaning of "hub administrator" (isAdmin in src/http/principal.ts) in the four modules that decide it:
// admin, oauth, events and webhooks. Each case names who is let in and who is refused, through the routes.
const PASSWORD = 'a long enough passphrase';

let t: TestApp;
let adminUser: User;
let plainUser: User;

beforeAll(async () => {
  t = await buildTestApp();
  const person = (username: string, admin: boolean) =>
    createUser(t.deps, {
      username,
      name: username,
      email: `${username}@example.org`,
      password: PASSWORD,
      emailVerified: true,
      admin,
    });
  adminUser = await person('olga', true);
  plainUser = await person('pat', false);
});
afterAll(async () => {
  await t.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A signed-in browser session's cookie header. */
async function sessionOf(user: User): Promise<{ cookie: string }> {
  const browser = new Browser(t.app);
  const res = await browser.submit('/login', { email: user.email, password: PASSWORD }, '/login');
  expect(res.statusCode).toBe(303);
  return { cookie: browser.cookieHeader() };
}

async function appOwnedBy(user: User, name: string) {
  return (await createApp(t.deps, { name, redirectUris: ['https://app.example/cb'], ownerUserId: user.id }))
    .app;
}

describe('the admin module (the outbox)', () => {
  it('lets an admin operator token and an admin user read it, and refuses a non-admin token and a plain user', async () => {
    const url = '/api/v1/admin/mail';
    const admitted = [bearer(await t.operatorToken()), await sessionOf(adminUser)];
    for (const headers of admitted) {
      expect((await t.app.inject({ url, headers })).statusCode).toBe(200);
    }
    const refused = [bearer(await t.operatorToken({ admin: false })), await sessionOf(plainUser)];
    for (const headers of refused) {
      const res = await t.app.inject({ url, headers });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('admin.not_admin');
    }
  });
});

describe('the oauth module (apps)', () => {
  it("lets an admin token and an admin user see and change someone else's app", async () => {
    const app = await appOwnedBy(plainUser, 'Pat’s tool');
    for (const headers of [bearer(await t.operatorToken()), await sessionOf(adminUser)]) {
      const list = await t.app.inject({ url: '/api/v1/apps?limit=100', headers });
      expect(list.json().data.map((a: { id: string }) => a.id)).toContain(app.id);
      const one = await t.app.inject({ url: `/api/v1/apps/${app.id}`, headers });
      expect(one.statusCode).toBe(200);
    }
  });

  it('no longer lets a non-admin operator token list, read or create apps (isAdmin is stricter here)', async () => {
    const app = await appOwnedBy(plainUser, 'Pat’s other tool');
    const headers = bearer(await t.operatorToken({ admin: false }));
    const list = await t.app.inject({ url: '/api/v1/apps?limit=100', headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toEqual([]);
    const one = await t.app.inject({ url: `/api/v1/apps/${app.id}`, headers });
    expect(one.statusCode).toBe(404);
    const before = await t.deps.pool.query<{ n: number }>('select count(*)::int as n from oauth_apps');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers,
      payload: { name: 'Nobody’s', redirect_uris: ['https://x.example/cb'] },
    });
    expect(created.statusCode).toBe(403);
    expect(created.json().code).toBe('oauth.not_app_owner');
    const after = await t.deps.pool.query<{ n: number }>('select count(*)::int as n from oauth_apps');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('lets a plain user see only their own apps, and an admin token create an app with no owner', async () => {
    const mine = await appOwnedBy(plainUser, 'Pat’s own');
    const theirs = await appOwnedBy(adminUser, 'Root’s own');
    const list = await t.app.inject({ url: '/api/v1/apps?limit=100', headers: await sessionOf(plainUser) });
    const ids = list.json().data.map((a: { id: string }) => a.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/apps',
      headers: bearer(await t.operatorToken()),
      payload: { name: 'The hub’s', redirect_uris: ['https://hub-tool.example/cb'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().owner_user_id).toBeNull();
  });
});

describe('the events module (Event Store programs)', () => {
  it('lets an admin operator token list and create programs, and refuses a non-admin token', async () => {
    const admin = bearer(await t.operatorToken());
    expect((await t.app.inject({ url: '/api/v1/events/programs', headers: admin })).statusCode).toBe(200);
    const reader = bearer(await t.operatorToken({ admin: false }));
    for (const res of [
      await t.app.inject({ url: '/api/v1/events/programs', headers: reader }),
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/events/programs',
        headers: reader,
        payload: { program_id: 'nonadmin', name: 'Not allowed' },
      }),
    ]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('events.operators_only');
    }
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/programs',
      headers: admin,
      payload: { program_id: 'byadmin', name: 'Made by an admin' },
    });
    expect(made.statusCode).toBe(201);
  });

  it("does not accept an admin user's session: the routes take program keys and operator tokens only", async () => {
    const res = await t.app.inject({ url: '/api/v1/events/programs', headers: await sessionOf(adminUser) });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.wrong_principal');
  });
});

describe('the webhooks module', () => {
  it("lets an admin operator token list any app's endpoints, and refuses a non-admin token and a session", async () => {
    const app = await appOwnedBy(plainUser, 'Pat’s hooks');
    const url = `/api/v1/webhooks?app_id=${app.id}`;
    const admitted = await t.app.inject({ url, headers: bearer(await t.operatorToken()) });
    expect(admitted.statusCode).toBe(200);
    const reader = await t.app.inject({ url, headers: bearer(await t.operatorToken({ admin: false })) });
    expect(reader.statusCode).toBe(403);
    expect(reader.json().code).toBe('webhooks.not_allowed');
    const session = await t.app.inject({ url, headers: await sessionOf(adminUser) });
    expect(session.statusCode).toBe(403);
    expect(session.json().code).toBe('auth.wrong_principal');
  });
});
