import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  basic,
  createProgram,
  type FaultEnv,
  faultEnv,
  type HubProcess,
  type ProgramKey,
  sleep,
  spawnLearnhub,
  until,
} from './support.ts';

/**
 * kill -9 of the hub while 50 clients PUT events and 4 clients ingest batches, all at once: every
 * acknowledged write is there after the restart, exactly once, and a consumer that pulled the change feed
 * across the crash, with the cursor it had, received every change exactly once. (CI scale: the kill comes
 * after at least 500 acknowledged PUTs and 4 acknowledged batches of 200.)
 */
let f: FaultEnv;
let key: ProgramKey;
let hub: HubProcess | undefined;
/** Every event id either test sent (acknowledged or not): nothing else may ever appear in the feed. */
const sent = new Set<string>();

beforeAll(async () => {
  f = await faultEnv();
  key = await createProgram(f.env, 'FLT');
});
afterAll(async () => {
  await hub?.stop();
  await f.close();
});

interface Change {
  readonly EventId: string;
  readonly Revision: number;
}

/** A program pulling the feed as the docs say: keep NextCursor, pull again at once while HasMore, else wait. */
function startConsumer() {
  const seen: Change[] = [];
  let cursor: string | undefined;
  let running = true;
  let caughtUp = false;
  const loop = (async () => {
    while (running) {
      try {
        const query = new URLSearchParams({ limit: '1000', ...(cursor ? { since: cursor } : {}) });
        const res = await fetch(`${f.url}/eventstore/events?${query}`, {
          headers: { authorization: basic(key) },
        });
        if (res.status !== 200) throw new Error(`feed: ${res.status}`);
        const page = (await res.json()) as { Events: Change[]; NextCursor: string; HasMore: boolean };
        seen.push(...page.Events.map((e) => ({ EventId: e.EventId, Revision: e.Revision })));
        cursor = page.NextCursor;
        caughtUp = !page.HasMore;
        if (!page.HasMore) await sleep(50);
      } catch {
        // The hub is down (killed, restarting): keep the cursor and try again.
        caughtUp = false;
        await sleep(100);
      }
    }
  })();
  return {
    seen,
    caughtUp: () => caughtUp,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Every change in the feed from the start, read with a fresh cursor. */
async function wholeFeed(): Promise<Change[]> {
  const all: Change[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '1000', ...(cursor ? { since: cursor } : {}) });
    const res = await fetch(`${f.url}/eventstore/events?${query}`, {
      headers: { authorization: basic(key) },
    });
    expect(res.status).toBe(200);
    const page = (await res.json()) as { Events: Change[]; NextCursor: string; HasMore: boolean };
    all.push(...page.Events);
    cursor = page.NextCursor;
    if (!page.HasMore) return all;
  }
}

function countById(changes: readonly Change[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.EventId, (counts.get(c.EventId) ?? 0) + 1);
  return counts;
}

const body = (id: string) =>
  JSON.stringify({
    ProgramId: 'FLT',
    ProgramMemberId: `${id.toLowerCase()}@example.org`,
    EventType: 'course.completed',
    EventStartUTC: '2026-03-01T10:00:00Z',
    EventData: { id },
  });

/** Checks what both tests promise, after the restart: acknowledged = stored once, fed once. */
async function expectEachOnce(acked: ReadonlySet<string>, consumer: ReturnType<typeof startConsumer>) {
  const feed = await wholeFeed();
  expect(acked.size).toBeGreaterThan(0);
  const inFeed = countById(feed);
  for (const id of acked) expect(inFeed.get(id), `acknowledged ${id}`).toBe(1);
  // Nothing appears that was never sent, and nothing twice (every write here was a first revision).
  for (const [id, n] of inFeed) {
    expect(sent.has(id), `unexpected ${id}`).toBe(true);
    expect(n, `${id} in the feed`).toBe(1);
  }
  // The consumer that pulled across the crash with its own cursor: the same changes, each once.
  await until('the consumer to catch up', () => consumer.caughtUp() && consumer.seen.length >= feed.length);
  await consumer.stop();
  const consumed = countById(consumer.seen);
  expect(consumer.seen.length).toBe(feed.length);
  for (const [id, n] of consumed) expect(n, `${id} consumed`).toBe(1);
  return inFeed;
}

