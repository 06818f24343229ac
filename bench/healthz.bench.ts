import { startBare } from './baseline.ts';
import { load, warm } from './load.ts';
import type { BenchSuite } from './types.ts';

/** /healthz of the full hub next to a bare Fastify hello-world measured in the same run. */
export const run: BenchSuite = async (ctx) => {
  const hello = await startBare('hello-fastify.mjs');
  try {
    const seconds = ctx.seconds(10);
    await warm(hello.url);
    const bare = await load({ url: hello.url, durationSeconds: seconds });
    await warm(`${ctx.url}/healthz`);
    const hub = await load({ url: `${ctx.url}/healthz`, durationSeconds: seconds });
    return [
      {
        name: 'GET /healthz (full hub), 50 clients',
        rate: Math.round(hub.requestsPerSecond),
        unit: 'req/s',
        baseline: { name: 'bare Fastify hello-world', rate: Math.round(bare.requestsPerSecond) },
        p50Ms: hub.p50Ms,
        p99Ms: hub.p99Ms,
        note: `${hub.non2xx + hub.errors} non-2xx/errors (bare: ${bare.non2xx + bare.errors})`,
        goal: { minRatio: 0.6 },
      },
    ];
  } finally {
    await hello.stop();
  }
};
