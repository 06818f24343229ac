import { fileURLToPath } from 'node:url';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';
import { runMigrations } from 'graphile-worker';
import type pg from 'pg';
import { graphileLogger } from '../jobs/logger.ts';
import type { Logger } from '../lib/logger.ts';
import { createDatabase } from './client.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies Learnhub's migrations and graphile-worker's schema. Safe to run concurrently and repeatedly. */
export async function migrate(pool: pg.Pool, logger: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    // One migrator at a time across every process that starts against this database.
    await client.query('select pg_advisory_lock(7263541001)');
    // Extensions the schema relies on (trigram search). pg_trgm is a trusted extension (PostgreSQL 13+), so the
    // database owner may create it without superuser rights on a managed server.
    await client.query('create extension if not exists pg_trgm');
    await drizzleMigrate(createDatabase(pool), { migrationsFolder: MIGRATIONS_FOLDER });
    await runMigrations({ pgPool: pool, logger: graphileLogger(logger) });
  } finally {
    await client.query('select pg_advisory_unlock(7263541001)').catch(() => {});
    client.release();
  }
}

/** How many of our migrations are applied vs. present on disk; used by /readyz. */
export async function pendingMigrations(pool: pg.Pool, expected: number): Promise<number> {
  try {
    const result = await pool.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations');
    return Math.max(0, expected - Number(result.rows[0]?.n ?? 0));
  } catch {
    return expected;
  }
}
