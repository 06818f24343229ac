import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Logger } from '../lib/logger.ts';
import * as schema from './schema.ts';

export type Database = NodePgDatabase<typeof schema>;
/** A Drizzle transaction; repositories accept either this or the Database. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Tx;

export interface PoolOptions {
  readonly max?: number;
  readonly applicationName?: string;
}

export function createPool(url: string, logger: Logger, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'learnhub',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // TCP keepalive: a connection to a database host that vanished (power, network) is noticed and dropped,
    // instead of holding a request until the kernel's retransmissions give up.
    keepAlive: true,
  });
  // An idle client can lose its connection (database restart, network); without this handler the
  // 'error' event would crash the process. The pool replaces the client on next use.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: error }, 'database connection failed'));
  });
  return pool;
}

export function createDatabase(pool: pg.Pool): Database {
  return drizzle(pool, { schema });
}

/** Runs `work` in one transaction: commits if it resolves, rolls back if it throws. */
export function withTransaction<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}

/**
 * Runs `work` on one pooled connection inside BEGIN/COMMIT, for repositories written in raw SQL (prepared
 * statements that Drizzle's transaction does not expose); rolls back if it throws. A connection whose
 * rollback failed is destroyed rather than returned to the pool.
 */
export async function withClientTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
