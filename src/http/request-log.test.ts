import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { createLogger } from '../lib/logger.ts';

const lines: Record<string, unknown>[] = [];
let t: TestApp;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  t = await buildTestApp({ logger: createLogger('info', sink) });
});
afterAll(() => t.close());

describe('request logging', () => {
  it('writes one JSON line per request at info, with method, path, status and time', async () => {
    lines.length = 0;
    await t.app.inject({ url: '/openapi.json?probe=1' });
    await t.app.inject({ url: '/no-such-page' });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request',
        method: 'GET',
        path: '/openapi.json?probe=1',
        status: 200,
      }),
      expect.objectContaining({
        level: 30,
        msg: 'request',
        method: 'GET',
        path: '/no-such-page',
        status: 404,
      }),
    ]);
    expect(typeof requests[0]?.ms).toBe('number');
    expect(lines.some((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toBe(false);
  });

  it('writes one human-readable line per request for a terminal', async () => {
    let text = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const pretty = await buildTestApp({ logger: createLogger('info', sink, { pretty: true }) });
    try {
      await pretty.app.inject({ url: '/openapi.json' });
      const requestLines = text.split('\n').filter((l) => l.includes('/openapi.json'));
      expect(requestLines).toHaveLength(1);
      expect(requestLines[0]).toMatch(/INFO.*GET \/openapi\.json 200 \d+ms/);
      expect(text).not.toContain('{"level"');
    } finally {
      await pretty.close();
    }
  });
});