/** 50 clients PUTting new events one by one, as fast as the hub answers. */
function putClients(acked: Set<string>, running: () => boolean) {
  const client = async (c: number) => {
    for (let i = 0; running(); i++) {
      const id = `FLT-p${c}-${i}`;
      sent.add(id);
      try {
        const res = await fetch(`${f.url}/eventstore/events/${id}`, {
          method: 'PUT',
          headers: { authorization: basic(key), 'content-type': 'application/json' },
          body: body(id),
        });
        if (res.status === 200) acked.add(id);
        await res.arrayBuffer();
      } catch {
        // Reset by the kill, or refused while the hub is down: not acknowledged.
        await sleep(20);
      }
    }
  };
  return Promise.all(Array.from({ length: 50 }, (_, c) => client(c)));
}

interface BatchLog {
  acknowledgedBatches: number;
  readonly statuses: number[];
  /** Batches whose answer never came: on the wire at the kill, or refused while the hub was down. */
  readonly unanswered: string[][];
}

/** 4 clients posting batches of 200 new events. */
function batchClients(acked: Set<string>, log: BatchLog, running: () => boolean) {
  const client = async (c: number) => {
    for (let b = 0; running(); b++) {
      const ids = Array.from({ length: 200 }, (_, j) => `FLT-b${c}-${b}-${j}`);
      for (const id of ids) sent.add(id);
      let status: number;
      let result: { Results?: { EventId: string; Status: number }[] };
      try {
        const res = await fetch(`${f.url}/eventstore/events:batch`, {
          method: 'POST',
          headers: { authorization: basic(key), 'content-type': 'application/json' },
          body: `{"Events":[${ids.map((id) => body(id).replace('{', `{"EventId":"${id}",`)).join(',')}]}`,
        });
        status = res.status;
        result = (await res.json()) as typeof result;
      } catch {
        log.unanswered.push(ids);
        await sleep(20);
        continue;
      }
      log.statuses.push(status);
      for (const r of result.Results ?? []) if (r.Status === 200) acked.add(r.EventId);
      if (status === 200) log.acknowledgedBatches++;
    }
  };
  return Promise.all(Array.from({ length: 4 }, (_, c) => client(c)));
}

describe('kill -9 of the hub', () => {
  it('loses no acknowledged PUT or batch of concurrent clients, and the feed delivers each event once', async () => {
    hub = await spawnLearnhub('start', f.env);
    const consumer = startConsumer();
    const ackedPuts = new Set<string>();
    const ackedBatched = new Set<string>();
    const log: BatchLog = { acknowledgedBatches: 0, statuses: [], unanswered: [] };
    let writing = true;
    const writers = Promise.all([
      putClients(ackedPuts, () => writing),
      batchClients(ackedBatched, log, () => writing),
    ]);
    await until(
      '500 acknowledged PUTs and 4 acknowledged batches',
      () => ackedPuts.size >= 500 && log.acknowledgedBatches >= 4,
      90_000,
    );
    expect(await hub.kill9()).toBe('SIGKILL');
    // The writers keep trying against the dead port for a moment, then stop.
    await sleep(300);
    writing = false;
    await writers;

    hub = await spawnLearnhub('start', f.env);
    // Every batch that was answered at all was answered 200 (each item 200: all were valid and new).
    expect(log.statuses.filter((status) => status !== 200)).toEqual([]);
    const inFeed = await expectEachOnce(new Set([...ackedPuts, ...ackedBatched]), consumer);
    // A batch without repeated ids is one statement: one whose answer was lost is all there or all missing.
    for (const ids of log.unanswered) {
      const stored = ids.filter((id) => inFeed.has(id)).length;
      expect([0, ids.length], `batch ${ids[0]}`).toContain(stored);
    }
    // The events themselves: one revision each.
    for (const id of [...ackedPuts].slice(0, 5).concat([...ackedBatched].slice(0, 5))) {
      const res = await fetch(`${f.url}/eventstore/events/${id}`, { headers: { authorization: basic(key) } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { Revisions: unknown[] }).Revisions).toHaveLength(1);
    }
  }, 180_000);
});
