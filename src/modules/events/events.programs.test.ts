import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { RETENTION } from './events.jobs.ts';
import { createProgram } from './index.ts';

/** Programs, keys and grants over the native API, and retention driven by EVENT_RETENTION_DAYS. */
let t: TestApp;
let foo: { user_id: string; api_key: string };
let bar: { user_id: string; api_key: string };
const basic = (k: { user_id: string; api_key: string }) => ({
  authorization: `Basic ${Buffer.from(`${k.user_id}:${k.api_key}`).toString('base64')}`,
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const event = (programId: string) => ({
  program_id: programId,
  member_id: 'ann@example.com',
  type: 'course.completed',
  start_at: '2026-04-01T09:00:00Z',
});

beforeAll(async () => {
  t = await buildTestApp();
  foo = await createProgram(t.deps, { id: 'FOO', name: 'Foo Academy' });
  bar = await createProgram(t.deps, { id: 'BAR', name: 'Bar Badges' });
});
afterAll(async () => {
  await t.close();
});

describe('programs API (/api/v1/events/programs)', () => {
  it('lets an admin operator create a program whose first key works at once, and no one else', async () => {
    const admin = await t.operatorToken();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/programs',
      headers: bearer(admin),
      payload: { program_id: 'NEW', name: 'New Program', owner: 'ops@example.org' },
    });
    expect(created.statusCode).toBe(201);
    const key = created.json();
    expect(key).toMatchObject({
      program_id: 'NEW',
      user_id: expect.stringMatching(/^ek_/),
      expires_at: null,
    });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/NEW-1',
      headers: basic(key),
      payload: event('NEW'),
    });
    expect(put.statusCode).toBe(200);

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/programs',
      headers: bearer(admin),
      payload: { program_id: 'NEW', name: 'Again' },
    });
    expect(again.statusCode).toBe(409);
    const badId = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/programs',
      headers: bearer(admin),
      payload: { program_id: 'NO-HYPHENS', name: 'Bad' },
    });
    expect(badId.statusCode).toBe(400);
    for (const headers of [basic(foo), bearer(await t.operatorToken({ admin: false }))]) {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events/programs',
        headers,
        payload: { program_id: 'SNEAK', name: 'Sneak' },
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
    }
    const none = await t.app.inject({ url: '/api/v1/events/programs/SNEAK', headers: bearer(admin) });
    expect(none.statusCode).toBe(404);
    const all = await t.app.inject({ url: '/api/v1/events/programs', headers: bearer(admin) });
    expect(all.json().data.map((p: { program_id: string }) => p.program_id)).toEqual(['BAR', 'FOO', 'NEW']);
  });

  it("shows a program's key only its own program, and its keys without any secret", async () => {
    const mine = await t.app.inject({ url: '/api/v1/events/programs', headers: basic(foo) });
    expect(mine.json()).toEqual({
      data: [{ program_id: 'FOO', name: 'Foo Academy', owner: null, created_at: expect.any(String) }],
    });
    const keys = await t.app.inject({ url: '/api/v1/events/programs/FOO/keys', headers: basic(foo) });
    expect(keys.statusCode).toBe(200);
    expect(keys.json().data).toContainEqual(
      expect.objectContaining({ user_id: foo.user_id, revoked_at: null }),
    );
    expect(keys.body).not.toContain(foo.api_key);
    expect(keys.body).not.toMatch(/secret|hash|[0-9a-f]{64}/);
  });

  it("refuses another program's key on every program route, whether or not the program exists", async () => {
    const routes = [
      ['GET', '/api/v1/events/programs/FOO'],
      ['GET', '/api/v1/events/programs/FOO/keys'],
      ['POST', '/api/v1/events/programs/FOO/keys'],
      ['DELETE', `/api/v1/events/programs/FOO/keys/${foo.user_id}`],
      ['GET', '/api/v1/events/programs/FOO/grants'],
      ['PUT', '/api/v1/events/programs/FOO/grants/BAR'],
      ['DELETE', '/api/v1/events/programs/FOO/grants/BAR'],
      ['GET', '/api/v1/events/programs/GHOST/keys'],
    ] as const;
    for (const [method, url] of routes) {
      const res = await t.app.inject({
        method,
        url,
        headers: basic(bar),
        ...(method === 'POST' || method === 'PUT' ? { payload: {} } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json()).toMatchObject({ code: 'events.not_program_owner' });
    }
    // BAR's key naming FOO's key under BAR's own program finds nothing and revokes nothing.
    const sideways = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/events/programs/BAR/keys/${foo.user_id}`,
      headers: basic(bar),
    });
    expect(sideways.statusCode).toBe(404);
    const still = await t.app.inject({ url: '/api/v1/events/programs/FOO', headers: basic(foo) });
    expect(still.statusCode).toBe(200);
    const anonymous = await t.app.inject({ url: '/api/v1/events/programs/FOO/keys' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('adds a key that works, and refuses a revoked key at once, even one verified a moment ago', async () => {
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/programs/FOO/keys',
      headers: basic(foo),
      payload: { name: 'ci', expires_in_days: 30 },
    });
    expect(added.statusCode).toBe(201);
    const ci = added.json();
    expect(ci).toMatchObject({ program_id: 'FOO', expires_at: expect.any(String) });
    const put = () =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/events/FOO-k1',
        headers: basic(ci),
        payload: event('FOO'),
      });
    expect((await put()).statusCode).toBe(200);
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/events/programs/FOO/keys/${ci.user_id}`,
      headers: basic(foo),
    });
    expect(revoke.statusCode).toBe(204);
    const refused = await put();
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ code: 'events.invalid_key' });
    const repeat = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/events/programs/FOO/keys/${ci.user_id}`,
      headers: basic(foo),
    });
    expect(repeat.statusCode).toBe(204);
    const keys = await t.app.inject({ url: '/api/v1/events/programs/FOO/keys', headers: basic(foo) });
    expect(keys.json().data.find((k: { user_id: string }) => k.user_id === ci.user_id)).toMatchObject({
      name: 'ci',
      revoked_at: expect.any(String),
    });
    const tooLong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/programs/FOO/keys',
      headers: basic(foo),
      payload: { expires_in_days: 0 },
    });
    expect(tooLong.statusCode).toBe(400);
  });

  it('lets a producer grant and withdraw read access, and shows each side its grants', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/FOO-g1',
      headers: basic(foo),
      payload: event('FOO'),
    });
    const read = () => t.app.inject({ url: '/api/v1/events?program=FOO', headers: basic(bar) });
    expect((await read()).statusCode).toBe(403);
    const granted = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/programs/FOO/grants/BAR',
      headers: basic(foo),
      payload: { types: ['course.completed'] },
    });
    expect(granted.statusCode).toBe(204);
    const feed = await read();
    expect(feed.statusCode).toBe(200);
    expect(feed.json().data.map((c: { event_id: string }) => c.event_id)).toContain('FOO-g1');
    const expected = {
      consumer_id: 'BAR',
      producer_id: 'FOO',
      types: ['course.completed'],
      created_at: expect.any(String),
    };
    for (const [program, key] of [
      ['FOO', foo],
      ['BAR', bar],
    ] as const) {
      const grants = await t.app.inject({
        url: `/api/v1/events/programs/${program}/grants`,
        headers: basic(key),
      });
      expect(grants.json()).toEqual({ data: [expected] });
    }
    const badType = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/programs/FOO/grants/BAR',
      headers: basic(foo),
      payload: { types: ['not a type'] },
    });
    expect(badType.statusCode).toBe(400);
    const ghost = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/programs/FOO/grants/GHOST',
      headers: basic(foo),
      payload: {},
    });
    expect(ghost.statusCode).toBe(404);
    const withdrawn = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/events/programs/FOO/grants/BAR',
      headers: basic(foo),
    });
    expect(withdrawn.statusCode).toBe(204);
    expect((await read()).statusCode).toBe(403);
  });
});

describe('retention by age (EVENT_RETENTION_DAYS)', () => {
  it('is off by default and refuses a value that is not a number of days', () => {
    expect(t.deps.jobs.cronItems().map((c) => c.task)).not.toContain(RETENTION);
    expect(t.deps.jobs.has(RETENTION)).toBe(false);
    expect(loadConfig({}).eventRetentionDays).toBe(0);
    expect(() => loadConfig({ EVENT_RETENTION_DAYS: 'a month' })).toThrow(ConfigError);
    expect(() => loadConfig({ EVENT_RETENTION_DAYS: '99999' })).toThrow(ConfigError);
  });

  it('runs daily when set, deleting events unchanged for longer, with their history', async () => {
    const clock = new ManualClock('2026-05-01T00:00:00Z');
    const hub = await buildTestApp({ clock, env: { EVENT_RETENTION_DAYS: '30' } });
    try {
      const [cron] = hub.deps.jobs.cronItems().filter((c) => c.task === RETENTION);
      expect(cron?.match).toBeTypeOf('function');
      const key = await createProgram(hub.deps, { id: 'OLD', name: 'Old' });
      const put = (id: string) =>
        hub.app.inject({
          method: 'PUT',
          url: `/api/v1/events/${id}`,
          headers: basic(key),
          payload: event('OLD'),
        });
      expect((await put('OLD-1')).statusCode).toBe(200);
      clock.advance(31 * 86_400_000);
      expect((await put('OLD-2')).statusCode).toBe(200);
      await hub.deps.pool.query(`select graphile_worker.add_job($1)`, [RETENTION]);
      await hub.runJobs();
      const get = (id: string) => hub.app.inject({ url: `/api/v1/events/${id}`, headers: basic(key) });
      expect((await get('OLD-1')).statusCode).toBe(404);
      expect((await get('OLD-2')).statusCode).toBe(200);
      const feed = (await hub.app.inject({ url: '/api/v1/events?limit=1000', headers: basic(key) })).json();
      expect(feed.data.map((c: { event_id: string }) => c.event_id)).toEqual(['OLD-2']);
    } finally {
      await hub.close();
    }
  });
});
