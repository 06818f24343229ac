import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load, warm } from './load.ts';
import type { BenchRow, BenchSuite } from './types.ts';

/** /healthz of the full hub next to a bare Fastify hello-world measured in the same run. */
export const run: BenchSuite = async (ctx) => {
  const hello = spawn(process.execPath, [fileURLToPath(new URL('./hello-fastify.mjs', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const helloUrl = await new Promise<string>((resolve, reject) => {
      hello.stdout.once('data', (chunk: Buffer) =>
        resolve((JSON.parse(chunk.toString()) as { url: string }).url),
      );
      hello.once('exit', () => reject(new Error('hello-world server exited')));
    });
    await warm(helloUrl);
    const bare = await load({ url: helloUrl });
    await warm(`${ctx.url}/healthz`);
    const hub = await load({ url: `${ctx.url}/healthz` });
    const ratio = hub.requestsPerSecond / bare.requestsPerSecond;
    const rows: BenchRow[] = [
      { name: 'bare Fastify hello-world', ...bare, note: `${bare.non2xx + bare.errors} non-2xx/errors` },
      {
        name: 'GET /healthz (full hub)',
        ...hub,
        note: `${(ratio * 100).toFixed(0)}% of bare Fastify; ${hub.non2xx + hub.errors} non-2xx/errors`,
        target: '≥ 60% of bare Fastify',
      },
    ];
    return rows;
  } finally {
    hello.kill('SIGTERM');
  }
};
