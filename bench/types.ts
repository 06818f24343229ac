/**
 * A benchmark suite: `bench/<name>.bench.ts` exports `run(ctx)`. `npm run bench` starts one hub, runs every
 * suite (or those named on the command line) and prints all rows in one table.
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

export interface BenchRow {
  readonly name: string;
  readonly requestsPerSecond?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Any other figure, e.g. events/s or "ratio 0.82". */
  readonly note?: string;
  readonly target?: string;
}

export type BenchSuite = (ctx: BenchContext) => Promise<BenchRow[]>;
