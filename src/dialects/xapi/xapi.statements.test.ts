import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createProgram, grantAccess } from '../../modules/events/index.ts';
import { basicOf, COMPLETED, statement, uuid, VOIDED, xapi } from './xapi.testing.ts';

let t: TestApp;
let auth: string;
let other: string;

beforeAll(async () => {
  t = await buildTestApp();
  auth = basicOf(await createProgram(t.deps, { id: 'LRS', name: 'LRS' }));
  other = basicOf(await createProgram(t.deps, { id: 'OTHER', name: 'Other' }));
});
afterAll(async () => {
  await t.close();
});

const count = async (table: string) =>
  Number((await t.deps.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n);

describe('Statements: PUT and POST (Communication 2.1.1, 2.1.2)', () => {
  it('XAPI-00143, XAPI-00144: PUT with statementId stores the statement and answers 204', async () => {
    const id = uuid();
    const res = await xapi(t, auth, 'PUT', `/statements?statementId=${id}`, statement());
    expect(res.statusCode).toBe(204);
    const got = await xapi(t, auth, 'GET', `/statements?statementId=${id}`);
    expect(got.statusCode).toBe(200);
    const s = got.json();
    expect(s).toMatchObject({ id, verb: { id: COMPLETED }, version: '1.0.0' });
    // stored, timestamp and authority are set by the LRS (Data 2.4.7-2.4.9)
    expect(typeof s.stored).toBe('string');
    expect(s.timestamp).toBe(s.stored);
    expect(s.authority).toMatchObject({ objectType: 'Agent', account: { name: 'LRS' } });
    expect(got.headers['x-experience-api-consistent-through']).toBeDefined();
    expect(got.headers['last-modified']).toBeDefined();
  });

  it('XAPI-00145: refuses a PUT without statementId with 400, storing nothing', async () => {
    const before = await count('xapi_statements');
    const res = await xapi(t, auth, 'PUT', '/statements', statement());
    expect(res.statusCode).toBe(400);
    expect(await count('xapi_statements')).toBe(before);
  });

  it('XAPI-00146, XAPI-00147: POST answers 200 with the ids, assigning one when missing', async () => {
    const given = uuid();
    const res = await xapi(t, auth, 'POST', '/statements', [statement({ id: given }), statement()]);
    expect(res.statusCode).toBe(200);
    const ids = res.json();
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(given);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('XAPI-00142: the same id with other content is a 409 and the stored statement is unchanged', async () => {
    const id = uuid();
    expect((await xapi(t, auth, 'PUT', `/statements?statementId=${id}`, statement())).statusCode).toBe(204);
    const changed = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } });
    const put = await xapi(t, auth, 'PUT', `/statements?statementId=${id}`, changed);
    expect(put.statusCode).toBe(409);
    const post = await xapi(t, auth, 'POST', '/statements', { ...changed, id });
    expect(post.statusCode).toBe(409);
    const got = await xapi(t, auth, 'GET', `/statements?statementId=${id}`);
    expect(got.json().verb.id).toBe(COMPLETED);
  });

  it('the same id with the same content is a no-op (204 / 200), stored once', async () => {
    const id = uuid();
    const s = statement({ id, timestamp: '2026-01-02T03:04:05.000Z' });
    expect((await xapi(t, auth, 'PUT', `/statements?statementId=${id}`, s)).statusCode).toBe(204);
    expect((await xapi(t, auth, 'PUT', `/statements?statementId=${id}`, s)).statusCode).toBe(204);
    expect((await xapi(t, auth, 'POST', '/statements', s)).statusCode).toBe(200);
    const rows = await t.deps.pool.query('select count(*)::int as n from event_changes where event_id = $1', [
      `LRS-${id}`,
    ]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('a batch with one bad statement is a 400 naming it, and nothing of the batch is stored', async () => {
    const before = await count('xapi_statements');
    const good = statement({ id: uuid() });
    const res = await xapi(t, auth, 'POST', '/statements', [good, statement({ verb: { id: 'not an iri' } })]);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/statements\[1\]\.verb/);
    expect(await count('xapi_statements')).toBe(before);
  });

  it('a batch holding a conflicting id is a 409 and stores none of its statements', async () => {
    const id = uuid();
    await xapi(t, auth, 'PUT', `/statements?statementId=${id}`, statement());
    const before = await count('xapi_statements');
    const res = await xapi(t, auth, 'POST', '/statements', [
      statement({ id: uuid() }),
      statement({ id, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }),
    ]);
    expect(res.statusCode).toBe(409);
    expect(await count('xapi_statements')).toBe(before);
  });

  it('refuses garbage with 4xx and stores nothing: wrong types, NUL, unknown properties, bad JSON', async () => {
    const before = await count('stored_events');
    const bad: unknown[] = [
      statement({ actor: 'ada' }),
      statement({ verb: { id: 42 } }),
      statement({ extra: true }),
      statement({ id: 'not-a-uuid' }),
      statement({ actor: { mbox: 'ada@example.com' } }),
      statement({ object: { id: 'http://example.com/a\u0000b' } }),
      'a string',
      [],
    ];
    for (const body of bad) {
      const res = await xapi(t, auth, 'POST', '/statements', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const raw = await t.app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: {
        authorization: auth,
        'x-experience-api-version': '1.0.3',
        'content-type': 'application/json',
      },
      payload: '{"actor": ',
    });
    expect(raw.statusCode).toBe(400);
    // XAPI-00021: a repeated key is refused, naming it
    const repeated = await t.app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: {
        authorization: auth,
        'x-experience-api-version': '1.0.3',
        'content-type': 'application/json',
      },
      payload: JSON.stringify(statement()).replace('"verb":', '"verb":{"id":"http://example.com/a"},"verb":'),
    });
    expect(repeated.statusCode).toBe(400);
    expect(await count('stored_events')).toBe(before);
  });
});

