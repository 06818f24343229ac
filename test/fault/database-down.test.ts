import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server.ts';
import { type PrivatePostgres, startPrivatePostgres } from './postgres.ts';
import {
  basic,
  createProgram,
  type HubProcess,
  type ProgramKey,
  sleep,
  spawnLearnhub,
  until,
} from './support.ts';

/**
 * PostgreSQL stopped and started again under load, on a server of this test's own: while it is down,
 * /readyz says so and every request is answered 503 at once (no hanging, no 500s); when it is back the hub
 * serves again by itself, jobs included, with no restart.
 */
let postgres: PrivatePostgres;
let hub: HubProcess | undefined;
let dataDir: string;
let env: Record<string, string>;
let url: string;
let key: ProgramKey;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  dataDir = mkdtempSync(path.join(tmpdir(), 'learnhub-fault-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = {
    DATABASE_URL: postgres.url,
    DATA_DIR: dataDir,
    PORT: String(port),
    SECRET_KEY: 'fault-suite-secret-key-0123456789abcdef',
    INBOUND_SMTP_PORT: '0',
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  hub = await spawnLearnhub('start', env);
  key = await createProgram(env, 'DBX');
}, 180_000);
afterAll(async () => {
  await hub?.stop();
  await postgres.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Phase = 'up' | 'stopping' | 'down' | 'recovering' | 'back';

interface Outcome {
  readonly phase: Phase;
  readonly surface: 'api' | 'eventstore';
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: string | null;
  readonly code: string | undefined;
}

async function call(surface: Outcome['surface'], n: number): Promise<Omit<Outcome, 'phase'>> {
  const started = performance.now();
  const res =
    surface === 'api'
      ? await fetch(`${url}/api/v1/courses`)
      : await fetch(`${url}/eventstore/events/DBX-${n}`, {
          method: 'PUT',
          headers: { authorization: basic(key), 'content-type': 'application/json' },
          body: JSON.stringify({
            ProgramId: 'DBX',
            ProgramMemberId: 'someone@example.org',
            EventType: 'course.enrolled',
            EventStartUTC: '2026-03-01T10:00:00Z',
          }),
        });
  const text = await res.text();
  const ms = performance.now() - started;
  let code: string | undefined;
  if (res.status >= 500) {
    const parsed = JSON.parse(text) as { code?: string; error?: { code?: string } };
    code = surface === 'api' ? parsed.code : parsed.error?.code;
  }
  return { surface, status: res.status, ms, retryAfter: res.headers.get('retry-after'), code };
}

async function readyz(): Promise<{ status: number; ms: number; body: unknown }> {
  const started = performance.now();
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: await res.json(), ms: performance.now() - started };
}

describe('PostgreSQL stopped and started under load', () => {
  it('answers 503 at once while the database is down, and serves again by itself when it is back', async () => {
    let phase: Phase = 'up';
    const outcomes: Outcome[] = [];
    let running = true;
    let n = 0;
    const client = async (c: number) => {
      while (running) {
        const surface = c % 2 === 0 ? 'api' : 'eventstore';
        const at = phase;
        outcomes.push({ phase: at, ...(await call(surface, n++)) });
        await sleep(20);
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    await sleep(1_000);

    phase = 'stopping';
    await postgres.stop();
    phase = 'down';
    await sleep(2_000);
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toEqual({
      status: 'not_ready',
      checks: { database: 'unreachable', migrations: 'unknown' },
    });
    expect(down.ms).toBeLessThan(2_000);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await sleep(1_000);

    phase = 'recovering';
    await postgres.start();
    await until('/readyz to answer 200', async () => (await readyz()).status === 200, 30_000, 200);
    phase = 'back';
    await sleep(1_000);
    running = false;
    await Promise.all(clients);

    // Never a 500 (or any 5xx but 503), whatever the phase.
    expect(outcomes.filter((o) => o.status >= 500 && o.status !== 503)).toEqual([]);
    const inPhase = (p: Phase) => outcomes.filter((o) => o.phase === p);
    expect(inPhase('up').length).toBeGreaterThan(0);
    expect(inPhase('up').filter((o) => o.status !== 200)).toEqual([]);
    // Down: each surface in its own error shape, with the same code and a Retry-After, fast.
    const whileDown = inPhase('down');
    expect(whileDown.length).toBeGreaterThan(20);
    for (const o of whileDown) {
      expect(o.status).toBe(503);
      expect(o.code).toBe('service.unavailable');
      expect(o.retryAfter).toBe('5');
    }
    expect(Math.max(...whileDown.map((o) => o.ms))).toBeLessThan(2_000);
    expect(new Set(whileDown.map((o) => o.surface))).toEqual(new Set(['api', 'eventstore']));
    const back = inPhase('back');
    expect(back.length).toBeGreaterThan(0);
    expect(back.filter((o) => o.status !== 200)).toEqual([]);

    // The same process, still up, and its worker too: a job queued now runs.
    expect(hub?.child.exitCode).toBeNull();
    const client2 = new pg.Client({ connectionString: postgres.url });
    await client2.connect();
    try {
      await client2.query(
        `select graphile_worker.add_job('mail.send', json_build_object('to', json_build_array('x@example.org'),
           'subject', 'after the outage', 'text', 'hi', 'messageId', '<after-outage@hub.test>'))`,
      );
      await until(
        'the worker to send queued mail',
        async () =>
          (await client2.query(`select 1 from outbox where subject = 'after the outage'`)).rowCount === 1,
        30_000,
        200,
      );
    } finally {
      await client2.end();
    }
  }, 120_000);
});
