import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { runCli } from '../../../test/support/cli.ts';
import { appendDomainEvent } from '../../jobs/domain-events.ts';
import { ManualClock } from '../../lib/runtime.ts';
import { applyRetention, createProgram, eventsContext, grantAccess } from './index.ts';

let t: TestApp;
let foo: { user_id: string; api_key: string };
const clock = new ManualClock('2026-05-01T00:00:00Z');
const basic = (k: { user_id: string; api_key: string }) =>
  `Basic ${Buffer.from(`${k.user_id}:${k.api_key}`).toString('base64')}`;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  foo = await createProgram(t.deps, { id: 'FOO', name: 'Foo' });
});
afterAll(async () => {
  await t.close();
});

const body = {
  program_id: 'FOO',
  member_id: 'ann@example.com',
  type: 'course.completed',
  start_at: '2026-04-01T09:00:00Z',
  data: { course: { id: 'c9' } },
};

describe('Event Store native API (/api/v1/events)', () => {
  it('creates, updates and reads an event in snake_case with its revisions', async () => {
    const auth = { authorization: basic(foo) };
    const first = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/FOO-n1',
      headers: auth,
      payload: body,
    });
    expect(first.json()).toEqual({ event_id: 'FOO-n1', revision: 1, changed: true });
    const same = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/FOO-n1',
      headers: auth,
      payload: body,
    });
    expect(same.json()).toEqual({ event_id: 'FOO-n1', revision: 1, changed: false });
    const moved = { ...body, end_at: '2026-04-01T10:00:00Z' };
    expect(
      (
        await t.app.inject({ method: 'PUT', url: '/api/v1/events/FOO-n1', headers: auth, payload: moved })
      ).json(),
    ).toMatchObject({ revision: 2, changed: true });
    const got = await t.app.inject({ url: '/api/v1/events/FOO-n1', headers: auth });
    expect(got.json()).toMatchObject({
      event_id: 'FOO-n1',
      member_id: 'ann@example.com',
      end_at: '2026-04-01T10:00:00.000Z',
      revision: 2,
      revisions: [{ revision: 1, end_at: '2026-04-01T09:00:00.000Z' }, { revision: 2 }],
    });
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/FOO-n2',
      headers: auth,
      payload: { ...body, start_at: 'not a date' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.json()).toMatchObject({ code: 'events.invalid' });
    expect(bad.json().detail).toContain('start_at');
  });

  it('pages the feed with cursor/next_cursor and takes batches with per-item results', async () => {
    const auth = { authorization: basic(foo) };
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/events/batch',
      headers: auth,
      payload: {
        events: [
          { event_id: 'FOO-nb1', ...body },
          { event_id: 'NOPE', ...body },
        ],
      },
    });
    expect(batch.json().results).toMatchObject([
      { status: 200, event_id: 'FOO-nb1', revision: 1 },
      { status: 400, code: 'events.prefix_missing' },
    ]);
    const page1 = (await t.app.inject({ url: '/api/v1/events?limit=2', headers: auth })).json();
    expect(page1.data).toHaveLength(2);
    expect(page1.has_more).toBe(true);
    const page2 = (
      await t.app.inject({ url: `/api/v1/events?limit=2&cursor=${page1.next_cursor}`, headers: auth })
    ).json();
    expect(page2.data.map((c: { event_id: string }) => c.event_id)).toEqual(['FOO-nb1']);
  });

  it('lets an admin operator read every program and refuses a non-admin operator writes', async () => {
    const token = await t.operatorToken();
    const all = await t.app.inject({
      url: '/api/v1/events?limit=1000',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(all.statusCode).toBe(200);
    expect(all.json().data.length).toBeGreaterThan(0);
    const write = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/events/FOO-op',
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
    expect(write.statusCode).toBe(403);
    const types = await t.app.inject({
      url: '/api/v1/event-types',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(types.json().data.find((x: { name: string }) => x.name === 'credential.earned')).toMatchObject({
      built_in: true,
    });
  });

  it("records the hub's own enrolments, completions and badges under the HUB program, once each", async () => {
    const user = {
      id: 'u1',
      username: 'ann',
      email: 'ann@example.com',
      profile_url: 'http://hub.test/u/ann',
    };
    const course = { id: 'c1', path: 'intro', title: 'Intro', url: 'http://hub.test/courses/intro' };
    const appended = await t.deps.db.transaction(async (tx) => [
      await appendDomainEvent(tx, t.deps, {
        type: 'enrolment.created',
        subject: 'user:u1',
        payload: { user, course, role: 'Student' },
      }),
      await appendDomainEvent(tx, t.deps, {
        type: 'badge.awarded',
        subject: 'user:u1',
        payload: {
          user,
          badge: { id: 'b1', slug: 'participant', name: 'Participant', url: 'http://hub.test/ob/b1' },
          assertion: { id: 'a1', url: 'http://hub.test/ob/a1' },
          recipient_email_hash: 'sha256$0',
        },
      }),
      await appendDomainEvent(tx, t.deps, {
        type: 'course.published',
        subject: 'course:c1',
        payload: { course },
      }),
    ]);
    await t.runJobs();
    const reader = await createProgram(t.deps, { id: 'READER', name: 'Reader' });
    await grantAccess(t.deps, { consumer: 'READER', producer: 'HUB' });
    const feed = (
      await t.app.inject({ url: '/eventstore/events?program=HUB', headers: { authorization: basic(reader) } })
    ).json();
    expect(feed.Events).toHaveLength(2);
    expect(feed.Events[0]).toMatchObject({
      EventId: `HUB-${appended[0]?.id}`,
      EventType: 'course.enrolled',
      ProgramMemberId: 'ann@example.com',
      EventData: {
        member: { email: 'ann@example.com', profile_url: 'http://hub.test/u/ann' },
        course: { id: 'c1' },
      },
    });
    expect(feed.Events[1]).toMatchObject({
      EventType: 'credential.earned',
      EventData: { badge: { id: 'b1' } },
    });
    expect(JSON.stringify(feed.Events)).not.toContain('"u1"');
  });

  it('deletes events unchanged for longer than the retention period, with their history', async () => {
    const auth = { authorization: basic(foo) };
    await t.app.inject({ method: 'PUT', url: '/api/v1/events/FOO-old', headers: auth, payload: body });
    clock.advance(40 * 86_400_000);
    await t.app.inject({ method: 'PUT', url: '/api/v1/events/FOO-new', headers: auth, payload: body });
    const deleted = await applyRetention(eventsContext(t.deps), 30);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect((await t.app.inject({ url: '/api/v1/events/FOO-old', headers: auth })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/events/FOO-new', headers: auth })).statusCode).toBe(200);
    const feed = (await t.app.inject({ url: '/api/v1/events?limit=1000', headers: auth })).json();
    expect(feed.data.map((c: { event_id: string }) => c.event_id)).not.toContain('FOO-old');
  });
});

describe('learnhub programs (CLI)', () => {
  it('creates a program, adds and revokes keys, grants access and applies retention', async () => {
    const env = {
      DATABASE_URL: t.database.url,
      SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      LOG_LEVEL: 'warn',
    };
    const created = await runCli(
      ['programs', 'create', '--id', 'CLI', '--name', 'From the CLI', '--json'],
      env,
    );
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { program_id: string; user_id: string; api_key: string };
    expect(key).toMatchObject({ program_id: 'CLI', user_id: expect.stringMatching(/^ek_/) });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/events/CLI-1',
      headers: { authorization: basic(key) },
      payload: {
        ProgramId: 'CLI',
        ProgramMemberId: 'x@example.com',
        EventType: 'course.enrolled',
        EventStartUTC: '2026-01-01T00:00:00Z',
      },
    });
    expect(put.statusCode).toBe(200);
    const dup = await runCli(['programs', 'create', '--id', 'CLI', '--name', 'Again'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    const grant = await runCli(
      ['programs', 'grant', '--consumer', 'CLI', '--producer', 'FOO', '--types', 'course.completed'],
      env,
    );
    expect(grant.code).toBe(0);
    const read = await t.app.inject({
      url: '/eventstore/events?program=FOO',
      headers: { authorization: basic(key) },
    });
    expect(read.statusCode).toBe(200);
    const second = JSON.parse(
      (await runCli(['programs', 'keys', 'create', '--program', 'CLI', '--json'], env)).stdout,
    );
    const revoked = await runCli(['programs', 'keys', 'revoke', '--user-id', key.user_id], env);
    expect(revoked.code).toBe(0);
    const refused = await t.app.inject({ url: '/eventstore/events', headers: { authorization: basic(key) } });
    expect(refused.statusCode).toBe(401);
    const other = await t.app.inject({
      url: '/eventstore/events',
      headers: { authorization: basic(second) },
    });
    expect(other.statusCode).toBe(200);
    const retention = await runCli(['events', 'retention', '--older-than-days', '3650', '--json'], env);
    expect(retention.code).toBe(0);
    expect(JSON.parse(retention.stdout)).toEqual({ deleted: 0 });
  }, 120_000);
});
