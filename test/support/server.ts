import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { freePort } from '../../src/lib/net.ts';
import { type RunningHub, startHub } from '../../src/server.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestServer {
  readonly hub: RunningHub;
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real server (web + worker) listening on 127.0.0.1 on a free port, on a fresh database, for
 * end-to-end tests over real HTTP. PUBLIC_URL is the listening address unless `env` says otherwise.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'learnhub-data-'));
  // Reserve the port first so PUBLIC_URL (the OpenID issuer, absolute links) can name it.
  const port = env.PORT ?? String(await freePort());
  const config = loadConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: port,
    INBOUND_SMTP_PORT: '0',
    // Test receivers listen on 127.0.0.1 (src/lib/outbound.ts refuses that by default).
    OUTBOUND_ALLOW_PRIVATE: 'true',
    ...env,
  });
  const hub = await startHub(config, createLogger(config.logLevel), { web: true, worker: true });
  return {
    hub,
    url: `http://127.0.0.1:${port}`,
    database,
    async close() {
      await hub.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { freePort };
