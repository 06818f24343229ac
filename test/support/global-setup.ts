import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { withDatabase } from './database.ts';

/**
 * Once per `npm test`: find a PostgreSQL (TEST_DATABASE_URL, or an embedded server in a temporary
 * directory), build a migrated template database, and hand its name to the test files. Each file then clones
 * the template (CREATE DATABASE ... TEMPLATE), which is much faster than migrating per file.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    testRunId: string;
  }
}

let embedded: EmbeddedDatabase | undefined;
let tempDir: string | undefined;

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    tempDir = mkdtempSync(path.join(tmpdir(), 'learnhub-test-'));
    // mkdtemp makes a private (0700) directory; the embedded server runs as "postgres" and must enter it.
    chmodSync(tempDir, 0o755);
    embedded = await startEmbeddedDatabase(tempDir);
    adminUrl = embedded.url.replace(/\/learnhub$/, '/postgres');
  }
  const template = `learnhub_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const templateUrl = withDatabase(adminUrl, template);
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  // graphile-worker's migration insists on an error handler on the pools it is given.
  const failed = (error: Error) =>
    process.stderr.write(`template database connection failed: ${error.message}\n`);
  pool.on('error', failed);
  pool.on('connect', (client) => client.on('error', failed));
  await migrate(pool, createLogger('warn'));
  await pool.end();
  await admin.end();

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('testRunId', runId);

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    const leftovers = await cleanup.query<{ datname: string }>(
      'select datname from pg_database where datname like $1 or datname = $2',
      [`learnhub_t_${runId}_%`, template],
    );
    for (const { datname } of leftovers.rows) {
      await cleanup.query(`drop database if exists ${datname} with (force)`);
    }
    await cleanup.end();
    await embedded?.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
}
