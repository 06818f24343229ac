import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { runCli, spawnHub } from '../test/support/cli.ts';
import { freePort } from '../test/support/server.ts';
import { type BareProcess, startBare } from './baseline.ts';
import type { BenchContext, BenchRow, BenchSuite } from './types.ts';

/**
 * `npm run bench [suite ...] [--runs N] [--quick] [--duration F] [--scale F]`: starts one hub (web + worker) as
 * its own process, on a fresh database — a new database on BENCH_DATABASE_URL's server when set, otherwise the
 * embedded PostgreSQL in a temporary DATA_DIR — runs every bench/<name>.bench.ts (or the named ones) and prints
 * one table of figures, then the targets table: every goal, met or not, with the ratio of the hub to its
 * physical baseline measured in the same run. `--runs N` repeats the whole run N times (a fresh hub and
 * database each time) and prints the spread between runs. `--quick` (or `--duration F` / `--scale F`, factors
 * of the full run) shortens measuring times and data sizes, for checking the harness on a busy machine.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const wanted: string[] = [];
let runs = 1;
let durationFactor = 1;
let scaleFactor = 1;
for (let i = 0; i < args.length; i++) {
  const arg = args[i] ?? '';
  const value = () => Number(args[++i]);
  if (arg === '--runs') runs = Math.max(1, Math.floor(value()));
  else if (arg === '--duration') durationFactor = value();
  else if (arg === '--scale') scaleFactor = value();
  else if (arg === '--quick') {
    durationFactor = 0.3;
    scaleFactor = 0.1;
  } else if (arg.startsWith('--')) throw new Error(`bench: unknown option ${arg}`);
  else wanted.push(arg);
}
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort((a, b) => (a === 'healthz' ? -1 : b === 'healthz' ? 1 : a.localeCompare(b)));

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
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

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

/**
 * What the hub's memory is made of when its RSS is highest: every 2 s the sampler reads VmRSS and the hub's
 * /metrics (V8 heap spaces, external memory), and keeps the sample taken at the highest RSS, with the suite
 * that was running. This is what the peak-RSS row's note reports.
 */
interface MemorySample {
  rss: number;
  suite: string;
  breakdown: string;
}
function memorySampler(url: string, token: string, pid: number | undefined, current: () => string) {
  let top: MemorySample = { rss: 0, suite: '', breakdown: '' };
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const now = rss(pid, 'VmRSS');
      if (now <= top.rss) return;
      const text = await (
        await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
      const metric = (name: string, label = '') =>
        Number(
          new RegExp(`^learnhub_${name}${label ? `\\{[^}]*${label}[^}]*\\}` : ''} (\\S+)`, 'm').exec(
            text,
          )?.[1] ?? 0,
        );
      const spaces = ['new_space', 'old_space', 'code_space', 'large_object_space'].map(
        (s) =>
          `${s.replace('_space', '')} ${mb(metric('nodejs_heap_space_size_total_bytes', `space="${s.replace('_space', '')}"`))}`,
      );
      top = {
        rss: now,
        suite: current(),
        breakdown: `heap ${mb(metric('nodejs_heap_size_total_bytes'))} (${spaces.join(', ')}), external ${mb(metric('nodejs_external_memory_bytes'))}`,
      };
    } catch {
      // The hub is busy or stopping: the next sample will do.
    } finally {
      busy = false;
    }
  }, 2_000);
  return {
    top: () => top,
    stop: () => clearInterval(timer),
  };
}

type Row = BenchRow & { suite: string };

