import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { runOnce } from 'graphile-worker';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import { createPool } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { graphileLogger } from '../../src/jobs/logger.ts';
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import { createApiToken } from '../../src/modules/admin/index.ts';
import { createDeps, type DepsOverrides } from '../../src/runtime.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly deps: Deps;
  readonly database: TestDatabase;
  readonly config: Config;
  /** Runs every job that is due now (and the jobs those enqueue) until none is left. */
  runJobs(): Promise<void>;
  /** Makes every pending job (of one task, if named) due now, skipping its backoff or run_at. */
  makeJobsDue(task?: string): Promise<void>;
  /** A fresh operator token (admin by default) for `authorization: Bearer ...`. */
  operatorToken(options?: { admin?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions extends DepsOverrides {
  /** Extra environment variables for loadConfig (PUBLIC_URL, SMTP_URL, ...). */
  readonly env?: Record<string, string>;
  readonly logLevel?: string;
  /** Where the hub logs (default: silent, or `logLevel` on standard output). */
  readonly logger?: Logger;
}

/** A whole hub on its own fresh database, for `app.inject()` tests. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'learnhub-data-'));
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    LOG_LEVEL: options.logLevel ?? 'silent',
    INBOUND_SMTP_PORT: '0',
    PUBLIC_URL: 'http://hub.test',
    // Test receivers (webhooks, reply URLs) listen on 127.0.0.1; outbound.test.ts turns this off.
    OUTBOUND_ALLOW_PRIVATE: 'true',
    ...options.env,
  });
  const logger = options.logger ?? createLogger(config.logLevel);
  const pool = createPool(database.url, logger, { max: 5 });
  const deps = createDeps(config, { pool }, logger, options);
  const app = await buildApp(deps);
  return {
    app,
    deps,
    database,
    config,
    async runJobs() {
      // graphile-worker's runOnce drains runnable jobs; loop in case handlers enqueue more.
      for (let round = 0; round < 20; round++) {
        const due = await pool.query<{ n: string }>(
          'select count(*) as n from graphile_worker.jobs where run_at <= now() and locked_at is null and attempts < max_attempts',
        );
        if (Number(due.rows[0]?.n ?? 0) === 0) return;
        await runOnce({ pgPool: pool, taskList: deps.jobs.taskList(), logger: graphileLogger(logger) });
        // runOnce can resolve before the completion (or failure) of its last job is written; wait for it, so
        // a test reads the job's final state.
        for (let wait = 0; wait < 250; wait++) {
          const locked = await pool.query<{ n: string }>(
            'select count(*) as n from graphile_worker.jobs where locked_at is not null',
          );
          if (Number(locked.rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    },
    async makeJobsDue(task) {
      await pool.query(
        `select graphile_worker.reschedule_jobs(
           array(select id from graphile_worker.jobs where $1::text is null or task_identifier = $1),
           run_at := now())`,
        [task ?? null],
      );
    },
    async operatorToken({ admin = true } = {}) {
      const created = await createApiToken(deps, { name: 'test', admin, expiresInDays: 1 });
      return created.token;
    },
    async close() {
      await app.close();
      await deps.mailer.close();
      await pool.end();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
