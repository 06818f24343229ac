import autocannon from 'autocannon';
import pg from 'pg';
import { copyFrom, copyValue } from './baseline.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * Event Store: single PUTs from 50 concurrent clients, batch ingest, and change-feed reads, each next to its
 * physical baseline measured in the same run: a bare Fastify route doing one prepared INSERT per request,
 * COPY of the same rows into a bare table, and the bare SELECT of the same change rows as JSON (bench/bare-db.mjs).
 * Each run uses a fresh program so repeated runs do not collide.
 */
interface Key {
  readonly program_id: string;
  readonly user_id: string;
  readonly api_key: string;
}

const round = (n: number) => Math.round(n);

function event(programId: string, i: number) {
  return {
    ProgramId: programId,
    ProgramMemberId: `member${i % 5000}@example.com`,
    EventType: 'course.completed',
    EventStartUTC: '2026-01-01T10:00:00Z',
    EventEndUTC: '2026-01-01T11:00:00Z',
    EventData: { course: { id: `c${i % 100}`, title: 'A course' }, score: i % 100 },
  };
}

async function puts(url: string, programId: string, prefix: string, seconds: number, auth?: string) {
  let sent = 0;
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    method: 'PUT',
    headers: { ...(auth ? { authorization: auth } : {}), 'content-type': 'application/json' },
    body: JSON.stringify(event(programId, 1)),
    requests: [
      // A new event id per request: every PUT is an insert.
      { setupRequest: (request) => ({ ...request, path: `${prefix}${sent++}` }) },
    ],
  });
  return { ok: result['2xx'], rate: result['2xx'] / result.duration, result };
}

async function singlePuts(ctx: BenchContext, key: Key, auth: string): Promise<BenchRow> {
  const seconds = ctx.seconds(10);
  const bare = await ctx.bare();
  const base = await puts(bare.url, key.program_id, `/events/${key.program_id}-bare`, seconds);
  const hub = await puts(ctx.url, key.program_id, `/eventstore/events/${key.program_id}-s`, seconds, auth);
  return {
    name: 'eventstore: single PUT, 50 clients',
    rate: round(hub.rate),
    unit: 'events/s',
    baseline: { name: 'bare Fastify, 1 prepared INSERT', rate: round(base.rate) },
    p50Ms: hub.result.latency.p50,
    p99Ms: hub.result.latency.p99,
    note: `${hub.ok} stored, ${hub.result.non2xx + hub.result.errors} failed; bare p99 ${base.result.latency.p99} ms`,
    goal: { minRatio: 0.5, minRate: 4000, maxP99Ms: 50 },
  };
}

const BATCH = 1000;
const CLIENTS = 4;

function batchOf(programId: string, b: number) {
  return Array.from({ length: BATCH }, (_, i) => ({
    EventId: `${programId}-b${b}-${i}`,
    ...event(programId, b * BATCH + i),
  }));
}

/** Runs `batches` batches over CLIENTS concurrent workers; events/s. */
async function inParallel(batches: number, send: (b: number) => Promise<number>) {
  let next = 0;
  let stored = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let b = next++; b < batches; b = next++) stored += await send(b);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { stored, seconds, rate: stored / seconds };
}

