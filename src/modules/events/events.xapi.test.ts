import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { statementQuerySql } from './events.xapi.repository.ts';
import { createProgram } from './index.ts';

let t: TestApp;
let auth: string;

beforeAll(async () => {
  t = await buildTestApp();
  const key = await createProgram(t.deps, { id: 'SEED', name: 'Seed program' });
  auth = `Basic ${Buffer.from(`${key.user_id}:${key.api_key}`).toString('base64')}`;
});
afterAll(async () => {
  await t.close();
});

const VERB = 'http://adlnet.gov/expapi/verbs/attempted';
const statement = {
  actor: { mbox: 'mailto:seed@example.com' },
  verb: { id: VERB },
  object: { id: 'http://example.com/seeded' },
};

describe('Event Store events that are xAPI statements', () => {
  it('an event PUT through the seed dialect with the verb IRI as EventType is readable as a statement', async () => {
    const id = '3f0e8c7a-5b1d-4c2e-9a6f-0d1e2f3a4b5c';
    const put = await t.app.inject({
      method: 'PUT',
      url: `/eventstore/events/SEED-${id}`,
      headers: { authorization: auth, 'content-type': 'application/json' },
      payload: {
        ProgramId: 'SEED',
        ProgramMemberId: 'seed@example.com',
        EventType: VERB,
        EventStartUTC: '2026-03-01T10:00:00Z',
        EventData: statement,
      },
    });
    expect(put.statusCode).toBe(200);
    const got = await t.app.inject({
      url: `/xapi/statements?statementId=${id}`,
      headers: { authorization: auth, 'x-experience-api-version': '1.0.3' },
    });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id, verb: { id: VERB }, authority: { account: { name: 'SEED' } } });
    // An ordinary seed PUT cannot overwrite it: statements are immutable.
    const over = await t.app.inject({
      method: 'PUT',
      url: `/eventstore/events/SEED-${id}`,
      headers: { authorization: auth, 'content-type': 'application/json' },
      payload: {
        ProgramId: 'SEED',
        ProgramMemberId: 'seed@example.com',
        EventType: 'course.completed',
        EventStartUTC: '2026-03-01T10:00:00Z',
      },
    });
    expect(over.statusCode).toBe(409);
  });

  it('refuses such an event whose EventData is not a statement of that verb, storing nothing', async () => {
    for (const data of [{ ...statement, verb: { id: 'http://example.com/other' } }, { nope: true }]) {
      const put = await t.app.inject({
        method: 'PUT',
        url: '/eventstore/events/SEED-0a0e8c7a-5b1d-4c2e-9a6f-0d1e2f3a4b5c',
        headers: { authorization: auth, 'content-type': 'application/json' },
        payload: {
          ProgramId: 'SEED',
          ProgramMemberId: 'seed@example.com',
          EventType: VERB,
          EventStartUTC: '2026-03-01T10:00:00Z',
          EventData: data,
        },
      });
      expect(put.statusCode).toBe(400);
      expect(put.json().error.message).toMatch(/^(EventType|EventData)/);
    }
    const rows = await t.deps.pool.query("select 1 from stored_events where event_id like 'SEED-0a0e%'");
    expect(rows.rowCount).toBe(0);
  });
});

describe('statement queries are served by their indexes (EXPLAIN)', () => {
  async function plan(q: Parameters<typeof statementQuerySql>[0]): Promise<string> {
    const { text, values } = statementQuerySql(q);
    const client = await t.deps.pool.connect();
    try {
      await client.query('begin');
      // Tiny test tables would be scanned whole; this asks whether an index CAN serve the query.
      await client.query('set local enable_seqscan = off');
      const result = await client.query(`explain ${text}`, values);
      await client.query('rollback');
      return result.rows.map((r: Record<string, string>) => Object.values(r)[0]).join('\n');
    } finally {
      client.release();
    }
  }
  const base = { programs: ['SEED'], typed: [], ascending: false, limit: 11 } as const;

  it('agent + verb uses the refs index with the verb in it, no sort and no sequential scan', async () => {
    const text = await plan({
      ...base,
      agent: { key: 'mbox:mailto:seed@example.com', related: false },
      verb: VERB,
    });
    expect(text).toMatch(
      /xapi_statement_refs\S*_key_verb_idx|xapi_statement_refs_\w+_program_id_kind_key_verb_id/,
    );
    expect(text).not.toMatch(/Seq Scan/);
  });

  it('activity (related), verb, registration and plain stored order use indexes', async () => {
    for (const q of [
      { ...base, activity: { key: 'http://example.com/seeded', related: true } },
      { ...base, verb: VERB },
      { ...base, registration: '3f0e8c7a-5b1d-4c2e-9a6f-0d1e2f3a4b5c' },
      { ...base },
    ]) {
      const text = await plan(q);
      expect(text, JSON.stringify(q)).toMatch(/Index (Only )?Scan/);
      expect(text, JSON.stringify(q)).not.toMatch(/Seq Scan/);
    }
  });
});
