import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultEnv, faultEnv, type HubProcess, sleep, spawnLearnhub } from './support.ts';

/**
 * Slow and abusive clients against a real hub process with short limits (the defaults are longer and
 * documented in docs/configuration.md): slow heads and bodies are cut off in time, hundreds of idle
 * connections do not keep others from being served, and oversized heads and bodies are refused.
 */
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 3_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_500;
// Node sweeps for expired connections every tenth of the head time-out (src/http/limits.ts); allow for that
// and for a busy machine.
const SLACK_MS = 1_500;

let f: FaultEnv;
let hub: HubProcess | undefined;
let port: number;

beforeAll(async () => {
  f = await faultEnv({
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
    HTTP_MAX_HEADER_BYTES: '8192',
  });
  port = Number(new URL(f.url).port);
  hub = await spawnLearnhub('start', f.env);
}, 120_000);
afterAll(async () => {
  await hub?.stop();
  await f.close();
});

interface Raw {
  readonly socket: Socket;
  /** Everything the server sent. */
  received(): string;
  /** Resolves with the milliseconds from connecting to the server closing the connection. */
  readonly closed: Promise<number>;
}

function open(): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let data = '';
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<number>((done) => socket.on('close', () => done(performance.now() - started)));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** Writes `text` a few bytes at a time, every `everyMs`, until it is written or the socket is closed. */
async function dribble(socket: Socket, text: string, everyMs: number): Promise<void> {
  for (let i = 0; i < text.length && !socket.destroyed; i += 2) {
    socket.write(text.slice(i, i + 2));
    await sleep(everyMs);
  }
}

/** A well-behaved client: one request, its status and how long it took. */
async function timed(path: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${f.url}${path}`);
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

describe('slow and abusive clients', () => {
  it('cuts off a head sent slowly (slowloris) after the head time-out, with 408', async () => {
    const raw = await open();
    void dribble(raw.socket, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`, 100);
    const ms = await raw.closed;
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    expect(raw.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('cuts off a body sent slowly after the request time-out', async () => {
    const raw = await open();
    raw.socket.write(
      'POST /api/v1/courses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n',
    );
    void dribble(raw.socket, `{"title":"${'a'.repeat(386)}"}`, 100);
    const ms = await raw.closed;
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(raw.received()).not.toMatch(/^HTTP\/1\.1 [25]/);
  });

  it('serves other clients while 500 connections sit idle, then closes the idle ones', async () => {
    const idle = await Promise.all(Array.from({ length: 500 }, () => open()));
    // Half of them started a request head and stopped.
    for (const raw of idle.slice(0, 250)) raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const served = await Promise.all(
      Array.from({ length: 20 }, (_, i) => timed(i % 2 ? '/readyz' : '/api/v1/courses?limit=5')),
    );
    for (const s of served) expect(s.status).toBe(200);
    expect(Math.max(...served.map((s) => s.ms))).toBeLessThan(2_000);
    const closedAfter = await Promise.all(idle.map((raw) => raw.closed));
    expect(Math.max(...closedAfter)).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS + 1_000);
  });

  it('closes an idle keep-alive connection after the keep-alive time-out', async () => {
    const raw = await open();
    raw.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const ms = await raw.closed;
    expect(raw.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw.received()).toMatch(/\r\nKeep-Alive: timeout=\d+\r\n/i);
    expect(ms).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
  });

  it('refuses an oversized head with 431 and an oversized body with 413, and keeps serving', async () => {
    const big = await fetch(`${f.url}/healthz`, { headers: { 'x-big': 'a'.repeat(10_000) } });
    expect(big.status).toBe(431);
    // The sign-in form needs no credentials, so the body is the first thing refused.
    const body = await fetch(`${f.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${'a'.repeat(2 * 1024 * 1024)}&password=x`,
    });
    expect(body.status).toBe(413);
    expect((await timed('/healthz')).status).toBe(200);
  });
});