/** The same rows COPYed into a bare table with the primary key of stored_events: the floor of ingest. */
async function copyBaseline(ctx: BenchContext, programId: string, batches: number) {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const c = new pg.Client({ connectionString: ctx.databaseUrl });
      await c.connect();
      return c;
    }),
  );
  try {
    await clients[0]?.query(`drop table if exists bench_bare_copy;
      create table bench_bare_copy (event_id text primary key, program_id text not null, member_id text not null,
        event_type text not null, start_at timestamptz not null, end_at timestamptz not null, data jsonb not null)`);
    const free = [...clients];
    return await inParallel(batches, async (b) => {
      const client = free.pop();
      if (!client) throw new Error('no free client');
      try {
        let text = '';
        for (const e of batchOf(programId, b)) {
          text += `${[e.EventId, e.ProgramId, e.ProgramMemberId, e.EventType, e.EventStartUTC, e.EventEndUTC, JSON.stringify(e.EventData)].map(copyValue).join('\t')}\n`;
        }
        await copyFrom(client, 'copy bench_bare_copy from stdin', text);
        return BATCH;
      } finally {
        free.push(client);
      }
    });
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function batchIngest(ctx: BenchContext, key: Key, auth: string): Promise<BenchRow> {
  const batches = Math.max(8, ctx.size(120));
  const hub = await inParallel(batches, async (b) => {
    const res = await fetch(`${ctx.url}/eventstore/events:batch`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ Events: batchOf(key.program_id, b) }),
    });
    const body = (await res.json()) as { Results?: { Status: number }[] };
    return body.Results?.filter((r) => r.Status === 200).length ?? 0;
  });
  const copy = await copyBaseline(ctx, `${key.program_id}C`, batches);
  return {
    name: 'eventstore: batch ingest (1,000/batch, 4 clients)',
    rate: round(hub.rate),
    unit: 'events/s',
    baseline: { name: 'COPY into a bare table', rate: round(copy.rate) },
    note: `${hub.stored} events in ${hub.seconds.toFixed(1)} s`,
    goal: { minRatio: 0.5, minRate: 40_000 },
  };
}

/** Pulls the whole feed from the start with the largest page, as a consumer catching up would. */
async function drain(ctx: BenchContext, auth: string): Promise<number> {
  let since = '';
  let read = 0;
  for (;;) {
    const res = await fetch(`${ctx.url}/eventstore/events?limit=1000${since ? `&since=${since}` : ''}`, {
      headers: { authorization: auth },
    });
    const page = (await res.json()) as { Events: unknown[]; NextCursor: string; HasMore: boolean };
    read += page.Events.length;
    since = page.NextCursor;
    if (!page.HasMore) return read;
  }
}

/** The bare SELECT of the same change rows, 1,000 a page, as JSON built by PostgreSQL. */
async function drainBare(url: string): Promise<number> {
  let after = '0';
  let read = 0;
  for (;;) {
    const page = (await (await fetch(`${url}/feed?after=${after}&limit=1000`)).json()) as {
      Events: unknown[];
      Next: string;
    };
    read += page.Events.length;
    after = page.Next;
    if (page.Events.length < 1000) return read;
  }
}

async function timed(consumers: number, pull: () => Promise<number>) {
  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: consumers }, pull));
  const seconds = (performance.now() - started) / 1000;
  const total = counts.reduce((a, b) => a + b, 0);
  return { total, seconds, rate: total / seconds };
}

async function feedRead(ctx: BenchContext, auth: string, consumers: number): Promise<BenchRow> {
  const bare = await ctx.bare();
  const base = await timed(consumers, () => drainBare(bare.url));
  const hub = await timed(consumers, () => drain(ctx, auth));
  return {
    name: `eventstore: change feed read (${consumers} consumer${consumers > 1 ? 's' : ''}, 1,000/page)`,
    rate: round(hub.rate),
    unit: 'events/s',
    baseline: { name: 'bare SELECT of the rows as JSON', rate: round(base.rate) },
    note: `${hub.total} events in ${hub.seconds.toFixed(1)} s`,
    goal: { minRatio: consumers > 1 ? 0.5 : 0.6, minRate: 100_000 },
  };
}

export const run: BenchSuite = async (ctx) => {
  const id = `B${Date.now().toString(36).toUpperCase()}`;
  const key = JSON.parse(
    await ctx.cli(['programs', 'create', '--id', id, '--name', 'Bench', '--json']),
  ) as Key;
  const auth = `Basic ${Buffer.from(`${key.user_id}:${key.api_key}`).toString('base64')}`;
  const rows: BenchRow[] = [];
  rows.push(await singlePuts(ctx, key, auth));
  rows.push(await batchIngest(ctx, key, auth));
  // A freshly bulk-loaded table has no statistics yet; autovacuum would analyze it within a minute. Do it
  // now so the feed is measured with the plan it has in steady state (an ordered index walk).
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  await client.query('analyze event_changes, stored_events');
  await client.end();
  rows.push(await feedRead(ctx, auth, 1));
  rows.push(await feedRead(ctx, auth, 4));
  return rows;
};
