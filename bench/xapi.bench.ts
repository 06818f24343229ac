import autocannon from 'autocannon';
import pg from 'pg';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * xAPI LRS: single statement POSTs from 50 clients, batches of 500, and a query by agent + verb over a large
 * store (1,000,000 statements by default, seeded with SQL in the shape the hub writes). Sizes can be lowered
 * on a busy machine: XAPI_BENCH_SECONDS (default 10), XAPI_BENCH_ROWS (default 1000000).
 */
interface Key {
  readonly program_id: string;
  readonly user_id: string;
  readonly api_key: string;
}

const SECONDS = Number(process.env.XAPI_BENCH_SECONDS ?? 10);
const ROWS = Number(process.env.XAPI_BENCH_ROWS ?? 1_000_000);
const VERBS = ['completed', 'attempted', 'passed', 'failed', 'experienced', 'answered', 'launched', 'scored'];
const verb = (i: number) => `http://adlnet.gov/expapi/verbs/${VERBS[i % VERBS.length]}`;
const round = (n: number) => Math.round(n);

function statement(i: number) {
  return {
    actor: { objectType: 'Agent', mbox: `mailto:learner${i % 5000}@example.com` },
    verb: { id: verb(i), display: { 'en-US': 'did' } },
    object: { objectType: 'Activity', id: `https://example.com/courses/${i % 200}` },
    result: { completion: true, score: { scaled: 0.8 } },
    timestamp: '2026-01-01T10:00:00.000Z',
  };
}

function headers(auth: string) {
  return { authorization: auth, 'content-type': 'application/json', 'x-experience-api-version': '1.0.3' };
}

async function singlePosts(ctx: BenchContext, auth: string): Promise<BenchRow> {
  // Warm-up, not measured: a fresh hub's first wave of 50 POSTs takes seconds (module and JIT warm-up, every
  // pool connection preparing the store statement, the key lookup); under heavy load that alone filled the
  // short measuring window ("1 answered, p50 5 s"), which read as a stall. 200 POSTs get past it.
  await autocannon({
    url: `${ctx.url}/xapi/statements`,
    connections: 50,
    amount: 200,
    method: 'POST',
    headers: headers(auth),
    body: JSON.stringify(statement(1)),
  });
  const result = await autocannon({
    url: `${ctx.url}/xapi/statements`,
    connections: 50,
    duration: SECONDS,
    method: 'POST',
    headers: headers(auth),
    // No id: the LRS assigns one, so every POST stores a new statement.
    body: JSON.stringify(statement(1)),
  });
  const ok = result['2xx'];
  return {
    name: 'xapi: single statement POST, 50 clients',
    requestsPerSecond: round(ok / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    note: `${ok} stored, ${result.non2xx + result.errors} failed`,
    target: '≥ 4,000/s, p99 ≤ 50 ms',
  };
}

async function batches(ctx: BenchContext, auth: string): Promise<BenchRow> {
  const total = 40;
  const size = 500;
  let next = 0;
  let stored = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let b = next++; b < total; b = next++) {
        const body = JSON.stringify(Array.from({ length: size }, (_, i) => statement(b * size + i)));
        const res = await fetch(`${ctx.url}/xapi/statements`, {
          method: 'POST',
          headers: headers(auth),
          body,
        });
        if (res.ok) stored += ((await res.json()) as string[]).length;
        else await res.text();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    name: 'xapi: batches of 500, 4 clients',
    note: `${round(stored / seconds)} statements/s (${stored} in ${seconds.toFixed(1)} s)`,
    target: '≥ 20,000 statements/s',
  };
}

/*
 * Seeds ROWS statements of one program straight into the Event Store and statement index tables, as the hub
 * writes them (event + index row + agent/activity rows), in one pass of generate_series.
 */
async function seed(databaseUrl: string, programId: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`create temp table seed as
      select i, gen_random_uuid() as id, 'mbox:mailto:learner' || (i % 20000) || '@example.com' as agent,
             'http://adlnet.gov/expapi/verbs/' || (array['${VERBS.join("','")}'])[1 + i % ${VERBS.length}] as verb,
             'https://example.com/courses/' || (i % 2000) as activity,
             now() - make_interval(secs => ${ROWS} - i) as stored
      from generate_series(1, ${ROWS}) as i`);
    await client.query(
      `insert into stored_events (event_id, program_id, member_id, event_type, start_at, end_at, data, revision,
                                  created_at, updated_at)
       select $1 || '-' || id, $1, agent, verb, stored, stored,
              jsonb_build_object('id', id, 'actor', jsonb_build_object('mbox', substr(agent, 6)),
                'verb', jsonb_build_object('id', verb), 'object', jsonb_build_object('id', activity),
                'stored', stored, 'timestamp', stored, 'version', '1.0.0'), 1, stored, stored
       from seed`,
      [programId],
    );
    await client.query(
      `insert into xapi_statements (program_id, statement_id, stored, seq, event_id, verb_id)
       select $1, id, stored, i, $1 || '-' || id, verb from seed`,
      [programId],
    );
    await client.query(
      `insert into xapi_statement_refs (program_id, kind, key, verb_id, stored, seq, statement_id)
       select $1, k.kind::"char", k.key, verb, stored, i, id from seed,
         lateral (values ('a', agent), ('A', agent), ('o', activity), ('O', activity)) as k(kind, key)`,
      [programId],
    );
    await client.query(
      "select setval('xapi_statement_seq', greatest((select max(seq) from xapi_statements), 1))",
    );
    await client.query('analyze stored_events, xapi_statements, xapi_statement_refs');
  } finally {
    await client.end();
  }
}

async function agentVerbQuery(ctx: BenchContext, auth: string): Promise<BenchRow> {
  let n = 0;
  const result = await autocannon({
    url: ctx.url,
    connections: 10,
    duration: SECONDS,
    headers: headers(auth),
    requests: [
      {
        setupRequest: (request) => {
          n++;
          const agent = encodeURIComponent(
            JSON.stringify({ mbox: `mailto:learner${(n * 7919) % 20000}@example.com` }),
          );
          return {
            ...request,
            path: `/xapi/statements?agent=${agent}&verb=${encodeURIComponent(verb(n))}&limit=10`,
          };
        },
      },
    ],
  });
  return {
    name: `xapi: query by agent + verb over ${ROWS.toLocaleString('en')} statements, 10 clients`,
    requestsPerSecond: round(result['2xx'] / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    note: `${result.non2xx + result.errors} failed`,
    target: 'p99 ≤ 50 ms',
  };
}

export const run: BenchSuite = async (ctx) => {
  const make = async (suffix: string) => {
    const id = `X${suffix}${Date.now().toString(36).toUpperCase()}`;
    const key = JSON.parse(
      await ctx.cli(['programs', 'create', '--id', id, '--name', 'xAPI bench', '--json']),
    ) as Key;
    return { key, auth: `Basic ${Buffer.from(`${key.user_id}:${key.api_key}`).toString('base64')}` };
  };
  const ingest = await make('I');
  const rows: BenchRow[] = [await singlePosts(ctx, ingest.auth), await batches(ctx, ingest.auth)];
  const query = await make('Q');
  await seed(ctx.databaseUrl, query.key.program_id);
  rows.push(await agentVerbQuery(ctx, query.auth));
  return rows;
};
