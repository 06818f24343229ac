import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createKey, createProgram, revokeProgramKey } from '../../modules/events/index.ts';
import { basic, event, type ProgramKey, putEvent } from './eventstore.testing.ts';

let t: TestApp;
let foo: ProgramKey;
let bar: ProgramKey;

async function put(id: string, body: unknown, key = foo) {
  return putEvent(t, id, body, key);
}

beforeAll(async () => {
  t = await buildTestApp();
  foo = await createProgram(t.deps, { id: 'FOO', name: 'Foo Academy' });
  bar = await createProgram(t.deps, { id: 'BAR', name: 'Bar Badges' });
});
afterAll(async () => {
  await t.close();
});

describe('Event Store: PUT /eventstore/events/{eventId}', () => {
  it('stores an event with 200, a Location header and an empty body', async () => {
    const res = await put('FOO-ABC123', event());
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBe('/eventstore/events/FOO-ABC123');
    expect(res.body).toBe('');
    const got = await t.app.inject({
      url: '/eventstore/events/FOO-ABC123',
      headers: { authorization: basic(foo) },
    });
    expect(got.json()).toMatchObject({
      EventId: 'FOO-ABC123',
      ProgramId: 'FOO',
      ProgramMemberId: 'joebob@example.com',
      EventStartUTC: '2026-03-01T10:00:00.000Z',
      EventData: { score: 93 },
      Revision: 1,
    });
  });

  it('refuses missing and wrong credentials with 401 and a Basic challenge', async () => {
    const none = await t.app.inject({ method: 'PUT', url: '/eventstore/events/FOO-1', payload: event() });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="eventstore"');
    expect(none.json()).toMatchObject({ error: { code: 'auth.unauthenticated' } });
    const wrong = await put('FOO-1', event(), { user_id: foo.user_id, api_key: 'eks_wrong' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ error: { code: 'events.invalid_key' } });
    const unknown = await put('FOO-1', event(), { user_id: 'ek_AAAAAAAAAAAAAAAAAAAA', api_key: foo.api_key });
    expect(unknown.statusCode).toBe(401);
  });

  it('refuses a revoked key and an expired key with 401', async () => {
    const extra = await createKey(t.deps, { programId: 'FOO', name: 'temp' });
    expect((await put('FOO-rk', event(), extra)).statusCode).toBe(200);
    await revokeProgramKey(t.deps, extra.user_id);
    expect((await put('FOO-rk', event(), extra)).statusCode).toBe(401);
    const expiring = await createKey(t.deps, { programId: 'FOO', expiresInDays: 1 });
    const later = await buildTestApp({ clock: { now: () => new Date(Date.now() + 2 * 86_400_000) } });
    try {
      const res = await later.app.inject({
        method: 'PUT',
        url: '/eventstore/events/FOO-x',
        headers: { authorization: basic(expiring) },
        payload: event(),
      });
      expect(res.statusCode).toBe(401);
    } finally {
      await later.close();
    }
  });

  it('refuses a key without rights on the prefix with 403 and stores nothing', async () => {
    const res = await put('FOO-bar-wrote', event(), bar);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'events.no_rights' } });
    const got = await t.app.inject({
      url: '/eventstore/events/FOO-bar-wrote',
      headers: { authorization: basic(foo) },
    });
    expect(got.statusCode).toBe(404);
  });

  it('rejects an event id without the program prefix, or with a different ProgramId in the body', async () => {
    const noPrefix = await put('ABC123', event());
    expect(noPrefix.statusCode).toBe(400);
    expect(noPrefix.json().error.code).toBe('events.prefix_missing');
    const mismatch = await put('FOO-m1', event({ ProgramId: 'BAR' }));
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().error).toMatchObject({ code: 'events.prefix_mismatch' });
    expect(mismatch.json().error.message).toContain('ProgramId');
  });

  it('rejects unparseable dates and an end before the start, naming the field', async () => {
    const bad = await put('FOO-d1', event({ EventStartUTC: 'yesterday' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('EventStartUTC');
    const impossible = await put('FOO-d2', event({ EventEndUTC: '2026-02-30T00:00:00Z' }));
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().error.message).toContain('EventEndUTC');
    const backwards = await put('FOO-d3', event({ EventEndUTC: '2026-03-01T09:00:00Z' }));
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('events.end_before_start');
    // Year 0 parses in JavaScript but not in PostgreSQL: a 400 naming the field, not a database error.
    const yearZero = await put('FOO-d4', event({ EventStartUTC: '0000-06-01T00:00:00Z' }));
    expect(yearZero.statusCode).toBe(400);
    expect(yearZero.json().error.message).toContain('EventStartUTC');
    const shifted = await put('FOO-d5', event({ EventEndUTC: '0001-01-01T00:30:00+01:00' }));
    expect(shifted.statusCode).toBe(400);
    expect(shifted.json().error.message).toContain('EventEndUTC');
  });

  it('rejects EventData that is not an object, missing fields and oversize payloads', async () => {
    const arr = await put('FOO-e1', event({ EventData: [1, 2] }));
    expect(arr.statusCode).toBe(400);
    expect(arr.json().error.message).toContain('EventData');
    const missing = await put('FOO-e2', event({ ProgramMemberId: undefined }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('ProgramMemberId');
    const big = await put('FOO-e3', event({ EventData: { blob: 'x'.repeat(70 * 1024) } }));
    expect(big.statusCode).toBe(413);
    const huge = await put('FOO-e4', event({ EventData: { blob: 'x'.repeat(200 * 1024) } }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toHaveProperty('error.code');
    // PostgreSQL cannot store U+0000: refused up front with 400, not a database error.
    const nulData = await put('FOO-e5', event({ EventData: { note: 'a\u0000b' } }));
    expect(nulData.statusCode).toBe(400);
    expect(nulData.json().error.message).toContain('EventData');
    const nulMember = await put('FOO-e6', event({ ProgramMemberId: 'ann\u0000@example.com' }));
    expect(nulMember.statusCode).toBe(400);
    expect(nulMember.json().error.message).toContain('ProgramMemberId');
    expect((await put('FOO-e7', event({ EventData: { note: 'a\\u0000b' } }))).statusCode).toBe(200);
    // Nesting is bounded too (it would exhaust a parser's stack); 64 levels are fine. Sent as text, since
    // encoding such a value would exhaust this test's own stack.
    const nested = (id: string, levels: number) =>
      t.app.inject({
        method: 'PUT',
        url: `/eventstore/events/${id}`,
        headers: { authorization: basic(foo), 'content-type': 'application/json' },
        payload: JSON.stringify(event({ EventData: { x: 'HERE' } })).replace(
          '"HERE"',
          `${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}`,
        ),
      });
    const deep = await nested('FOO-e8', 5000);
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error.message).toContain('nested');
    expect((await nested('FOO-e9', 64)).statusCode).toBe(200);
    for (const id of ['FOO-e1', 'FOO-e2', 'FOO-e3', 'FOO-e4', 'FOO-e5', 'FOO-e6', 'FOO-e8']) {
      const got = await t.app.inject({
        url: `/eventstore/events/${id}`,
        headers: { authorization: basic(foo) },
      });
      expect(got.statusCode).toBe(404);
    }
  });

  it('keeps earlier revisions on update and treats an identical repeat as a no-op', async () => {
    expect((await put('FOO-rev', event())).statusCode).toBe(200);
    expect(
      (await put('FOO-rev', { ...event(), EventData: { score: 93, course: { title: 'Intro', id: 'c1' } } }))
        .statusCode,
    ).toBe(200);
    expect((await put('FOO-rev', event({ EventData: { score: 99 } }))).statusCode).toBe(200);
    const got = await t.app.inject({
      url: '/eventstore/events/FOO-rev',
      headers: { authorization: basic(foo) },
    });
    const body = got.json();
    expect(body.Revision).toBe(2);
    expect(body.EventData).toEqual({ score: 99 });
    expect(body.Revisions.map((r: { Revision: number }) => r.Revision)).toEqual([1, 2]);
    expect(body.Revisions[0].EventData.score).toBe(93);
  });

  it('validates EventData against its type schema and lists built-in types', async () => {
    const types = await t.app.inject({
      url: '/eventstore/event-types',
      headers: { authorization: basic(foo) },
    });
    const names = types.json().EventTypes.map((x: { Name: string }) => x.Name);
    expect(names).toEqual(
      expect.arrayContaining(['hub.course.enrolled', 'hub.course.completed', 'hub.credential.earned']),
    );
    const reg = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/event-types/foo.quiz',
      headers: { authorization: basic(foo) },
      payload: {
        Description: 'A quiz attempt',
        Schema: { type: 'object', required: ['score'], properties: { score: { type: 'number' } } },
      },
    });
    expect(reg.statusCode).toBe(200);
    expect(reg.json()).toMatchObject({ Name: 'foo.quiz', OwnerProgramId: 'FOO', BuiltIn: false });
    const bad = await put('FOO-q1', event({ EventType: 'foo.quiz', EventData: { score: 'high' } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('events.data_schema_failed');
    expect((await put('FOO-q1', event({ EventType: 'foo.quiz', EventData: { score: 7 } }))).statusCode).toBe(
      200,
    );
    // The hub's schemas bind only a program that chose them by their reserved name.
    const chosen = event({ EventType: 'hub.course.completed', EventData: { course: 'not an object' } });
    const builtInData = await put('FOO-q2', chosen);
    expect(builtInData.statusCode).toBe(400);
    expect(builtInData.json().error.code).toBe('events.data_schema_failed');
    const stolen = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/event-types/foo.quiz',
      headers: { authorization: basic(bar) },
      payload: { Description: 'mine now' },
    });
    expect(stolen.statusCode).toBe(403);
    const builtIn = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/event-types/hub.course.completed',
      headers: { authorization: basic(foo) },
      payload: { Description: 'x' },
    });
    expect(builtIn.statusCode).toBe(403);
    const squat = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/event-types/HUB.mine',
      headers: { authorization: basic(foo) },
      payload: { Description: 'x' },
    });
    expect(squat.json()).toMatchObject({ error: { code: 'events.type_built_in' } });
    const badSchema = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/event-types/foo.broken',
      headers: { authorization: basic(foo) },
      payload: { Description: 'x', Schema: { type: 'no-such-type' } },
    });
    expect(badSchema.statusCode).toBe(400);
  });

  it("stores a program's own course.completed with its own EventData, never checked against a hub schema", async () => {
    const own = event({ EventType: 'course.completed', EventData: { course: 'SOGTA', grade: 'pass' } });
    const r = await put('FOO-own1', own);
    expect(r.statusCode).toBe(200);
    const got = await t.app.inject({
      url: '/eventstore/events/FOO-own1',
      headers: { authorization: basic(foo) },
    });
    expect(got.json()).toMatchObject({ EventType: 'course.completed', EventData: { course: 'SOGTA' } });
  });

  it("binds a program's registered schema to its own events only, not to another program's same name", async () => {
    const reg = await t.app.inject({
      method: 'PUT',
      url: '/eventstore/event-types/lesson.done',
      headers: { authorization: basic(foo) },
      payload: { Description: 'FOO lessons', Schema: { type: 'object', required: ['lesson'] } },
    });
    expect(reg.statusCode).toBe(200);
    expect((await put('FOO-l1', event({ EventType: 'lesson.done', EventData: {} }))).statusCode).toBe(400);
    const barEvent = event({ ProgramId: 'BAR', EventType: 'lesson.done', EventData: { other: 1 } });
    const other = await putEvent(t, 'BAR-l1', barEvent, bar);
    expect(other.statusCode).toBe(200);
  });

  it('answers unknown paths under /eventstore with its own 404 shape', async () => {
    const res = await t.app.inject({ url: '/eventstore/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'route.not_found' } });
  });

  it('answers a known path asked with the wrong method with 405 and Allow, in its own shape', async () => {
    const cases = [
      ['DELETE', '/eventstore/events/FOO-ABC123', 'GET, HEAD, PUT'],
      ['POST', '/eventstore/events', 'GET, HEAD'],
      ['GET', '/eventstore/events:batch', 'POST'],
      ['PATCH', '/eventstore/event-types/course.completed', 'GET, HEAD, PUT'],
      ['GET', '/eventstore/erasures', 'POST'],
    ] as const;
    for (const [method, url, allow] of cases) {
      const res = await t.app.inject({ method, url, headers: { authorization: basic(foo) } });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.json()).toMatchObject({ error: { code: 'route.method_not_allowed' } });
    }
    const got = await t.app.inject({
      url: '/eventstore/events/FOO-ABC123',
      headers: { authorization: basic(foo) },
    });
    expect(got.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/eventstore/events/FOO-1/extra' })).statusCode).toBe(404);
  });
});