describe('Statements: voiding (Data 2.3)', () => {
  it('a voided statement leaves queries and statementId, and is found by voidedStatementId', async () => {
    const target = uuid();
    await xapi(
      t,
      auth,
      'PUT',
      `/statements?statementId=${target}`,
      statement({ verb: { id: 'http://example.com/verbs/tried' } }),
    );
    const voiding = statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } });
    const res = await xapi(t, auth, 'POST', '/statements', voiding);
    expect(res.statusCode).toBe(200);
    expect((await xapi(t, auth, 'GET', `/statements?statementId=${target}`)).statusCode).toBe(404);
    const voided = await xapi(t, auth, 'GET', `/statements?voidedStatementId=${target}`);
    expect(voided.statusCode).toBe(200);
    expect(voided.json().id).toBe(target);
    const list = await xapi(
      t,
      auth,
      'GET',
      `/statements?verb=${encodeURIComponent('http://example.com/verbs/tried')}`,
    );
    expect(list.json().statements.map((s: { id: string }) => s.id)).not.toContain(target);
    // the voiding statement itself is returned by queries
    const voids = await xapi(t, auth, 'GET', `/statements?verb=${encodeURIComponent(VOIDED)}`);
    expect(voids.json().statements.some((s: { object: { id: string } }) => s.object.id === target)).toBe(
      true,
    );
  });

  it('a voiding statement cannot be voided (400) and stays in force', async () => {
    const target = uuid();
    await xapi(t, auth, 'PUT', `/statements?statementId=${target}`, statement());
    const voidingId = uuid();
    await xapi(
      t,
      auth,
      'PUT',
      `/statements?statementId=${voidingId}`,
      statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } }),
    );
    const again = await xapi(
      t,
      auth,
      'POST',
      '/statements',
      statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: voidingId } }),
    );
    expect(again.statusCode).toBe(400);
    expect((await xapi(t, auth, 'GET', `/statements?statementId=${voidingId}`)).statusCode).toBe(200);
    expect((await xapi(t, auth, 'GET', `/statements?statementId=${target}`)).statusCode).toBe(404);
  });

  it('a statement whose voiding statement came first is stored voided', async () => {
    const target = uuid();
    await xapi(
      t,
      auth,
      'POST',
      '/statements',
      statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } }),
    );
    await xapi(t, auth, 'PUT', `/statements?statementId=${target}`, statement());
    expect((await xapi(t, auth, 'GET', `/statements?statementId=${target}`)).statusCode).toBe(404);
    expect((await xapi(t, auth, 'GET', `/statements?voidedStatementId=${target}`)).statusCode).toBe(200);
  });
});

