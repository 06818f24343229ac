import xapiModule from '@xapi/xapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram, grantAccess } from '../../src/modules/events/index.ts';
import { depsForDatabase } from '../support/deps.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

/**
 * The xAPI face over real HTTP against a listening hub, with the @xapi/xapi client library as an LRS client,
 * and the round trip into the Event Store: a statement sent by xAPI is an event a program pulls with the
 * seed dialect.
 */
// A CommonJS package whose class is also its own `default`: the same class under NodeNext types and at run time.
const XAPI = xapiModule.default;
let server: TestServer;
let lrs: { user_id: string; api_key: string };
let puller: { user_id: string; api_key: string };
let client: InstanceType<typeof XAPI>;

beforeAll(async () => {
  server = await startTestServer();
  const { deps, close } = depsForDatabase(server.database.url, 'test-secret-key-test-secret-key-0123456789');
  lrs = await createProgram(deps, { id: 'PLAYER', name: 'A course player' });
  puller = await createProgram(deps, { id: 'PULLER', name: 'A program that pulls' });
  await grantAccess(deps, { consumer: 'PULLER', producer: 'PLAYER' });
  await close();
  client = new XAPI({
    endpoint: `${server.url}/xapi/`,
    auth: XAPI.toBasicAuth(lrs.user_id, lrs.api_key),
    version: '1.0.3',
    adapter: 'fetch',
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
});

const actor = { objectType: 'Agent' as const, name: 'Grace', mbox: 'mailto:grace@example.com' };

describe('xAPI over HTTP with @xapi/xapi', () => {
  it('XAPI-00315: reads /about', async () => {
    const about = await client.getAbout();
    expect(about.data.version).toContain('1.0.3');
  });

  it('XAPI-00147, XAPI-00146: sends, reads, queries and voids statements', async () => {
    const sent = await client.sendStatement({
      statement: {
        actor,
        verb: XAPI.Verbs.COMPLETED,
        object: { objectType: 'Activity', id: 'https://example.com/c/1' },
      },
    });
    const id = sent.data[0] ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const one = await client.getStatement({ statementId: id });
    expect(one.data.verb.id).toBe(XAPI.Verbs.COMPLETED.id);
    expect(one.headers['x-experience-api-version']).toBe('1.0.3');
    const list = await client.getStatements({ agent: actor, verb: XAPI.Verbs.COMPLETED.id, limit: 1 });
    expect(list.data.statements.map((s) => s.id)).toContain(id);
    await client.voidStatement({ actor, statementId: id });
    const voided = await client.getVoidedStatement({ voidedStatementId: id });
    expect(voided.data.id).toBe(id);
  });

  it('follows more URLs to the end', async () => {
    const statements = Array.from({ length: 7 }, (_, i) => ({
      actor,
      verb: XAPI.Verbs.PROGRESSED,
      object: { objectType: 'Activity' as const, id: `https://example.com/c/page/${i}` },
    }));
    await client.sendStatements({ statements });
    const seen: string[] = [];
    const first = await client.getStatements({ verb: XAPI.Verbs.PROGRESSED.id, limit: 3 });
    seen.push(...first.data.statements.map((s) => s.id ?? ''));
    let more: string | undefined = first.data.more;
    while (more) {
      const page = await client.getMoreStatements({ more });
      const data = page.data as { statements: { id?: string }[]; more?: string };
      seen.push(...data.statements.map((s) => s.id ?? ''));
      more = data.more;
    }
    expect(seen).toHaveLength(7);
  });

  it('a statement sent by xAPI appears in the Event Store feed, pulled by another program with the seed dialect', async () => {
    const sent = await client.sendStatement({
      statement: {
        actor,
        verb: XAPI.Verbs.PASSED,
        object: { objectType: 'Activity', id: 'https://example.com/quiz/9' },
      },
    });
    const id = sent.data[0] ?? '';
    const auth = `Basic ${Buffer.from(`${puller.user_id}:${puller.api_key}`).toString('base64')}`;
    const deadline = Date.now() + 5_000;
    let found: Record<string, unknown> | undefined;
    while (!found && Date.now() < deadline) {
      const res = await fetch(
        `${server.url}/eventstore/events?program=PLAYER&type=${encodeURIComponent(XAPI.Verbs.PASSED.id)}`,
        { headers: { authorization: auth } },
      );
      expect(res.status).toBe(200);
      const feed = (await res.json()) as { Events: Record<string, unknown>[] };
      found = feed.Events.find((e) => e.EventId === `PLAYER-${id}`);
      if (!found) await new Promise((r) => setTimeout(r, 100));
    }
    expect(found).toMatchObject({
      ProgramId: 'PLAYER',
      ProgramMemberId: 'mbox:mailto:grace@example.com',
      EventType: XAPI.Verbs.PASSED.id,
      EventData: { id, verb: { id: XAPI.Verbs.PASSED.id }, actor: { mbox: 'mailto:grace@example.com' } },
    });
  });

  it('refuses a wrong version header and a forged more cursor over HTTP, storing nothing', async () => {
    const auth = XAPI.toBasicAuth(lrs.user_id, lrs.api_key);
    const wrong = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: {
        authorization: auth,
        'x-experience-api-version': '0.95',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ actor, verb: XAPI.Verbs.FAILED, object: { id: 'https://example.com/x' } }),
    });
    expect(wrong.status).toBe(400);
    const forged = await fetch(`${server.url}/xapi/statements?more=eyJ4IjoxfQ.forged`, {
      headers: { authorization: auth, 'x-experience-api-version': '1.0.3' },
    });
    expect(forged.status).toBe(400);
    const failed = await client.getStatements({ verb: XAPI.Verbs.FAILED.id });
    expect(failed.data.statements).toHaveLength(0);
  });
});
