import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runCli, spawnHub } from '../test/support/cli.ts';
import { freePort } from '../test/support/server.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * `npm run bench [suite ...]`: starts one hub (web + worker) as its own process, on a fresh database —
 * a new database on BENCH_DATABASE_URL's server when set, otherwise the embedded PostgreSQL in a temporary
 * DATA_DIR — runs every bench/<name>.bench.ts (or the named ones) and prints one table, with the hub's peak RSS.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort((a, b) => (a === 'healthz' ? -1 : b === 'healthz' ? 1 : a.localeCompare(b)));

const home = mkdtempSync(path.join(tmpdir(), 'learnhub-bench-'));
chmodSync(home, 0o755);
const env: Record<string, string> = {
  DATA_DIR: path.join(home, 'data'),
  INBOUND_SMTP_PORT: '0',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '0',
};
let databases = 0;
/** A new, empty database on a server: for the bench hub (on BENCH_DATABASE_URL) and for suites' own hubs. */
async function createDatabase(serverUrl: string) {
  const name = `learnhub_bench_${Date.now().toString(36)}_${++databases}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

let dropDatabase: (() => Promise<void>) | undefined;
const adminUrl = process.env.BENCH_DATABASE_URL;
if (adminUrl) {
  const created = await createDatabase(adminUrl);
  env.DATABASE_URL = created.url;
  dropDatabase = created.drop;
}

/** The hub's embedded server: its port is line 4 of postmaster.pid (see src/db/embedded.ts). */
function embeddedUrl(dataDir: string): string {
  const lines = readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
  return `postgres://postgres:postgres@127.0.0.1:${Number(lines[3])}/learnhub`;
}

/** VmHWM (peak) or VmRSS (now) of a process in bytes; 0 once it has exited. */
function rss(pid: number | undefined, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
const peakRss = (pid: number | undefined) => rss(pid, 'VmHWM');

/**
 * Between suites: vacuum and checkpoint the hub's database, so that a suite is not measured while the
 * database cleans up after the previous one (autovacuum of a million seeded or published rows, the
 * checkpoint they trigger). Every suite then starts from a settled database, whichever ran before it.
 */
async function settle(databaseUrl: string): Promise<void> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    await client.query('vacuum (analyze)');
    await client.query('checkpoint');
    process.stderr.write(
      `bench: database settled in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  } catch (error) {
    process.stderr.write(`bench: could not settle the database (${(error as Error).message}); going on\n`);
  } finally {
    await client.end().catch(() => {});
  }
}

const port = await freePort();
process.stderr.write(
  `bench: starting the hub (${env.DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded PostgreSQL'})\n`,
);
const hub = await spawnHub({ ...env, PORT: String(port) });
const rows: (BenchRow & { suite: string })[] = [];
try {
  const created = await runCli(['tokens', 'create', '--admin', '--json', '--name', 'bench'], env);
  const adminToken = (JSON.parse(created.stdout) as { token: string }).token;
  const ctx: BenchContext = {
    url: hub.url,
    databaseUrl: env.DATABASE_URL ?? embeddedUrl(env.DATA_DIR ?? ''),
    adminToken,
    hubRss: () => peakRss(hub.child.pid),
    cli: async (args) => {
      const result = await runCli(args, env);
      if (result.code !== 0) throw new Error(`learnhub ${args.join(' ')} failed: ${result.stderr}`);
      return result.stdout;
    },
    createDatabase: () => createDatabase(env.DATABASE_URL ?? embeddedUrl(env.DATA_DIR ?? '')),
    startHub: async (extra) => {
      const hubEnv = { ...env, ...extra, PORT: String(await freePort()) };
      const spawned = await spawnHub(hubEnv);
      const pid = spawned.child.pid;
      return {
        url: spawned.url,
        peakRss: () => peakRss(pid),
        rss: () => rss(pid, 'VmRSS'),
        stop: (signal) => spawned.stop(signal),
        cli: async (args) => {
          const result = await runCli(args, hubEnv);
          if (result.code !== 0) throw new Error(`learnhub ${args.join(' ')} failed: ${result.stderr}`);
          return result.stdout;
        },
      };
    },
  };
  for (const [index, suite] of suites.entries()) {
    if (index > 0) await settle(ctx.databaseUrl);
    process.stderr.write(`bench: ${suite}\n`);
    const module = (await import(path.join(here, `${suite}.bench.ts`))) as { run: BenchSuite };
    for (const row of await module.run(ctx)) rows.push({ suite, ...row });
  }
} finally {
  const rss = peakRss(hub.child.pid);
  rows.push({
    suite: 'hub',
    name: 'peak RSS of the hub process',
    note: `${(rss / 1024 / 1024).toFixed(0)} MB`,
    target: '≤ 200 MB',
  });
  await hub.stop('SIGTERM');
  await dropDatabase?.();
  rmSync(home, { recursive: true, force: true });
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? '' : n.toFixed(digits));
const table = [
  ['suite', 'benchmark', 'req/s', 'p50 ms', 'p99 ms', 'figures', 'target'],
  ...rows.map((r) => [
    r.suite,
    r.name,
    fmt(r.requestsPerSecond),
    fmt(r.p50Ms, 1),
    fmt(r.p99Ms, 1),
    r.note ?? '',
    r.target ?? '',
  ]),
];
const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
for (const [index, row] of table.entries()) {
  process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}\n`);
  if (index === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
}
