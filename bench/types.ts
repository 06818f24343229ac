/**
 * A benchmark suite: `bench/<name>.bench.ts` exports `run(ctx)`. `npm run bench` starts one hub, runs every
 * suite (or those named on the command line) and prints all rows in one table, then the targets table.
 *
 * Plugging a new suite into the baseline/ratio table (e.g. bench/xapi.bench.ts): measure the hub and its
 * physical baseline in the same run, under the same load, and return one row carrying both:
 *
 *   { name: 'xapi: POST statements, 50 clients', rate: hubPerSecond, unit: 'statements/s',
 *     baseline: { name: 'bare Fastify + one prepared INSERT', rate: barePerSecond },
 *     goal: { minRatio: 0.3, minRate: 2000, maxP99Ms: 50 }, p99Ms }
 *
 * run.ts computes the ratio (rate / baseline.rate), judges every goal, prints the row in the targets table
 * and, with `--runs N`, the spread of the ratio and of the rate between runs. `ctx.bare()` gives a bare
 * Fastify process on the hub's database (bench/bare-db.mjs: add a route there for a new baseline), and
 * `ctx.seconds()` / `ctx.size()` scale durations and data sizes for short runs (`--quick`).
 */
export interface BenchContext {
  /** Base URL of the running hub (web + worker), e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Connection string of the hub's database, for seeding large data sets quickly with SQL. */
  readonly databaseUrl: string;
  /** An admin operator token. */
  readonly adminToken: string;
  /** Peak resident memory of the hub process so far, in bytes. */
  hubRss(): number;
  /** Runs `learnhub <args>` against the same database (e.g. to create program keys); returns stdout. */
  cli(args: string[]): Promise<string>;
  /** A new, empty database on the same PostgreSQL server, for hubs of the suite's own; drop() removes it. */
  createDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  /**
   * Starts another hub (`learnhub start`, web + worker) with the bench environment plus `env` (give it its own
   * DATABASE_URL from createDatabase(), or its worker competes with the shared hub's). The suite stops it.
   */
  startHub(env: Record<string, string>): Promise<BenchHub>;
  /** The bare baseline process (bench/bare-db.mjs) on `databaseUrl` (default: the hub's), started once per URL. */
  bare(databaseUrl?: string): Promise<{ readonly url: string }>;
  /** A measuring time in seconds: `full` on a full run, scaled down by `--quick` / `--duration`. */
  seconds(full: number): number;
  /** A data size (rows, batches, members): `full` on a full run, scaled down by `--quick` / `--scale`. */
  size(full: number): number;
}

export interface BenchHub {
  readonly url: string;
  /** Peak and current resident memory of the process, in bytes (0 once it has exited). */
  peakRss(): number;
  rss(): number;
  /** Sends a signal (SIGTERM: graceful shutdown) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Runs `learnhub <args>` with this hub's environment; returns stdout. */
  cli(args: string[]): Promise<string>;
}

/** What a row must meet. Every goal given is judged and printed in the targets table, met or not. */
export interface BenchGoal {
  /** rate / baseline.rate must be at least this (the machine-independent target). */
  readonly minRatio?: number;
  /** The absolute rate on the reference machine (2 cores, PostgreSQL over its Unix socket, nothing else). */
  readonly minRate?: number;
  readonly maxP99Ms?: number;
  /** For memory rows: `bytes` must be at most this. */
  readonly maxBytes?: number;
  /** For durations: `seconds` must be at most this. */
  readonly maxSeconds?: number;
}

export interface BenchRow {
  readonly name: string;
  readonly requestsPerSecond?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Any other figure, e.g. how many failed. */
  readonly note?: string;
  /** Free-text target, for rows without a `goal`. */
  readonly target?: string;
  /** The hub's throughput, in `unit` (higher is better). */
  readonly rate?: number;
  /** e.g. 'req/s', 'events/s', 'mails/s'. */
  readonly unit?: string;
  /** The physical baseline of the same work, measured in the same run under the same conditions. */
  readonly baseline?: { readonly name: string; readonly rate: number };
  readonly goal?: BenchGoal;
  /** A memory figure (for maxBytes). */
  readonly bytes?: number;
  /** A duration (for maxSeconds). */
  readonly seconds?: number;
}

export type BenchSuite = (ctx: BenchContext) => Promise<BenchRow[]>;
