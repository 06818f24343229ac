import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { Browser } from '../../../test/support/web.ts';
import { AppError } from '../../errors/index.ts';
import {
  createUser,
  getUserById,
  getUserByUsername,
  profileUrl,
  resolveUserRef,
  sessionUser,
} from './index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = 'correct horse battery staple';

describe('identity contract for other modules', () => {
  it('creates a user, finds it by id, username and profile URL, and records user.created', async () => {
    const user = await createUser(t.deps, {
      username: 'Ada_L',
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      password: PASSWORD,
    });
    expect(user).toMatchObject({
      username: 'Ada_L',
      name: 'Ada Lovelace',
      emailVerified: false,
      admin: false,
    });
    expect(profileUrl(t.config, 'Ada_L')).toBe('http://hub.test/u/Ada_L');
    expect((await getUserById(t.deps, user.id))?.username).toBe('Ada_L');
    expect((await getUserByUsername(t.deps, 'ada_l'))?.id).toBe(user.id);
    expect((await resolveUserRef(t.deps, 'http://hub.test/u/Ada_L'))?.id).toBe(user.id);
    expect((await resolveUserRef(t.deps, user.id))?.id).toBe(user.id);
    expect((await resolveUserRef(t.deps, 'ada_l'))?.id).toBe(user.id);
    expect(await resolveUserRef(t.deps, 'http://elsewhere.test/u/Ada_L')).toBeUndefined();
    expect(await getUserById(t.deps, 'not-a-uuid')).toBeUndefined();

    const events = await t.deps.pool.query<{ type: string; subject: string; payload: unknown }>(
      "select type, subject, payload from domain_events where type = 'user.created'",
    );
    expect(events.rows).toEqual([
      {
        type: 'user.created',
        subject: `user:${user.id}`,
        payload: {
          user: {
            id: user.id,
            username: 'Ada_L',
            email: 'ada@example.org',
            profile_url: 'http://hub.test/u/Ada_L',
          },
        },
      },
    ]);
  });

  it('refuses a taken username with identity.username_taken, whatever its case', async () => {
    await expect(
      createUser(t.deps, { username: 'ADA_L', name: 'X', email: 'other@example.org', password: PASSWORD }),
    ).rejects.toMatchObject({ code: 'identity.username_taken', status: 409 });
  });

  it('signs in through the form and returns to the given path; the session makes a user principal', async () => {
    await createUser(t.deps, {
      username: 'grace',
      name: 'Grace Hopper',
      email: 'grace@example.org',
      password: PASSWORD,
      admin: true,
      emailVerified: true,
    });
    const browser = new Browser(t.app);
    const res = await browser.submit('/login?return_to=/oidc/interaction/abc123', {
      email: 'grace@example.org',
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/oidc/interaction/abc123');
    const cookie = res.cookies.find((c) => c.name === 'lh_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();

    // A route declaring principals ['user'] (the admin outbox page) accepts the session.
    const mail = await browser.get('/admin/mail');
    expect(mail.statusCode).toBe(200);

    const request = { cookies: { lh_session: browser.cookies.get('lh_session') } };
    const user = await sessionUser(t.deps, request as unknown as Parameters<typeof sessionUser>[1]);
    expect(user?.username).toBe('grace');
  });

  it('throws AppError values with identity.invalid_* codes for bad input', async () => {
    const bad = createUser(t.deps, { username: 'x', name: 'X', email: 'x@example.org', password: PASSWORD });
    await expect(bad).rejects.toBeInstanceOf(AppError);
    await expect(bad).rejects.toMatchObject({ code: 'identity.invalid_username' });
  });
});