async function once(): Promise<Row[]> {
  const home = mkdtempSync(path.join(tmpdir(), 'learnhub-bench-'));
  chmodSync(home, 0o755);
  const env: Record<string, string> = {
    DATA_DIR: path.join(home, 'data'),
    INBOUND_SMTP_PORT: '0',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  let dropDatabase: (() => Promise<void>) | undefined;
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (adminUrl) {
    const created = await createDatabase(adminUrl);
    env.DATABASE_URL = created.url;
    dropDatabase = created.drop;
  }
  const port = await freePort();
  process.stderr.write(
    `bench: starting the hub (${env.DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded PostgreSQL'})\n`,
  );
  const hub = await spawnHub({ ...env, PORT: String(port) });
  const rows: Row[] = [];
  const bares = new Map<string, Promise<BareProcess>>();
  let running = 'start';
  let sampler: ReturnType<typeof memorySampler> | undefined;
  try {
    const created = await runCli(['tokens', 'create', '--admin', '--json', '--name', 'bench'], env);
    const adminToken = (JSON.parse(created.stdout) as { token: string }).token;
    sampler = memorySampler(hub.url, adminToken, hub.child.pid, () => running);
    const databaseUrl = env.DATABASE_URL ?? embeddedUrl(env.DATA_DIR ?? '');
    const ctx: BenchContext = {
      url: hub.url,
      databaseUrl,
      adminToken,
      hubRss: () => peakRss(hub.child.pid),
      cli: async (args) => {
        const result = await runCli(args, env);
        if (result.code !== 0) throw new Error(`learnhub ${args.join(' ')} failed: ${result.stderr}`);
        return result.stdout;
      },
      createDatabase: () => createDatabase(databaseUrl),
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
      bare: (url = databaseUrl) => {
        let started = bares.get(url);
        if (!started) {
          started = startBare('bare-db.mjs', { DATABASE_URL: url });
          bares.set(url, started);
        }
        return started;
      },
      seconds: (full) => Math.max(2, Math.round(full * durationFactor)),
      size: (full) => Math.max(1, Math.round(full * scaleFactor)),
    };
    for (const [index, suite] of suites.entries()) {
      if (index > 0) await settle(ctx.databaseUrl);
      running = suite;
      process.stderr.write(`bench: ${suite}\n`);
      const module = (await import(path.join(here, `${suite}.bench.ts`))) as { run: BenchSuite };
      for (const row of await module.run(ctx)) rows.push({ suite, ...row });
    }
  } finally {
    sampler?.stop();
    const peak = peakRss(hub.child.pid);
    const top = sampler?.top();
    rows.push({
      suite: 'hub',
      name: 'peak RSS of the hub process (whole run)',
      bytes: peak,
      note: top?.suite
        ? `sampled top ${mb(top.rss)} during ${top.suite}: ${top.breakdown}`
        : 'no memory sample',
      goal: { maxBytes: 200 * 1024 * 1024 },
    });
    for (const bare of bares.values()) await (await bare.catch(() => undefined))?.stop();
    await hub.stop('SIGTERM');
    await dropDatabase?.();
    rmSync(home, { recursive: true, force: true });
  }
  return rows;
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined
    ? ''
    : n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function print(table: string[][]): void {
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
  for (const [index, row] of table.entries()) {
    process.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
    if (index === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
  process.stdout.write('\n');
}

const ratioOf = (r: BenchRow) => (r.rate !== undefined && r.baseline ? r.rate / r.baseline.rate : undefined);
const pct = (n: number | undefined) => (n === undefined ? '' : `${(n * 100).toFixed(0)}%`);

/** Every goal of a row judged: [text, met] pairs. */
function judge(r: BenchRow): [string, boolean][] {
  const g = r.goal;
  if (!g) return [];
  const out: [string, boolean][] = [];
  const ratio = ratioOf(r);
  if (g.minRatio !== undefined)
    out.push([`ratio ≥ ${pct(g.minRatio)}`, ratio !== undefined && ratio >= g.minRatio]);
  if (g.minRate !== undefined)
    out.push([`≥ ${fmt(g.minRate)} ${r.unit ?? '/s'}`, r.rate !== undefined && r.rate >= g.minRate]);
  if (g.maxP99Ms !== undefined)
    out.push([`p99 ≤ ${g.maxP99Ms} ms`, r.p99Ms !== undefined && r.p99Ms <= g.maxP99Ms]);
  if (g.maxBytes !== undefined)
    out.push([`≤ ${mb(g.maxBytes)}`, r.bytes !== undefined && r.bytes <= g.maxBytes]);
  if (g.maxSeconds !== undefined)
    out.push([`≤ ${g.maxSeconds} s`, r.seconds !== undefined && r.seconds <= g.maxSeconds]);
  return out;
}

function figures(rows: Row[]): string[][] {
  return [
    ['suite', 'benchmark', 'rate', 'baseline', 'ratio', 'p50 ms', 'p99 ms', 'figures'],
    ...rows.map((r) => [
      r.suite,
      r.name,
      r.rate !== undefined
        ? `${fmt(r.rate)} ${r.unit ?? ''}`.trim()
        : r.requestsPerSecond !== undefined
          ? `${fmt(r.requestsPerSecond)} req/s`
          : r.bytes !== undefined
            ? mb(r.bytes)
            : r.seconds !== undefined
              ? `${r.seconds.toFixed(1)} s`
              : '',
      r.baseline ? `${fmt(r.baseline.rate)} (${r.baseline.name})` : '',
      pct(ratioOf(r)),
      fmt(r.p50Ms, 1),
      fmt(r.p99Ms, 1),
      [r.note, r.target].filter(Boolean).join('; '),
    ]),
  ];
}

const all: Row[][] = [];
for (let n = 1; n <= runs; n++) {
  if (runs > 1) process.stderr.write(`bench: run ${n} of ${runs}\n`);
  const rows = await once();
  all.push(rows);
  process.stdout.write(`\nRun ${n}${runs > 1 ? ` of ${runs}` : ''}: figures\n\n`);
  print(figures(rows));
}

// The targets table: one line per goal-carrying row, the ratio first (what holds on any machine), then the
// absolute figure with the reference machine's target beside it; with several runs, the spread between them.
const goalRows = (all[0] ?? []).filter((r) => r.goal);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : ((s[Math.floor((s.length - 1) / 2)] ?? 0) + (s[Math.ceil((s.length - 1) / 2)] ?? 0)) / 2;
};
const spread = (xs: number[]) => {
  const m = median(xs);
  return xs.length < 2 || !m ? '' : `±${(((Math.max(...xs) - Math.min(...xs)) / 2 / m) * 100).toFixed(0)}%`;
};
const targets: string[][] = [
  [
    'suite',
    'benchmark',
    'ratio',
    'ratio target',
    'figure',
    'absolute target',
    'met',
    ...(runs > 1 ? ['runs met', 'ratio per run', 'spread'] : []),
  ],
];
let unmet = 0;
for (const first of goalRows) {
  const same = all.map((rows) => rows.find((r) => r.suite === first.suite && r.name === first.name));
  const present = same.filter((r): r is Row => r !== undefined);
  const ratios = present.map(ratioOf).filter((x): x is number => x !== undefined);
  const values = present.map((r) => r.rate ?? r.requestsPerSecond ?? r.bytes ?? r.seconds ?? 0);
  const verdicts = present.map((r) => judge(r));
  const metRuns = verdicts.filter((v) => v.every(([, ok]) => ok)).length;
  if (metRuns < runs) unmet++;
  const last = verdicts[verdicts.length - 1] ?? [];
  const ratioGoal = last.filter(([t]) => t.startsWith('ratio'));
  const absolute = last.filter(([t]) => !t.startsWith('ratio'));
  const value = median(values);
  const figure =
    first.bytes !== undefined
      ? mb(value)
      : first.seconds !== undefined
        ? `${value.toFixed(1)} s`
        : `${fmt(value)} ${first.unit ?? (first.requestsPerSecond !== undefined ? 'req/s' : '')}${first.p99Ms !== undefined ? `, p99 ${fmt(median(present.map((r) => r.p99Ms ?? 0)), 1)} ms` : ''}`;
  targets.push([
    first.suite,
    first.name,
    ratios.length ? pct(median(ratios)) : '—',
    ratioGoal.map(([t, ok]) => `${t} ${ok ? '✓' : '✗'}`).join(', ') || '—',
    figure.trim(),
    absolute.map(([t, ok]) => `${t} ${ok ? '✓' : '✗'}`).join(', ') || '—',
    last.every(([, ok]) => ok) ? 'yes' : 'NO',
    ...(runs > 1
      ? [
          `${metRuns}/${runs}`,
          ratios.map(pct).join(' / ') || values.map((v) => fmt(v)).join(' / '),
          spread(ratios.length ? ratios : values),
        ]
      : []),
  ]);
}
process.stdout.write(
  `Targets${runs > 1 ? ` over ${runs} runs (medians; spread = half the range over the median)` : ''}` +
    `${durationFactor !== 1 || scaleFactor !== 1 ? ` — SHORTENED RUN (duration ×${durationFactor}, sizes ×${scaleFactor}): not comparable to the targets` : ''}\n\n`,
);
print(targets);
process.stdout.write(
  `${unmet === 0 ? 'Every target met' : `${unmet} target(s) not met`}${runs > 1 ? ` in all ${runs} runs` : ''}.\n`,
);
