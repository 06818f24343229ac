import autocannon from 'autocannon';
import pg from 'pg';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * Event Store: single PUTs from 50 concurrent clients, batch ingest, and change-feed reads. Each run uses a
 * fresh program so repeated runs do not collide.
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

async function singlePuts(ctx: BenchContext, key: Key, auth: string): Promise<BenchRow> {
  let sent = 0;
  const result = await autocannon({
    url: ctx.url,
    connections: 50,
    duration: 10,
    method: 'PUT',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(event(key.program_id, 1)),
    requests: [
      {
        // A new event id per request: every PUT is an insert.
        setupRequest: (request) => ({ ...request, path: `/eventstore/events/${key.program_id}-s${sent++}` }),
      },
    ],
  });
  const ok = result['2xx'];
  const seconds = result.duration;
  return {
    name: 'eventstore: single PUT, 50 clients',
    requestsPerSecond: round(ok / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    note: `${ok} stored, ${result.non2xx + result.errors} failed`,
    target: '≥ 4,000 events/s, p99 ≤ 50 ms',
  };
}

async function batchIngest(ctx: BenchContext, key: Key, auth: string): Promise<BenchRow> {
  const batches = 120;
  const clients = 4;
  const size = 1000;
  let next = 0;
  let stored = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let b = next++; b < batches; b = next++) {
        const events = Array.from({ length: size }, (_, i) => ({
          EventId: `${key.program_id}-b${b}-${i}`,
          ...event(key.program_id, b * size + i),
        }));
        const res = await fetch(`${ctx.url}/eventstore/events:batch`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({ Events: events }),
        });
        const body = (await res.json()) as { Results?: { Status: number }[] };
        stored += body.Results?.filter((r) => r.Status === 200).length ?? 0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    name: 'eventstore: batch ingest (1,000/batch, 4 clients)',
    note: `${round(stored / seconds)} events/s (${stored} events in ${seconds.toFixed(1)} s)`,
    target: '≥ 40,000 events/s',
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

async function feedRead(ctx: BenchContext, auth: string, consumers: number): Promise<BenchRow> {
  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: consumers }, () => drain(ctx, auth)));
  const seconds = (performance.now() - started) / 1000;
  const total = counts.reduce((a, b) => a + b, 0);
  return {
    name: `eventstore: change feed read (${consumers} consumer${consumers > 1 ? 's' : ''}, 1,000/page)`,
    note: `${round(total / seconds)} events/s (${total} events in ${seconds.toFixed(1)} s)`,
    target: '≥ 100,000 events/s',
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