describe('Statements: queries (Communication 2.1.3)', () => {
  const agent = { mbox: 'mailto:query-me@example.com' };
  const verb = 'http://example.com/verbs/queried';
  const registration = uuid();
  let ids: string[] = [];

  beforeAll(async () => {
    const batch = Array.from({ length: 5 }, (_, i) =>
      statement({
        actor: agent,
        verb: { id: verb },
        object: { id: `http://example.com/q/${i}` },
        context: {
          registration,
          contextActivities: { parent: [{ id: 'http://example.com/q/parent' }] },
          instructor: { mbox: 'mailto:teacher@example.com' },
        },
      }),
    );
    ids = (await xapi(t, auth, 'POST', '/statements', batch)).json();
  });

  it('filters by agent and verb, newest stored first, and pages with a more URL', async () => {
    const q = `agent=${encodeURIComponent(JSON.stringify(agent))}&verb=${encodeURIComponent(verb)}&limit=2`;
    const first = await xapi(t, auth, 'GET', `/statements?${q}`);
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.statements).toHaveLength(2);
    expect(page.more).toMatch(/^\/xapi\/statements\?more=/);
    const seen: string[] = page.statements.map((s: { id: string }) => s.id);
    let more = page.more as string;
    while (more) {
      const next = await xapi(t, auth, 'GET', more.slice('/xapi'.length));
      expect(next.statusCode).toBe(200);
      seen.push(...next.json().statements.map((s: { id: string }) => s.id));
      more = next.json().more;
    }
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('filters by activity, related activities, related agents and registration', async () => {
    const direct = await xapi(
      t,
      auth,
      'GET',
      `/statements?activity=${encodeURIComponent('http://example.com/q/parent')}`,
    );
    expect(direct.json().statements).toHaveLength(0);
    const related = await xapi(
      t,
      auth,
      'GET',
      `/statements?activity=${encodeURIComponent('http://example.com/q/parent')}&related_activities=true`,
    );
    expect(related.json().statements).toHaveLength(5);
    const teacher = encodeURIComponent(JSON.stringify({ mbox: 'mailto:teacher@example.com' }));
    expect((await xapi(t, auth, 'GET', `/statements?agent=${teacher}`)).json().statements).toHaveLength(0);
    expect(
      (await xapi(t, auth, 'GET', `/statements?agent=${teacher}&related_agents=true`)).json().statements,
    ).toHaveLength(5);
    expect(
      (await xapi(t, auth, 'GET', `/statements?registration=${registration}`)).json().statements,
    ).toHaveLength(5);
  });

  it('ascending returns the oldest first; format=ids is accepted', async () => {
    const asc = await xapi(
      t,
      auth,
      'GET',
      `/statements?registration=${registration}&ascending=true&format=ids`,
    );
    expect(asc.json().statements.map((s: { id: string }) => s.id)).toEqual(ids);
  });

  it('filters by an identified Group as the agent; an anonymous Group is a 400 naming agent', async () => {
    const group = {
      objectType: 'Group',
      name: 'Team Q',
      account: { homePage: 'http://example.com', name: 'team-q' },
    };
    const sent = await xapi(t, auth, 'POST', '/statements', statement({ actor: group }));
    expect(sent.statusCode).toBe(200);
    const q = encodeURIComponent(JSON.stringify({ objectType: 'Group', account: group.account }));
    const res = await xapi(t, auth, 'GET', `/statements?agent=${q}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().statements.map((s: { id: string }) => s.id)).toEqual(sent.json());
    const anonymous = encodeURIComponent(
      JSON.stringify({ objectType: 'Group', member: [{ mbox: 'mailto:m@example.com' }] }),
    );
    const bad = await xapi(t, auth, 'GET', `/statements?agent=${anonymous}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^agent/);
  });

  it('Consistent-Through stays before a transaction still in flight and passes a stored statement', async () => {
    const open = await t.deps.pool.connect();
    try {
      await open.query('begin');
      const started: Date = (await open.query('select now() as at')).rows[0].at;
      const held = await xapi(t, auth, 'GET', '/statements?limit=1');
      expect(held.statusCode).toBe(200);
      expect(
        new Date(held.headers['x-experience-api-consistent-through'] as string).getTime(),
      ).toBeLessThanOrEqual(started.getTime());
      await open.query('commit');
    } finally {
      open.release();
    }
    const [id] = (await xapi(t, auth, 'POST', '/statements', statement())).json();
    const got = await xapi(t, auth, 'GET', `/statements?statementId=${id}`);
    const through = new Date(got.headers['x-experience-api-consistent-through'] as string).getTime();
    expect(through).toBeGreaterThanOrEqual(new Date(got.json().stored).getTime());
  });

  it('refuses a forged or altered more cursor with 400', async () => {
    const q = `verb=${encodeURIComponent(verb)}&limit=1`;
    const more: string = (await xapi(t, auth, 'GET', `/statements?${q}`)).json().more;
    const token = more.split('more=')[1] ?? '';
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify([{ verb }, '2100-01-01T00:00:00.000Z', '1'])).toString(
      'base64url',
    );
    for (const bad of [`${forged}.${mac}`, `${payload}.AAAA`, 'garbage', `${payload}`]) {
      const res = await xapi(t, auth, 'GET', `/statements?more=${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('refuses bad parameters with 400 naming them', async () => {
    for (const [q, name] of [
      ['agent=notjson', 'agent'],
      ['verb=nope', 'verb'],
      ['since=yesterday', 'since'],
      ['limit=-1', 'limit'],
      ['format=full', 'format'],
      ['unknown=1', 'unknown'],
      [`statementId=${uuid()}&verb=${encodeURIComponent(verb)}`, 'verb'],
    ] as const) {
      const res = await xapi(t, auth, 'GET', `/statements?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().message, q).toMatch(new RegExp(`^${name}`));
    }
  });

  it('another program reads none of these statements until granted, then reads them', async () => {
    expect(
      (await xapi(t, other, 'GET', `/statements?registration=${registration}`)).json().statements,
    ).toHaveLength(0);
    expect((await xapi(t, other, 'GET', `/statements?statementId=${ids[0]}`)).statusCode).toBe(404);
    await grantAccess(t.deps, { consumer: 'OTHER', producer: 'LRS' });
    expect(
      (await xapi(t, other, 'GET', `/statements?registration=${registration}`)).json().statements,
    ).toHaveLength(5);
  });
});

describe('Activities resource (Communication 2.5)', () => {
  it('returns the merged definition the statements gave an activity', async () => {
    const id = 'http://example.com/activities/merged';
    await xapi(
      t,
      auth,
      'POST',
      '/statements',
      statement({ object: { id, definition: { name: { 'en-US': 'Merged' } } } }),
    );
    await xapi(
      t,
      auth,
      'POST',
      '/statements',
      statement({ object: { id, definition: { name: { 'fr-FR': 'Fusionné' } } } }),
    );
    const res = await xapi(t, auth, 'GET', `/activities?activityId=${encodeURIComponent(id)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      objectType: 'Activity',
      id,
      definition: { name: { 'en-US': 'Merged', 'fr-FR': 'Fusionné' } },
    });
  });
});
