import { loadConfig } from '../../src/config/config.ts';
import { createPool } from '../../src/db/client.ts';
import type { Deps } from '../../src/deps.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createDeps } from '../../src/runtime.ts';

/**
 * Deps over a running hub's database, for a test that must call a use-case beside the hub process (e.g. to
 * create a credential the HTTP API does not hand out). Call `close()` when done.
 */
export function depsForDatabase(
  url: string,
  secretKey: string,
  poolSize = 1,
): { deps: Deps; close: () => Promise<void> } {
  const pool = createPool(url, createLogger('silent'), { max: poolSize });
  const deps = createDeps(
    loadConfig({ DATABASE_URL: url, SECRET_KEY: secretKey }),
    { pool },
    createLogger('silent'),
  );
  return { deps, close: () => pool.end() };
}
