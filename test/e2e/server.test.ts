import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnHub } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/server.ts';

/** The real `learnhub` command as a user runs it: separate processes, real ports, real signals. */
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), 'learnhub-e2e-'));
});
afterAll(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    INBOUND_SMTP_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

describe('the learnhub command', () => {
  it('lists its commands in --help, and each command has its own help', async () => {
    const help = await runCli(['--help'], env());
    expect(help.code).toBe(0);
    for (const command of ['start', 'web', 'worker', 'migrate', 'tokens', 'mail']) {
      expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    const tokensHelp = await runCli(['tokens', 'create', '--help'], env());
    expect(tokensHelp.stdout).toContain('--admin');
    expect(tokensHelp.stdout).toContain('--json');
  });

  it('stops at once with one line naming a bad variable and a non-zero status', async () => {
    const result = await runCli(['start'], env({ PORT: 'abc' }));
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split('\n')).toEqual([
      'learnhub: configuration error: PORT: must be a whole number from 0 to 65535, got "abc"',
    ]);
  });

  it('applies migrations with `migrate`', async () => {
    const result = await runCli(['migrate'], env());
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('migrations applied');
  });

  it('serves, accepts a token made by the CLI while running, and exits 0 on SIGTERM after finishing', async () => {
    const port = await freePort();
    const hub = await spawnHub(env({ PORT: String(port) }));
    try {
      expect(hub.url).toBe(`http://127.0.0.1:${port}`);
      const ready = await fetch(`${hub.url}/readyz`);
      expect(ready.status).toBe(200);

      const created = await runCli(['tokens', 'create', '--admin', '--json'], env());
      expect(created.code).toBe(0);
      const { token } = JSON.parse(created.stdout) as { token: string };
      const authed = await fetch(`${hub.url}/api/v1/admin/mail`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(authed.status).toBe(200);
      const refused = await fetch(`${hub.url}/api/v1/admin/mail`, {
        headers: { authorization: 'Bearer lh_op_x' },
      });
      expect(refused.status).toBe(401);

      const nope = await fetch(`${hub.url}/nope`);
      expect(nope.status).toBe(404);
      expect(nope.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      const list = await runCli(['mail', 'list', '--json'], env());
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout)).toEqual([]);
    } finally {
      const code = await hub.stop('SIGTERM');
      expect(code).toBe(0);
      expect(hub.output()).toContain('"shutting down"');
    }
  });
});

describe('the embedded database', () => {
  it('starts with no DATABASE_URL, keeps its data across a restart, and stops with the hub', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'learnhub-embedded-'));
    chmodSync(home, 0o755);
    const embeddedEnv = { DATA_DIR: path.join(home, 'data'), INBOUND_SMTP_PORT: '0', LOG_LEVEL: 'info' };
    try {
      const first = await spawnHub({ ...embeddedEnv, PORT: String(await freePort()) });
      let token: string;
      try {
        expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
        const created = await runCli(['tokens', 'create', '--admin', '--json'], embeddedEnv);
        expect(created.code).toBe(0);
        token = (JSON.parse(created.stdout) as { token: string }).token;
      } finally {
        expect(await first.stop('SIGTERM')).toBe(0);
      }
      // The database server stopped with the hub (no postmaster.pid left): the admin command starts it itself.
      expect(existsSync(path.join(home, 'data', 'postgres', 'postmaster.pid'))).toBe(false);
      const offline = await runCli(['mail', 'list', '--json'], embeddedEnv);
      expect(offline.code).toBe(0);

      const second = await spawnHub({ ...embeddedEnv, PORT: String(await freePort()) });
      try {
        const authed = await fetch(`${second.url}/api/v1/admin/mail`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(authed.status).toBe(200);
      } finally {
        expect(await second.stop('SIGINT')).toBe(0);
      }
      expect(second.output()).not.toContain('database system is ready');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 180_000);
});
